/** The CapabilityCache contract: every adapter must pass it (memory, Redis). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CachedCapabilities, CapabilityCache } from '../../gateway/ports/capability-cache.ts';
import { ManualClock } from './manual-clock.ts';

export interface CapabilityCacheHarness {
  readonly cache: CapabilityCache;
  teardown(): Promise<void>;
}

export type MakeCapabilityCache = (clock: ManualClock) => Promise<CapabilityCacheHarness>;

function entry(now: number, overrides: Partial<CachedCapabilities> = {}): CachedCapabilities {
  return {
    value: { provider: 'cloud.example.org', apiVersion: '1.2.0', resourceTypes: ['file'] },
    fetchedAt: now,
    staleAt: now + 60_000,
    expiresAt: now + 120_000,
    ...overrides,
  };
}

export function runCapabilityCacheContract(name: string, make: MakeCapabilityCache): void {
  const withCache = async (
    body: (cache: CapabilityCache, clock: ManualClock) => Promise<void>,
  ): Promise<void> => {
    const clock = new ManualClock();
    const harness = await make(clock);
    try {
      await body(harness.cache, clock);
    } finally {
      await harness.teardown();
    }
  };

  describe(`CapabilityCache contract: ${name}`, () => {
    test('an unknown peer is a miss', () =>
      withCache(async (cache) => {
        assert.equal(await cache.get('nobody.example.org'), undefined);
      }));

    test('put then get returns an equal entry, negative flag and failures included', () =>
      withCache(async (cache, clock) => {
        const negative = entry(clock.now(), {
          value: { reason: 'timeout' },
          negative: true,
          failures: 3,
        });
        await cache.put('a.example.org', entry(clock.now()));
        await cache.put('b.example.org', negative);
        assert.deepEqual(await cache.get('a.example.org'), entry(clock.now()));
        assert.deepEqual(await cache.get('b.example.org'), negative);
      }));

    test('a second put overwrites, forget removes, forgetting the unknown is harmless', () =>
      withCache(async (cache, clock) => {
        await cache.put('a.example.org', entry(clock.now()));
        const newer = entry(clock.now(), { value: { apiVersion: '1.3.0' } });
        await cache.put('a.example.org', newer);
        assert.deepEqual(await cache.get('a.example.org'), newer);
        await cache.forget('a.example.org');
        assert.equal(await cache.get('a.example.org'), undefined);
        await cache.forget('never.example.org');
      }));

    test('changing the object after put does not change what is stored', () =>
      withCache(async (cache, clock) => {
        const value = { apiVersion: '1.2.0' };
        await cache.put('a.example.org', entry(clock.now(), { value }));
        value.apiVersion = 'tampered';
        assert.deepEqual((await cache.get('a.example.org'))?.value, { apiVersion: '1.2.0' });
      }));

    test('a stale entry is still served; an expired one is a miss (injected clock)', () =>
      withCache(async (cache, clock) => {
        await cache.put('a.example.org', entry(clock.now()));
        clock.advance(90_000);
        assert.ok((await cache.get('a.example.org')) !== undefined, 'stale is served');
        clock.advance(30_000);
        assert.equal(await cache.get('a.example.org'), undefined, 'expired is a miss');
        assert.deepEqual(await cache.list(), []);
      }));

    test('putting an already expired entry leaves nothing behind', () =>
      withCache(async (cache, clock) => {
        await cache.put('a.example.org', entry(clock.now()));
        await cache.put('a.example.org', entry(clock.now(), { expiresAt: clock.now() - 1 }));
        assert.equal(await cache.get('a.example.org'), undefined);
      }));

    test('list returns every unexpired entry with its peer key', () =>
      withCache(async (cache, clock) => {
        await cache.put('a.example.org', entry(clock.now()));
        await cache.put('[::1]:8443', entry(clock.now(), { expiresAt: clock.now() + 200_000 }));
        await cache.put(
          'short.example.org',
          entry(clock.now(), { staleAt: clock.now(), expiresAt: clock.now() + 1_000 }),
        );
        clock.advance(5_000);
        const listed = await cache.list();
        assert.deepEqual(listed.map((p) => p.peerKey).sort(), ['[::1]:8443', 'a.example.org']);
        assert.deepEqual(
          listed.find((p) => p.peerKey === 'a.example.org')?.entry,
          entry(clock.now() - 5_000),
        );
      }));

    test('peer keys with unusual characters are kept apart', () =>
      withCache(async (cache, clock) => {
        const keys = ['a.example.org', 'A.example.org', 'a.example.org:443', 'x y/z*?[]{}', ''];
        for (const [i, key] of keys.entries()) {
          await cache.put(key, entry(clock.now(), { value: i }));
        }
        for (const [i, key] of keys.entries()) {
          assert.equal((await cache.get(key))?.value, i, key);
        }
      }));

    test('health reports ok', () =>
      withCache(async (cache) => {
        const health = await cache.health();
        assert.equal(health.ok, true, health.detail);
        assert.ok(health.detail.length > 0);
      }));
  });
}
