import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildServedDiscovery,
  servedEndPoint,
  servedTokenEndPoint,
  type ServedDiscoveryInput,
} from '../../../../gateway/core/discovery/build-served-discovery.ts';
import {
  peerWebdavMountPaths,
  publicWebdavPath,
} from '../../../../gateway/core/discovery/public-webdav-path.ts';
import { serialiseServedDiscovery } from '../../../../gateway/core/discovery/serialise-served-discovery.ts';
import { codecFor } from '../../../../gateway/core/dialects/dialect-registry.ts';
import { CLIENT_RULES } from '../../../integration/served-discovery/client-rules.ts';

const KEYS = {
  publicKeys: [{ keyId: 'cloud.example.org#ed-1', publicKeyPem: 'ED PEM', algorithm: 'ed25519' }],
  publicKey: { keyId: 'https://cloud.example.org/ocm#signature', publicKeyPem: 'RSA PEM' },
};

function input(overrides: Partial<ServedDiscoveryInput> = {}): ServedDiscoveryInput {
  return {
    publicUrl: 'https://cloud.example.org',
    endPointPath: '/ocm',
    provider: 'Example Cloud',
    backend: {
      webdavPath: '/public.php/webdav/',
      resourceTypes: [{ name: 'file', shareTypes: ['user', 'group'] }],
    },
    keys: KEYS,
    advertiseInvites: false,
    mustUseHttpSig: false,
    ...overrides,
  };
}

const JWKS = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'x', kid: 'cloud.example.org#ed-1' }] };
const ROOT = { discoveryHost: 'cloud.example.org', basePath: '', jwks: JWKS };

describe('buildServedDiscovery', () => {
  test('endPoint, tokenEndPoint and WebDAV path follow the public URL, sub-path included', () => {
    assert.equal(
      servedEndPoint('https://gw.example/cloud/', '/ocm'),
      'https://gw.example/cloud/ocm',
    );
    assert.equal(servedTokenEndPoint('https://gw.example', '/ocm'), 'https://gw.example/ocm/token');
    assert.equal(
      publicWebdavPath('https://gw.example/cloud', '/public.php/webdav/'),
      '/cloud/public.php/webdav/',
    );
    assert.deepEqual(peerWebdavMountPaths('https://gw.example', '/public.php/webdav/'), [
      '/public.php/webdav',
    ]);
    assert.deepEqual(peerWebdavMountPaths('https://gw.example/c', '/ocs/v2/dav'), [
      '/c/ocs/v2/dav',
      '/c/public.php/webdav',
    ]);
    const doc = buildServedDiscovery(input({ publicUrl: 'https://gw.example/cloud' }));
    assert.equal(doc.endPoint, 'https://gw.example/cloud/ocm');
    assert.equal(doc.tokenEndPoint, 'https://gw.example/cloud/ocm/token');
    assert.equal(doc.jwksUri, 'https://gw.example/.well-known/jwks.json');
    assert.deepEqual(doc.resourceTypes, [
      {
        name: 'file',
        shareTypes: ['user', 'group'],
        protocols: { webdav: '/cloud/public.php/webdav/' },
      },
    ]);
  });

  test('capabilities and criteria say what is configured, and nothing else', () => {
    const plain = buildServedDiscovery(input());
    assert.deepEqual(plain.capabilities, [
      'exchange-token',
      'http-sig',
      'notifications',
      'protocol-object',
    ]);
    assert.deepEqual(plain.criteria, []);
    const strict = buildServedDiscovery(input({ advertiseInvites: true, mustUseHttpSig: true }));
    assert.ok(strict.capabilities.includes('invites'));
    assert.deepEqual(strict.criteria, ['must-use-http-sig']);
  });

  test('no http-sig capability without a published RFC 9421 key (1.2.2 requires publicKeys then)', () => {
    const doc = buildServedDiscovery(input({ keys: { publicKeys: [] } }));
    assert.ok(!doc.capabilities.includes('http-sig'));
    assert.equal(doc.publicKey, undefined);
  });

  test('backend resource and share types are passed through', () => {
    const doc = buildServedDiscovery(
      input({
        backend: {
          webdavPath: '/ocs/v2/dav',
          resourceTypes: [
            { name: 'file', shareTypes: ['user'] },
            { name: 'folder', shareTypes: ['user', 'federation'] },
          ],
        },
      }),
    );
    assert.deepEqual(
      doc.resourceTypes.map((rt) => [rt.name, rt.shareTypes, rt.protocols.webdav]),
      [
        ['file', ['user'], '/ocs/v2/dav'],
        ['folder', ['user', 'federation'], '/ocs/v2/dav'],
      ],
    );
  });
});

