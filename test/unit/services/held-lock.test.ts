import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { acquireHeldLock, type LockStore } from '../../../gateway/services/held-lock.ts';
import { silentLogger } from './receive-fakes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('acquireHeldLock', () => {
  test('held past its TTL while renewed, free for others once released', async () => {
    const store = new MemoryShortLivedStore();
    const lock = await acquireHeldLock(store, 'k', { ttlMs: 50, logger: silentLogger });
    assert.ok(lock);
    await sleep(180);
    assert.equal(await store.acquireLock('k', 'other', 1_000), false);
    await lock.release();
    assert.equal(await store.acquireLock('k', 'other', 1_000), true);
  });

  test('undefined while someone else holds the key', async () => {
    const store = new MemoryShortLivedStore();
    assert.equal(await store.acquireLock('k', 'other', 1_000), true);
    assert.equal(await acquireHeldLock(store, 'k', { ttlMs: 50, logger: silentLogger }), undefined);
  });

  test('stops renewing on release, and a renewal failure only logs', async () => {
    const store = new MemoryShortLivedStore();
    let renewals = 0;
    let failing = false;
    const counting: LockStore = {
      acquireLock: async (key, owner, ttlMs) => {
        renewals += 1;
        if (failing) throw new Error('store down');
        return store.acquireLock(key, owner, ttlMs);
      },
      releaseLock: (key, owner) => store.releaseLock(key, owner),
    };
    const lock = await acquireHeldLock(counting, 'k', { ttlMs: 30, logger: silentLogger });
    assert.ok(lock);
    failing = true;
    await sleep(60);
    assert.ok(renewals > 1);
    failing = false;
    await lock.release();
    const after = renewals;
    await sleep(60);
    assert.equal(renewals, after);
  });
});
