import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryShortLivedStore } from '../../adapters/memory/memory-short-lived-store.ts';
import { ManualClock } from './manual-clock.ts';
import { runShortLivedStoreContract } from './short-lived-store.contract.ts';

runShortLivedStoreContract('memory', (clock) => {
  const store = new MemoryShortLivedStore({ clock: clock.now });
  return Promise.resolve({ store, teardown: () => store.close() });
});

test('memory store stays bounded: expired entries go first, then the oldest', async () => {
  const clock = new ManualClock();
  const store = new MemoryShortLivedStore({ maxEntries: 10, clock: clock.now });
  for (let i = 0; i < 5; i += 1) await store.remember(`old-${i}`, 100);
  clock.advance(100);
  for (let i = 0; i < 10; i += 1) await store.remember(`new-${i}`, 60_000);
  // The five expired nonces made room: all ten live ones are still remembered.
  for (let i = 0; i < 10; i += 1) assert.equal(await store.remember(`new-${i}`, 60_000), false);
  for (let i = 0; i < 20; i += 1) await store.remember(`flood-${i}`, 60_000);
  const health = await store.health();
  const size = Number(/(\d+) entries/.exec(health.detail)?.[1]);
  assert.ok(size <= 10, `size ${String(size)}`);
  assert.equal(await store.remember('flood-19', 60_000), false, 'the newest survives');
});
