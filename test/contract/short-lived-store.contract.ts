/** The ShortLivedStore contract: every adapter must pass it (memory, Redis). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ShortLivedStore } from '../../gateway/ports/short-lived-store.ts';
import { ManualClock } from './manual-clock.ts';

export interface ShortLivedStoreHarness {
  readonly store: ShortLivedStore;
  teardown(): Promise<void>;
}

export type MakeShortLivedStore = (clock: ManualClock) => Promise<ShortLivedStoreHarness>;

export function runShortLivedStoreContract(name: string, make: MakeShortLivedStore): void {
  const withStore = async (
    body: (store: ShortLivedStore, clock: ManualClock) => Promise<void>,
  ): Promise<void> => {
    const clock = new ManualClock();
    const harness = await make(clock);
    try {
      await body(harness.store, clock);
    } finally {
      await harness.teardown();
    }
  };

  describe(`ShortLivedStore contract: ${name}`, () => {
    test('tokens: set, get, overwrite, delete', () =>
      withStore(async (store) => {
        assert.equal(await store.getToken('t1'), undefined);
        await store.setToken('t1', 'value|with|bars', 60_000);
        assert.equal(await store.getToken('t1'), 'value|with|bars');
        await store.setToken('t1', '', 60_000);
        assert.equal(await store.getToken('t1'), '');
        await store.deleteToken('t1');
        assert.equal(await store.getToken('t1'), undefined);
        await store.deleteToken('never-set');
      }));

    test('tokens expire after their TTL (injected clock)', () =>
      withStore(async (store, clock) => {
        await store.setToken('t1', 'v', 1_000);
        clock.advance(999);
        assert.equal(await store.getToken('t1'), 'v');
        clock.advance(1);
        assert.equal(await store.getToken('t1'), undefined);
      }));

    test('remember: true the first time, false on replay, true again after the TTL', () =>
      withStore(async (store, clock) => {
        assert.equal(await store.remember('n1', 1_000), true);
        assert.equal(await store.remember('n1', 1_000), false);
        assert.equal(await store.remember('n2', 1_000), true, 'keys are independent');
        clock.advance(1_000);
        assert.equal(await store.remember('n1', 1_000), true);
      }));

    test('remember under concurrency: exactly one of 20 identical calls is first', () =>
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.remember('same-nonce', 60_000)),
        );
        assert.equal(results.filter(Boolean).length, 1);
      }));

    test('locks: only the owner releases; the owner may extend; expiry frees the lock', () =>
      withStore(async (store, clock) => {
        assert.equal(await store.acquireLock('job', 'owner-a', 1_000), true);
        assert.equal(await store.acquireLock('job', 'owner-b', 1_000), false);
        assert.equal(await store.releaseLock('job', 'owner-b'), false);
        assert.equal(await store.acquireLock('job', 'owner-b', 1_000), false, 'still held by a');
        clock.advance(600);
        assert.equal(await store.acquireLock('job', 'owner-a', 1_000), true, 'a extends');
        clock.advance(600);
        assert.equal(await store.acquireLock('job', 'owner-b', 1_000), false, 'extension held');
        assert.equal(await store.releaseLock('job', 'owner-a'), true);
        assert.equal(await store.releaseLock('job', 'owner-a'), false, 'already released');
        assert.equal(await store.acquireLock('job', 'owner-b', 1_000), true);
        clock.advance(1_000);
        assert.equal(await store.releaseLock('job', 'owner-b'), false, 'expired, nothing held');
        assert.equal(await store.acquireLock('job', 'owner-c', 1_000), true);
      }));

    test('locks under concurrency: one of 10 owners wins', () =>
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.acquireLock('refresh', `owner-${i}`, 5_000)),
        );
        assert.equal(results.filter(Boolean).length, 1);
      }));

    test('rate bucket: limit at once, then one per window/limit; a denial costs nothing', () =>
      withStore(async (store, clock) => {
        const hits = [];
        for (let i = 0; i < 4; i += 1) hits.push(await store.hit('peer-a', 3, 1_000));
        assert.deepEqual(hits, [
          { allowed: true, remaining: 2, retryAfterMs: 0 },
          { allowed: true, remaining: 1, retryAfterMs: 0 },
          { allowed: true, remaining: 0, retryAfterMs: 0 },
          { allowed: false, remaining: 0, retryAfterMs: 334 },
        ]);
        assert.deepEqual(await store.hit('peer-b', 3, 1_000), {
          allowed: true,
          remaining: 2,
          retryAfterMs: 0,
        });
        clock.advance(333);
        assert.equal((await store.hit('peer-a', 3, 1_000)).allowed, false);
        clock.advance(1);
        assert.deepEqual(await store.hit('peer-a', 3, 1_000), {
          allowed: true,
          remaining: 0,
          retryAfterMs: 0,
        });
        clock.advance(1_000);
        assert.deepEqual(
          (await store.hit('peer-a', 3, 1_000)).remaining,
          2,
          'a full window refills the bucket',
        );
      }));

    test('rate bucket under concurrency: exactly `limit` of 12 simultaneous hits pass', () =>
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 12 }, () => store.hit('burst', 5, 60_000)),
        );
        assert.equal(results.filter((r) => r.allowed).length, 5);
        assert.deepEqual(
          results
            .map((r) => r.remaining)
            .filter((_, i) => results[i]?.allowed)
            .sort(),
          [0, 1, 2, 3, 4],
        );
        for (const denied of results.filter((r) => !r.allowed)) {
          assert.ok(denied.retryAfterMs > 0 && denied.retryAfterMs <= 12_000);
        }
      }));

    test('bad arguments are refused with a RangeError naming them', () =>
      withStore(async (store) => {
        await assert.rejects(store.setToken('t', 'v', 0), /ttlMs/);
        await assert.rejects(store.remember('n', 1.5), /ttlMs/);
        await assert.rejects(store.acquireLock('l', '', 1_000), /owner/);
        await assert.rejects(store.hit('r', 0, 1_000), /limit/);
        await assert.rejects(store.hit('r', 1, -1), /windowMs/);
        await assert.rejects(store.remember('', 1_000), /key/);
      }));

    test('health reports ok', () =>
      withStore(async (store) => {
        const health = await store.health();
        assert.equal(health.ok, true, health.detail);
      }));
  });
}
