import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import {
  buildJwks,
  cavageKeyId,
  discoveryKeyFields,
  rfc9421KeyId,
  signingKeyFor,
} from './key-publication.ts';
import {
  activeKey,
  keySetProblems,
  pruneKeySet,
  rotateKeySet,
  type KeyRecord,
  type KeySet,
} from './key-set.ts';
import { signRequest } from './sign-request.ts';
import { verifyRequest } from './verify-request.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const URL_ = 'https://cloud.example.org';
let counter = 0;

function fresh(
  family: 'ed25519' | 'rsa',
  state: KeyRecord['state'] = 'next',
  createdAt = T0,
): KeyRecord {
  const pair =
    family === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  counter += 1;
  return { kid: `${family}-${counter}`, family, state, createdAt, ...pair };
}

const rsaActive = fresh('rsa', 'active');
const initial: KeySet = {
  keys: [fresh('ed25519', 'active'), fresh('ed25519', 'next'), rsaActive, fresh('rsa', 'next')],
};

const summary = (set: KeySet) =>
  set.keys.map(
    (key) =>
      `${key.kid}:${key.state}${key.retiredUntil === undefined ? '' : `@${key.retiredUntil}`}`,
  );

describe('key rotation state machine', () => {
  test('rotate: next → active, active → retired until now + overlap, a new next', () => {
    const [a, n] = initial.keys;
    const added = fresh('ed25519');
    const rotated = rotateKeySet(initial, [added], T0 + DAY, 7 * DAY);
    assert.deepEqual(summary(rotated), [
      `${a?.kid}:retired@${T0 + 8 * DAY}`,
      `${n?.kid}:active`,
      `${rsaActive.kid}:active`,
      `${initial.keys[3]?.kid}:next`,
      `${added.kid}:next`,
    ]);
    assert.deepEqual(keySetProblems(rotated), []);
    assert.equal(activeKey(rotated, 'ed25519')?.kid, n?.kid);
  });

  test('a family without a next key gets its fresh key as active', () => {
    const lone: KeySet = { keys: [fresh('ed25519', 'active'), fresh('rsa', 'active')] };
    const added = fresh('rsa');
    const rotated = rotateKeySet(lone, [added], T0, DAY);
    assert.equal(activeKey(rotated, 'rsa')?.kid, added.kid);
    assert.deepEqual(keySetProblems(rotated), []);
  });

  test('prune drops only retired keys past their publication time', () => {
    const rotated = rotateKeySet(initial, [fresh('ed25519')], T0, DAY);
    assert.equal(pruneKeySet(rotated, T0 + DAY - 1).keys.length, 5);
    const pruned = pruneKeySet(rotated, T0 + DAY);
    assert.equal(pruned.keys.length, 4);
    assert.ok(pruned.keys.every((key) => key.state !== 'retired'));
  });

  test('problems: no active key, two active keys, duplicate kid', () => {
    assert.equal(keySetProblems({ keys: [] }).length, 2);
    const twice = { keys: [...initial.keys, { ...rsaActive, kid: 'other' }] };
    assert.match(keySetProblems(twice).join(), /rsa: 2 active/);
    const dup = { keys: [...initial.keys, { ...rsaActive, state: 'next' as const }] };
    assert.match(keySetProblems(dup).join(), /share a kid/);
  });
});

describe('key publication', () => {
  test('key ids: host#kid for RFC 9421, the Nextcloud form for cavage (sub-path kept)', () => {
    assert.equal(
      rfc9421KeyId('https://cloud.example.org:8443/x/', 'k1'),
      'cloud.example.org:8443#k1',
    );
    assert.equal(
      cavageKeyId('https://cloud.example.org'),
      'https://cloud.example.org/ocm#signature',
    );
    assert.equal(
      cavageKeyId('https://cloud.example.org/nextcloud/'),
      'https://cloud.example.org/nextcloud/ocm#signature',
    );
  });

  test('JWKS: next, active and unexpired retired Ed25519 keys, public members only', () => {
    const rotated = rotateKeySet(initial, [fresh('ed25519')], T0, DAY);
    const jwks = buildJwks(rotated, URL_, T0 + 1);
    assert.equal(jwks.keys.length, 3);
    const text = JSON.stringify(jwks);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) {
      assert.ok(!jwks.keys.some((key) => member in key), `member ${member}`);
    }
    assert.doesNotMatch(text, /PRIVATE/);
    for (const key of jwks.keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      assert.match(key.kid, /^cloud\.example\.org#ed25519-\d+$/);
    }
    assert.equal(buildJwks(rotated, URL_, T0 + DAY).keys.length, 2);
  });

  test('the JWKS key verifies what the active key signs, found by kid = keyid', async () => {
    const signing = signingKeyFor(initial, 'rfc9421', URL_);
    assert.ok(signing);
    const request = {
      method: 'POST',
      targetUri: 'https://peer.example/ocm/shares',
      headers: {},
      body: new Uint8Array([1]),
    };
    const headers = signRequest('rfc9421', signing, request, T0);
    const jwks = buildJwks(initial, URL_, T0);
    const result = await verifyRequest(
      { ...request, headers },
      {
        now: T0,
        resolveKey: (keyId) => {
          const jwk = jwks.keys.find((key) => key.kid === keyId);
          return Promise.resolve(
            jwk === undefined ? undefined : createPublicKey({ key: { ...jwk }, format: 'jwk' }),
          );
        },
      },
    );
    assert.equal(result.ok && result.signerHost, 'cloud.example.org');
  });

  test('discovery fields: publicKeys[] for RFC 9421, publicKey for cavage, no private PEM', () => {
    const fields = discoveryKeyFields(initial, URL_, T0);
    assert.equal(fields.publicKeys.length, 2);
    assert.ok(
      fields.publicKeys.every(
        (key) =>
          key.algorithm === 'ed25519' && key.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----'),
      ),
    );
    assert.equal(fields.publicKey?.keyId, 'https://cloud.example.org/ocm#signature');
    assert.equal(
      fields.publicKey.publicKeyPem,
      rsaActive.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    assert.doesNotMatch(JSON.stringify(fields), /PRIVATE/);
    assert.equal(signingKeyFor(initial, 'cavage', URL_)?.keyId, fields.publicKey.keyId);
    assert.equal(signingKeyFor({ keys: [] }, 'cavage', URL_), undefined);
  });
});
