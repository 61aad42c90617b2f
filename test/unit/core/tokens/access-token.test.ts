import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  accessTokenClaims,
  looksLikeJwt,
  signAccessToken,
  verifyAccessToken,
} from '../../../../gateway/core/tokens/access-token.ts';
import { deriveAccessTokenKey } from '../../../../gateway/core/tokens/access-token-key.ts';
import { isSharePeer, usableShareFor } from '../../../../gateway/core/tokens/usable-share.ts';
import { GatewayError } from '../../../../gateway/core/errors/gateway-error.ts';

const LEDGER_KEY = 'a-ledger-key-of-at-least-thirty-two-characters';
const KEY = deriveAccessTokenKey(LEDGER_KEY);
const AUD = 'https://cloud.example.org';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function claims(overrides: { now?: number; lifetimeSeconds?: number } = {}) {
  return accessTokenClaims({
    shareId: 'share-1',
    clientId: 'peer.example.net',
    now: overrides.now ?? T0,
    lifetimeSeconds: overrides.lifetimeSeconds ?? 300,
    tokenId: 'jti-1',
  });
}

describe('deriveAccessTokenKey', () => {
  test('is deterministic per ledger key (every replica derives the same) and 32 bytes', () => {
    assert.deepEqual(deriveAccessTokenKey(LEDGER_KEY), KEY);
    assert.equal(KEY.length, 32);
    assert.notDeepEqual(deriveAccessTokenKey(`${LEDGER_KEY}x`), KEY);
  });

  test('refuses a short ledger key without echoing it', () => {
    assert.throws(
      () => deriveAccessTokenKey('short-secret'),
      (e: unknown) => e instanceof GatewayError && !e.message.includes('short-secret'),
    );
  });
});

describe('access tokens', () => {
  test('claims: seconds, expiry = issue + lifetime', () => {
    const c = claims({ now: T0 + 999 });
    assert.equal(c.issuedAt, T0 / 1000);
    assert.equal(c.expiresAt, T0 / 1000 + 300);
  });

  test('round trip: the token names its share, peer and id', async () => {
    const token = await signAccessToken(claims(), KEY, AUD);
    assert.ok(looksLikeJwt(token));
    const check = await verifyAccessToken(token, KEY, { audience: AUD, now: T0 + 1000 });
    assert.deepEqual(check, { ok: true, claims: claims() });
  });

  test('expired at exp, not before', async () => {
    const token = await signAccessToken(claims(), KEY, AUD);
    const justBefore = await verifyAccessToken(token, KEY, { audience: AUD, now: T0 + 299_999 });
    assert.equal(justBefore.ok, true);
    const atExpiry = await verifyAccessToken(token, KEY, { audience: AUD, now: T0 + 300_000 });
    assert.deepEqual(atExpiry, { ok: false, reason: 'expired' });
  });

  test('another audience, another key, a tampered payload, alg none: invalid', async () => {
    const token = await signAccessToken(claims(), KEY, AUD);
    const at = { audience: AUD, now: T0 };
    assert.deepEqual(
      await verifyAccessToken(token, KEY, { ...at, audience: 'https://other.example' }),
      {
        ok: false,
        reason: 'invalid',
      },
    );
    assert.deepEqual(await verifyAccessToken(token, deriveAccessTokenKey(`${LEDGER_KEY}!`), at), {
      ok: false,
      reason: 'invalid',
    });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    forged.sub = 'share-2';
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    assert.deepEqual(await verifyAccessToken(tampered, KEY, at), { ok: false, reason: 'invalid' });
    const unsecured = new UnsecuredJWT({ client_id: 'peer.example.net' })
      .setSubject('share-1')
      .setAudience(AUD)
      .setIssuer(AUD)
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 300)
      .setJti('x')
      .encode();
    assert.deepEqual(await verifyAccessToken(unsecured, KEY, at), { ok: false, reason: 'invalid' });
  });

  test('a JWT signed with the right key but without our type or claims is refused', async () => {
    const plain = await new SignJWT({ client_id: 'peer.example.net' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('share-1')
      .setAudience(AUD)
      .setIssuer(AUD)
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 300)
      .setJti('x')
      .sign(KEY);
    assert.deepEqual(await verifyAccessToken(plain, KEY, { audience: AUD, now: T0 }), {
      ok: false,
      reason: 'invalid',
    });
    const noClient = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('share-1')
      .setAudience(AUD)
      .setIssuer(AUD)
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 300)
      .setJti('x')
      .sign(KEY);
    assert.deepEqual(await verifyAccessToken(noClient, KEY, { audience: AUD, now: T0 }), {
      ok: false,
      reason: 'invalid',
    });
  });

  test('looksLikeJwt separates tokens from shared secrets', () => {
    assert.equal(looksLikeJwt('aB3dE5fG7hJ9kL1'), false);
    assert.equal(looksLikeJwt('a.b'), false);
    assert.equal(looksLikeJwt('a.b.c'), true);
    assert.equal(looksLikeJwt('a.b.c d'), false);
  });
});

describe('usableShareFor', () => {
  const base = { direction: 'outgoing', state: 'accepted', peerHost: 'Peer.Example.net' } as const;
  test('only live shares the backend gave to a peer', () => {
    assert.equal(usableShareFor(base), base);
    assert.equal(usableShareFor({ ...base, state: 'pending' })?.state, 'pending');
    assert.equal(usableShareFor({ ...base, state: 'unshared' }), undefined);
    assert.equal(usableShareFor({ ...base, state: 'declined' }), undefined);
    assert.equal(usableShareFor({ ...base, direction: 'incoming' }), undefined);
    assert.equal(usableShareFor(undefined), undefined);
  });
  test('peer hosts compare case-insensitively', () => {
    assert.equal(isSharePeer(base, 'peer.example.net'), true);
    assert.equal(isSharePeer(base, 'peer.example.org'), false);
  });
});
