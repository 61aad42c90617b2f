import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  keyFromDiscovery,
  keyFromJwks,
  publicKeyFromJwk,
  publicKeyFromPem,
} from './peer-public-key.ts';

const ed = generateKeyPairSync('ed25519');
const publicJwk = { ...ed.publicKey.export({ format: 'jwk' }), kid: 'peer.example#k1' };
const pem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('peer public keys', () => {
  test('a public JWK becomes a public KeyObject; private or symmetric JWKs are ignored', () => {
    assert.equal(publicKeyFromJwk(publicJwk)?.type, 'public');
    assert.equal(publicKeyFromJwk(ed.privateKey.export({ format: 'jwk' })), undefined);
    assert.equal(publicKeyFromJwk({ kty: 'oct', k: 'c2VjcmV0' }), undefined);
    assert.equal(publicKeyFromJwk({ kty: 'OKP', crv: 'Ed25519', x: '!!' }), undefined);
    assert.equal(publicKeyFromJwk('nope'), undefined);
  });

  test('JWKS lookup by exact kid; a duplicated kid is ambiguous', () => {
    const jwks = { keys: [publicJwk, { ...publicJwk, kid: 'peer.example#k2' }] };
    assert.ok(keyFromJwks(jwks, 'peer.example#k1')?.equals(ed.publicKey));
    assert.equal(keyFromJwks(jwks, 'peer.example#K1'), undefined);
    assert.equal(keyFromJwks({ keys: [publicJwk, publicJwk] }, 'peer.example#k1'), undefined);
    assert.equal(keyFromJwks({ keys: 'x' }, 'peer.example#k1'), undefined);
  });

  test('discovery: publicKeys[] for rfc9421, publicKey {keyId|id} for cavage', () => {
    const discovery = {
      publicKeys: [{ keyId: 'peer.example#k1', publicKeyPem: pem, algorithm: 'ed25519' }],
      publicKey: { keyId: 'https://peer.example/ocm#signature', publicKeyPem: pem },
    };
    assert.ok(keyFromDiscovery(discovery, 'peer.example#k1', 'rfc9421')?.equals(ed.publicKey));
    assert.equal(keyFromDiscovery(discovery, 'peer.example#k1', 'cavage'), undefined);
    assert.ok(keyFromDiscovery(discovery, 'https://peer.example/ocm#signature', 'cavage'));
    const preTwelve = {
      publicKey: { id: 'https://peer.example/ocm#signature', publicKeyPem: pem },
    };
    assert.ok(keyFromDiscovery(preTwelve, 'https://peer.example/ocm#signature', 'cavage'));
    assert.equal(
      publicKeyFromPem(ed.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      undefined,
    );
  });
});
