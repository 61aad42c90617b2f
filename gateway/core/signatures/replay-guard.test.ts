import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { ReplayGuard } from './replay-guard.ts';
import { signRequest } from './sign-request.ts';
import { verifyRequest } from './verify-request.ts';

describe('ReplayGuard', () => {
  test('a signed request is admitted once; the same signature again is replayed', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const now = Date.UTC(2026, 0, 1);
    const request = {
      method: 'POST',
      targetUri: 'https://receiver.example.org/ocm/notifications',
      headers: {},
      body: new TextEncoder().encode('{}'),
    };
    const sign = (at: number) => ({
      ...request,
      headers: signRequest(
        'rfc9421',
        { keyId: 'a.example#k', family: 'ed25519', privateKey },
        request,
        at,
      ),
    });
    let clock = now;
    const store = new MemoryShortLivedStore({ clock: () => clock });
    const guard = new ReplayGuard(store);
    const options = { now, resolveKey: () => Promise.resolve(publicKey) };

    const first = await verifyRequest(sign(now), options);
    assert.ok(first.ok);
    assert.equal(await guard.admit(first), first);
    const again = await verifyRequest(sign(now), options);
    assert.ok(again.ok);
    const replayed = await guard.admit(again);
    assert.equal(!replayed.ok && replayed.reason, 'replayed');

    // A fresh signature (a second later) is a different request.
    const later = await verifyRequest(sign(now + 1000), { ...options, now: now + 1000 });
    assert.ok(later.ok);
    assert.equal((await guard.admit(later)).ok, true);

    // After freshness + skew the old signature is forgotten; the verifier refuses it as stale anyway.
    clock = now + 361_000;
    assert.equal((await guard.admit(first)).ok, true);
    const stale = await verifyRequest(sign(now), { ...options, now: clock });
    assert.equal(!stale.ok && stale.reason, 'stale');
  });

  test('the store is asked under a prefixed key for the whole acceptance window', async () => {
    const calls: [string, number][] = [];
    const guard = new ReplayGuard(
      {
        remember: (key, ttl) => {
          calls.push([key, ttl]);
          return Promise.resolve(true);
        },
      },
      { freshnessSeconds: 120, maxFutureSkewSeconds: 30, keyPrefix: 'p:' },
    );
    await guard.admit({
      ok: true,
      scheme: 'cavage',
      keyId: 'k',
      signerHost: 'h',
      createdAt: 0,
      replayKey: 'abc',
    });
    assert.deepEqual(calls, [['p:abc', 150_000]]);
  });
});
