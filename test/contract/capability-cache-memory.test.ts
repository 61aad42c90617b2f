import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCapabilityCache } from '../../adapters/memory/memory-capability-cache.ts';
import { runCapabilityCacheContract } from './capability-cache.contract.ts';
import { ManualClock } from './manual-clock.ts';

runCapabilityCacheContract('memory', (clock) => {
  const cache = new MemoryCapabilityCache({ clock: clock.now });
  return Promise.resolve({ cache, teardown: () => cache.close() });
});

test('memory cache: bounded, the least recently used peer is dropped first', async () => {
  const clock = new ManualClock();
  const cache = new MemoryCapabilityCache({ maxEntries: 3, clock: clock.now });
  const entry = {
    value: 1,
    fetchedAt: clock.now(),
    staleAt: clock.now() + 1_000,
    expiresAt: clock.now() + 2_000,
  };
  await cache.put('a', entry);
  await cache.put('b', entry);
  await cache.put('c', entry);
  await cache.get('a'); // a is now the most recent; b is the oldest
  await cache.put('d', entry);
  assert.equal(await cache.get('b'), undefined);
  for (const kept of ['a', 'c', 'd']) assert.ok((await cache.get(kept)) !== undefined, kept);
  assert.equal((await cache.list()).length, 3);
  await cache.close();
});