describe('serialiseServedDiscovery', () => {
  const doc = buildServedDiscovery(input({ advertiseInvites: true, mustUseHttpSig: true }));
  const wellKnown = serialiseServedDiscovery(doc, 'well-known', 'https://cloud.example.org');
  const provider = serialiseServedDiscovery(doc, 'ocm-provider', 'https://cloud.example.org');

  test('apiVersion per path: 1.3.0 at /.well-known/ocm, 1.0-proposal1 at /ocm-provider', () => {
    assert.equal(wellKnown.apiVersion, '1.3.0');
    assert.equal(provider.apiVersion, '1.0-proposal1');
  });

  test('both documents carry every key field and both capability/criteria spellings', () => {
    for (const served of [wellKnown, provider]) {
      assert.equal(served.enabled, true);
      assert.equal(served.endPoint, 'https://cloud.example.org/ocm');
      assert.equal(served.tokenEndPoint, 'https://cloud.example.org/ocm/token');
      assert.deepEqual(served.publicKey, KEYS.publicKey);
      assert.deepEqual(served.publicKeys, KEYS.publicKeys);
      for (const name of [
        'exchange-token',
        'http-sig',
        'invites',
        'notifications',
        'protocol-object',
      ])
        assert.ok((served.capabilities as string[]).includes(name), name);
      for (const name of ['must-use-http-sig', 'http-request-signatures'])
        assert.ok((served.criteria as string[]).includes(name), name);
    }
    assert.ok((provider.capabilities as string[]).includes('/notifications'));
    assert.ok((provider.capabilities as string[]).includes('/invite-accepted'));
    assert.equal(wellKnown.shareTypes, undefined);
  });

  test("ownCloud's shareTypes list has the base-relative WebDAV path on a sub-path install", () => {
    const sub = buildServedDiscovery(input({ publicUrl: 'https://gw.example/cloud' }));
    const served = serialiseServedDiscovery(sub, 'ocm-provider', 'https://gw.example/cloud');
    assert.deepEqual(served.shareTypes, [
      { name: 'file', protocols: { webdav: '/public.php/webdav/' } },
    ]);
    assert.deepEqual(served.resourceTypes, [
      {
        name: 'file',
        shareTypes: ['user', 'group'],
        protocols: { webdav: '/cloud/public.php/webdav/' },
      },
    ]);
  });

  test('the served documents can be read back by every OCM codec', () => {
    for (const id of ['ocm-proposal1', 'ocm-1.0', 'ocm-1.1', 'ocm-1.2', 'ocm-1.3'] as const) {
      for (const served of [wellKnown, provider]) {
        const parsed = codecFor(id)?.discovery?.parse(served);
        assert.ok(parsed?.ok, `${id}: ${JSON.stringify(parsed)}`);
        assert.equal(parsed.value.endPoint, 'https://cloud.example.org/ocm');
      }
    }
  });

  test('every client rule accepts the document at the path that client asks', () => {
    for (const rule of CLIENT_RULES) {
      const served = rule.asks === '/.well-known/ocm' ? wellKnown : provider;
      assert.deepEqual(rule.check(served, ROOT), [], rule.client);
    }
  });

  test("the rules are not vacuous: one codec's plain document fails the clients it ignores", () => {
    const plain13 = codecFor('ocm-1.3')?.discovery?.serialise(doc);
    assert.ok(plain13?.ok);
    const refusedBy = CLIENT_RULES.filter((rule) => rule.check(plain13.value, ROOT).length > 0);
    assert.deepEqual(
      refusedBy.map((r) => r.client),
      [
        'Nextcloud 14–27',
        'Nextcloud 28–30',
        'ownCloud 10.1–10.7',
        'OCM 1.1 peer',
        'OCM 1.2-era peer',
      ],
    );
    const byClient = (name: string) => CLIENT_RULES.find((r) => r.client === name)!;
    assert.notDeepEqual(
      byClient('I-D-05 peer').check(wellKnown, { ...ROOT, jwks: { keys: [] } }),
      [],
    );
    const deep = { ...wellKnown, extra: [[[[[[[[['too deep']]]]]]]]] };
    assert.notDeepEqual(byClient('Nextcloud 33').check(deep, ROOT), []);
  });
});
