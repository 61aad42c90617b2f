/**
 * Discovery served for the backend, over HTTP (ocm-versions §2, legacy-protocols §2.3–2.4): each
 * client's acceptance rule applied to what that client's path returns, the JWKS, caching headers,
 * and the keys in the documents being the key store's own public keys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey } from 'node:crypto';
import { activeKey, publishedKeys } from '../../../gateway/core/signatures/key-set.ts';
import { acceptsOcmDiscovery, legacyTraits } from '../../sim/legacy/legacy-flavours.ts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../token/gateway-under-test.ts';
import { CLIENT_RULES } from './client-rules.ts';

let backend: http.Server;
let backendPaths: string[] = [];
let root: GatewayUnderTest;
let sub: GatewayUnderTest;

before(async () => {
  backend = http.createServer((req, res) => {
    backendPaths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"backend"}');
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/nextcloud`;
  root = await startGatewayUnderTest({ backendUrl, mustUseHttpSig: true });
  sub = await startGatewayUnderTest({
    backendUrl,
    publicUrl: 'https://gw.example.org/cloud',
    advertiseInvites: true,
  });
});

after(async () => {
  await root.close();
  await sub.close();
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

async function getJson(
  gw: GatewayUnderTest,
  path: string,
): Promise<{ res: Response; body: Record<string, unknown> }> {
  const res = await fetch(`${gw.url}${path}`);
  assert.equal(res.status, 200, path);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

describe('served discovery: every client accepts what its path returns', () => {
  for (const [name, gwOf] of [
    ['at the host root', () => root],
    ['under a sub-path public URL', () => sub],
  ] as const) {
    test(name, async () => {
      const gw = gwOf();
      const url = new URL(gw.publicUrl);
      const basePath = url.pathname.replace(/\/+$/, '');
      const { body: jwks } = await getJson(gw, '/.well-known/jwks.json');
      const context = { discoveryHost: url.host, basePath, jwks };
      for (const rule of CLIENT_RULES) {
        // Clients put the sharer's base URL (sub-path included) in front of the discovery path;
        // I-D-05 and the newest Nextcloud ask the host root.
        const path = rule.asks === '/.well-known/ocm' ? rule.asks : `${basePath}${rule.asks}`;
        const { body } = await getJson(gw, path);
        assert.deepEqual(rule.check(body, context), [], `${rule.client} at ${path}`);
      }
    });
  }

  test("the legacy simulators' own acceptance rules agree", async () => {
    const { body } = await getJson(root, '/ocm-provider/');
    assert.ok(acceptsOcmDiscovery(legacyTraits('owncloud10'), body));
    assert.ok(acceptsOcmDiscovery(legacyTraits('nextcloud-ocm', 27), body));
    assert.ok(acceptsOcmDiscovery(legacyTraits('nextcloud-ocm', 30), body));
  });

  test('the same document at every /ocm-provider spelling; the backend is never asked', async () => {
    backendPaths = [];
    const docs = await Promise.all(
      ['/ocm-provider', '/ocm-provider/', '/ocm-provider/index.php'].map(
        async (path) => (await getJson(root, path)).body,
      ),
    );
    assert.deepEqual(docs[1], docs[0]);
    assert.deepEqual(docs[2], docs[0]);
    assert.equal(docs[0]?.apiVersion, '1.0-proposal1');
    assert.equal((await getJson(root, '/.well-known/ocm')).body.apiVersion, '1.3.0');
    assert.deepEqual(backendPaths, []);
  });

  test('what is advertised is what is configured', async () => {
    const { body: strict } = await getJson(root, '/.well-known/ocm');
    assert.deepEqual(strict.criteria, ['must-use-http-sig', 'http-request-signatures']);
    assert.ok(!(strict.capabilities as string[]).includes('invites'));
    const { body: inviting } = await getJson(sub, '/.well-known/ocm');
    assert.equal(inviting.criteria, undefined);
    assert.ok((inviting.capabilities as string[]).includes('invites'));
    assert.equal(inviting.endPoint, 'https://gw.example.org/cloud/ocm');
    assert.equal(inviting.tokenEndPoint, 'https://gw.example.org/cloud/ocm/token');
  });
});

describe('served discovery: keys', () => {
  test('JWKS: the published Ed25519 keys, public members only, kid = host#kid', async () => {
    const { body } = await getJson(root, '/.well-known/jwks.json');
    const keys = body.keys as Record<string, unknown>[];
    const set = await root.keyStore.load(root.clock.now);
    const published = publishedKeys(set, 'ed25519', root.clock.now);
    assert.equal(keys.length, published.length);
    assert.ok(keys.length >= 1);
    for (const key of keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.ok(!(secret in key));
      assert.match(String(key.kid), /^cloud\.example\.org#/);
    }
    const expected = published.map((k) => k.publicKey.export({ format: 'jwk' }).x).sort();
    assert.deepEqual(keys.map((k) => k.x).sort(), expected);
  });

  test("discovery keys are the key store's public keys (cavage RSA and RFC 9421 Ed25519)", async () => {
    const { body } = await getJson(root, '/.well-known/ocm');
    const set = await root.keyStore.load(root.clock.now);
    const rsa = activeKey(set, 'rsa');
    assert.ok(rsa !== undefined);
    const cavage = body.publicKey as { keyId: string; publicKeyPem: string };
    assert.equal(cavage.keyId, 'https://cloud.example.org/ocm#signature');
    assert.ok(createPublicKey(cavage.publicKeyPem).equals(rsa.publicKey));
    const listed = body.publicKeys as { keyId: string; publicKeyPem: string; algorithm: string }[];
    const ed = publishedKeys(set, 'ed25519', root.clock.now);
    assert.equal(listed.length, ed.length);
    for (const entry of listed) {
      assert.equal(entry.algorithm, 'ed25519');
      assert.ok(ed.some((k) => createPublicKey(entry.publicKeyPem).equals(k.publicKey)));
    }
    assert.ok(!JSON.stringify(body).includes('PRIVATE KEY'));
  });

  test('a key rotation shows up once the reuse window has passed', async () => {
    const kids = async (): Promise<string[]> =>
      ((await getJson(root, '/.well-known/jwks.json')).body.keys as { kid: string }[])
        .map((k) => k.kid)
        .sort();
    const beforeRotation = await kids();
    await root.keyStore.rotate(root.clock.now, 3_600_000, ['ed25519']);
    assert.deepEqual(await kids(), beforeRotation);
    root.clock.now += 61_000;
    const afterRotation = await kids();
    assert.notDeepEqual(afterRotation, beforeRotation);
    assert.equal(afterRotation.length, beforeRotation.length + 1);
  });
});

describe('served discovery: HTTP details', () => {
  test("short public caching on discovery and JWKS; Nextcloud's marker header on /ocm-provider", async () => {
    for (const path of ['/.well-known/ocm', '/ocm-provider/', '/.well-known/jwks.json']) {
      const { res } = await getJson(root, path);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300', path);
    }
    assert.equal(
      (await getJson(root, '/ocm-provider/')).res.headers.get('x-nextcloud-ocm-providers'),
      'true',
    );
    assert.equal(
      (await getJson(root, '/.well-known/ocm')).res.headers.get('x-nextcloud-ocm-providers'),
      null,
    );
  });

  test('HEAD answers without a body; other methods get 405 and never reach the backend', async () => {
    backendPaths = [];
    const head = await fetch(`${root.url}/.well-known/ocm`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    for (const path of ['/.well-known/ocm', '/ocm-provider/', '/.well-known/jwks.json']) {
      const res = await fetch(`${root.url}${path}`, { method: 'POST', body: '{}' });
      assert.equal(res.status, 405, path);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    }
    assert.deepEqual(backendPaths, []);
  });
});
