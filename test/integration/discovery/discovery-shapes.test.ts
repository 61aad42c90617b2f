/** Discovery against real loopback peers serving every real discovery shape, and broken ones. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { DiscoveryOutcome, PeerCapabilities } from '../../../gateway/ports/peer-discovery.ts';
import { startLegacyServer } from '../../sim/legacy/legacy-server.ts';
import { OcmPeer } from '../../sim/ocm-peer/ocm-peer.ts';
import {
  discoveryKit,
  fixtureBody,
  hits,
  paths,
  reference,
  sendJson,
} from './discovery-harness.ts';

const kit = discoveryKit();
after(() => kit.close());

function found(outcome: DiscoveryOutcome): PeerCapabilities {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.capabilities;
}

describe('real discovery shapes', () => {
  test('ownCloud 10 (shareTypes array) at /ocm-provider/ after the others 404', async () => {
    const routes = await kit.server({
      '/ocm-provider/': (_q, res) =>
        sendJson(
          res,
          fixtureBody('discovery-ocm-provider-owncloud10', `http://127.0.0.1:${routes.port}`),
        ),
    });
    const base = `http://127.0.0.1:${routes.port}`;
    const c = found(await kit.discovery().discover(reference(`alice@${base}`)));
    assert.deepEqual(paths(routes), ['/.well-known/ocm', '/ocm-provider', '/ocm-provider/']);
    assert.deepEqual(c.dialects, ['ocm-proposal1']);
    assert.equal(c.family, 'ocm');
    assert.equal(c.resourceTypes[0]?.name, 'file');
    assert.equal(c.webdavUrl, `${base}/public.php/webdav/`);
    assert.equal(c.sources.endPoint, `${base}/ocm-provider/`);
  });

  test('Nextcloud 14–30 (1.0-proposal1) installed under /nextcloud, given as a cloud ID', async () => {
    const peer = await startLegacyServer({
      flavour: 'nextcloud-ocm',
      nextcloudVersion: 27,
      basePath: '/nextcloud',
    });
    try {
      const c = found(await kit.discovery().discover(reference(`bob@${peer.url}`)));
      assert.deepEqual(c.dialects, ['ocm-proposal1']);
      assert.equal(c.baseUrl, peer.url);
      assert.equal(c.endPoint, `${peer.url}/index.php/ocm`);
      assert.equal(c.webdavUrl, `${peer.url}/public.php/webdav/`);
      assert.ok(c.sources.endPoint?.startsWith(`${peer.url}/ocm-provider`));
    } finally {
      await peer.close();
    }
  });

  test('Nextcloud 31+ (apiVersion 1.1.0, cavage publicKey)', async () => {
    const s = await kit.server({
      '/nextcloud/ocm-provider/': (_q, res) =>
        sendJson(
          res,
          fixtureBody('discovery-ocm-provider-nextcloud31', `http://127.0.0.1:${s.port}`),
          {
            'X-NEXTCLOUD-OCM-PROVIDERS': 'true',
          },
        ),
    });
    const c = found(
      await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}/nextcloud`)),
    );
    assert.deepEqual(c.dialects, ['ocm-1.1']);
    assert.equal(c.provider, 'Nextcloud 31.0.0.18');
    assert.match(c.keys.cavage?.publicKeyPem ?? '', /BEGIN PUBLIC KEY/);
    assert.deepEqual(c.capabilities, ['invites', 'notifications', 'shares']);
    assert.equal(c.endPoint, `http://127.0.0.1:${s.port}/nextcloud/index.php/ocm`);
    assert.equal(c.webdavUrl, `http://127.0.0.1:${s.port}/nextcloud/public.php/webdav/`);
  });

  test('OCM 1.1 peer: /ocm-provider with absolute protocol URIs', async () => {
    const peer = await OcmPeer.start({ version: '1.1' });
    try {
      const c = found(await kit.discovery().discover(reference(peer.url)));
      assert.deepEqual(c.dialects, ['ocm-1.1']);
      assert.equal(c.webdavUrl, `${peer.url}/webdav/`);
      assert.deepEqual(c.capabilitiesRaw, ['/notifications', '/invite-accepted']);
      assert.deepEqual(c.capabilities, ['notifications', 'invites']);
    } finally {
      await peer.close();
    }
  });

  test('OCM 1.2 with publicKeys and http-sig: keys listed, JWKS looked for, its absence a warning', async () => {
    const s = await kit.server({
      '/.well-known/ocm': (_q, res) =>
        sendJson(res, {
          enabled: true,
          apiVersion: '1.2.2',
          endPoint: `http://127.0.0.1:${s.port}/ocm`,
          resourceTypes: [
            { name: 'file', shareTypes: ['user'], protocols: { webdav: '/dav/ocm/' } },
          ],
          capabilities: ['http-sig', 'exchange-token', 'invites'],
          criteria: ['http-request-signatures'],
          publicKeys: [
            {
              keyId: `http://127.0.0.1:${s.port}/ocm#k1`,
              publicKeyPem: 'PEM',
              algorithm: 'ed25519',
            },
          ],
          tokenEndPoint: `http://127.0.0.1:${s.port}/ocm/token`,
          inviteAcceptDialog: '/accept',
        }),
    });
    const c = found(await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`)));
    assert.deepEqual(c.dialects, ['ocm-1.2']);
    assert.equal(c.keys.publicKeys.length, 1);
    assert.deepEqual(c.criteria, ['must-use-http-sig']);
    assert.equal(c.tokenEndPoint, `http://127.0.0.1:${s.port}/ocm/token`);
    assert.equal(c.inviteAcceptDialog, '/accept');
    assert.equal(hits(s, '/.well-known/jwks.json'), 1);
    assert.match(c.warnings.join(' '), /no JWKS/);
    assert.equal(c.keys.jwks, undefined);
  });

  test('OCM 1.3 (I-D-05): /.well-known/ocm only, keys from /.well-known/jwks.json', async () => {
    const peer = await OcmPeer.start({ version: '1.3' });
    try {
      const c = found(await kit.discovery().discover(reference(peer.url)));
      assert.deepEqual(c.dialects, ['ocm-1.3']);
      assert.equal(c.keys.jwks?.length, 1);
      assert.equal(typeof c.keys.jwks[0]?.kid, 'string');
      assert.equal(c.sources['keys.jwks'], `${peer.url}/.well-known/jwks.json`);
      assert.ok(c.tokenEndPoint?.endsWith('/ocm/token'));
    } finally {
      await peer.close();
    }
  });

  test('legacy only (Nextcloud 13): /ocs-provider/ then status.php for the product', async () => {
    const peer = await startLegacyServer({ flavour: 'nextcloud13' });
    try {
      const c = found(await kit.discovery().discover(reference(peer.url)));
      assert.equal(c.family, 'legacy');
      assert.deepEqual(c.dialects, ['ocs-v1', 'ocs-v2']);
      assert.equal(c.endPoint, `${peer.url}/ocs/v2.php/cloud/shares`);
      assert.match(c.provider ?? '', /^Nextcloud 13/);
      assert.equal(c.sources['legacy.version'], `${peer.url}/status.php`);
    } finally {
      await peer.close();
    }
  });

  test('Pydio 8: /ocs-provider/ as text/json', async () => {
    const s = await kit.server({
      '/ocs-provider/': (_q, res) =>
        sendJson(res, fixtureBody('discovery-ocs-provider', undefined, 1), {
          'content-type': 'text/json',
        }),
    });
    const c = found(await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`)));
    assert.deepEqual(c.dialects, ['ocs-v2']);
    assert.equal(c.legacy?.variant, 'pydio8');
  });

  test('status.php alone (ownCloud 9.0): ocs-v1', async () => {
    const s = await kit.server({
      '/status.php': (_q, res) => sendJson(res, fixtureBody('discovery-status-php', undefined, 0)),
    });
    const c = found(await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`)));
    assert.deepEqual(c.dialects, ['ocs-v1']);
    assert.equal(c.legacy?.version, '9.0.0.19');
  });
});

describe('tolerance and fallback', () => {
  test('a document served as text/html is still read', async () => {
    const s = await kit.server({
      '/ocm-provider': (_q, res) =>
        sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14'), {
          'content-type': 'text/html; charset=UTF-8',
        }),
    });
    const c = found(await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`)));
    assert.deepEqual(c.dialects, ['ocm-proposal1']);
  });

  test('enabled:false skips the other OCM paths and goes to legacy discovery', async () => {
    const s = await kit.server({
      '/.well-known/ocm': (_q, res) => sendJson(res, { enabled: false }),
      '/ocs-provider/': (_q, res) => sendJson(res, fixtureBody('discovery-ocs-provider')),
    });
    const out = await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`));
    assert.equal(found(out).family, 'legacy');
    assert.equal(hits(s, '/ocm-provider'), 0);
    assert.equal(hits(s, '/ocm-provider/'), 0);
    assert.equal(out.attempts[0]?.outcome, 'disabled');
  });

  test('a root /.well-known/ocm of another installation is ignored for a sub-path peer', async () => {
    const s = await kit.server({
      '/.well-known/ocm': (_q, res) =>
        sendJson(res, {
          enabled: true,
          apiVersion: '1.2.0',
          endPoint: `http://127.0.0.1:${s.port}/other/ocm`,
          resourceTypes: [],
        }),
      '/nextcloud/ocm-provider': (_q, res) =>
        sendJson(
          res,
          fixtureBody('discovery-ocm-provider-nextcloud14', `http://127.0.0.1:${s.port}`),
        ),
    });
    const out = await kit.discovery().discover(reference(`bob@127.0.0.1:${s.port}/nextcloud`));
    const c = found(out);
    assert.deepEqual(c.dialects, ['ocm-proposal1']);
    assert.ok(out.attempts.some((a) => a.outcome === 'ignored'));
  });

  test('a huge document is cut at the size cap and the next path is tried', async () => {
    const huge = { enabled: true, padding: 'x'.repeat(200_000) };
    const s = await kit.server({
      '/.well-known/ocm': (_q, res) => sendJson(res, huge),
      '/ocm-provider': (_q, res) =>
        sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14')),
    });
    const out = await kit
      .discovery({ maxResponseBytes: 16 * 1024 })
      .discover(reference(`http://127.0.0.1:${s.port}`));
    found(out);
    assert.match(out.attempts[0]?.detail ?? '', /larger|too large|exceeds|bytes/i);
  });

  test('a slow path times out and the next path is tried; a peer slow everywhere is a timeout', async () => {
    const s = await kit.server({
      '/.well-known/ocm': () => undefined,
      '/ocm-provider': (_q, res) =>
        sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14')),
    });
    const fast = kit.discovery({ totalTimeoutMs: 300 });
    found(await fast.discover(reference(`http://127.0.0.1:${s.port}`)));

    const tarpit = await kit.server({
      '/.well-known/ocm': () => undefined,
      '/ocm-provider': () => undefined,
      '/ocm-provider/': () => undefined,
      '/ocs-provider/': () => undefined,
      '/status.php': () => undefined,
    });
    const started = Date.now();
    const out = await fast.discover(reference(`http://127.0.0.1:${tarpit.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'timeout');
    assert.equal(out.failure.code, 'UPSTREAM_TIMEOUT');
    assert.ok(Date.now() - started < 5_000);
  });

  test('the whole walk is bounded by the discovery budget', async () => {
    const tarpit = await kit.server({
      '/.well-known/ocm': () => undefined,
      '/ocm-provider': () => undefined,
    });
    const out = await kit
      .discovery({ totalTimeoutMs: 2_000, budgetMs: 300 })
      .discover(reference(`http://127.0.0.1:${tarpit.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'timeout');
    assert.equal(tarpit.requests.length, 1);
  });

  test('a redirect loop is abandoned after 3 redirects and the next path is tried', async () => {
    const s = await kit.server({
      '/.well-known/ocm': (_q, res) => {
        res.writeHead(302, { location: '/.well-known/ocm' });
        res.end();
      },
      '/ocm-provider': (_q, res) =>
        sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14')),
    });
    const out = await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`));
    found(out);
    assert.equal(hits(s, '/.well-known/ocm'), 4);
    assert.match(out.attempts[0]?.detail ?? '', /redirects/);
  });

  test('HTML everywhere is "no document" (NOT_FOUND), every URL tried once', async () => {
    const html = (_q: unknown, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Welcome</title>');
    };
    const s = await kit.server({
      '/.well-known/ocm': html,
      '/ocm-provider': html,
      '/ocm-provider/': html,
      '/ocs-provider/': html,
      '/status.php': html,
    });
    const out = await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'no-document');
    assert.equal(out.failure.code, 'NOT_FOUND');
    assert.equal(s.requests.length, 5);
    assert.ok(out.attempts.every((a) => a.outcome === 'not-a-document'));
  });

  test('federated sharing switched off everywhere is "disabled"', async () => {
    const s = await kit.server({
      '/ocm-provider/': (_q, res) => {
        res.writeHead(501);
        res.end('501 Not Implemented');
      },
      '/ocs-provider/': (_q, res) => sendJson(res, { version: 2, services: {} }),
    });
    const out = await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'disabled');
  });

  test('the peer Cache-Control max-age is captured', async () => {
    const s = await kit.server({
      '/.well-known/ocm': (_q, res) =>
        sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14'), {
          'cache-control': 'public, max-age=120',
        }),
    });
    const out = await kit.discovery().discover(reference(`http://127.0.0.1:${s.port}`));
    assert.ok(out.ok);
    assert.equal(out.maxAgeSeconds, 120);
  });
});
