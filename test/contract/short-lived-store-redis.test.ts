import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../adapters/redis/create-redis-client.ts';
import { RedisShortLivedStore } from '../../adapters/redis/redis-short-lived-store.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { ManualClock } from './manual-clock.ts';
import {
  deleteKeysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from './redis-test-keys.ts';
import { runShortLivedStoreContract } from './short-lived-store.contract.ts';

let client: Redis;
let raw: Redis;

before(async () => {
  client = createRedisClient({ url: testRedisUrl() });
  await client.connect();
  raw = testRedisClient();
});

after(async () => {
  await client.quit();
  await raw.quit();
});

runShortLivedStoreContract('redis', (clock) => {
  const keyPrefix = randomKeyPrefix();
  const store = new RedisShortLivedStore({ client, keyPrefix, clock: clock.now });
  return Promise.resolve({
    store,
    teardown: async () => {
      await store.close();
      await deleteKeysWithPrefix(raw, keyPrefix);
    },
  });
});

test('redis store: every key also gets a real PX expiry as a safety net', async () => {
  const keyPrefix = randomKeyPrefix();
  const store = new RedisShortLivedStore({ client, keyPrefix, clock: new ManualClock().now });
  try {
    await store.setToken('t', 'v', 3_000);
    await store.remember('n', 3_000);
    await store.acquireLock('l', 'me', 3_000);
    await store.hit('r', 3, 3_000);
    for (const kind of ['tok:t', 'nonce:n', 'lock:l', 'rate:r']) {
      const pttl = await raw.pttl(`${keyPrefix}${kind}`);
      assert.ok(pttl > 0 && pttl <= 3_000, `${kind} pttl ${String(pttl)}`);
    }
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});

test('redis store: scripts are reloaded after SCRIPT FLUSH (as after a Redis restart)', async () => {
  const keyPrefix = randomKeyPrefix();
  const store = new RedisShortLivedStore({ client, keyPrefix });
  try {
    assert.equal(await store.remember('a', 1_000), true);
    await raw.script('FLUSH');
    assert.equal(await store.remember('a', 1_000), false);
    assert.equal(await store.remember('b', 1_000), true);
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});

test('redis store: a lock release that meets Redis down is retried once Redis is back', async () => {
  const keyPrefix = randomKeyPrefix();
  const own = createRedisClient({ url: testRedisUrl() });
  await own.connect();
  const store = new RedisShortLivedStore({ client: own, keyPrefix, ownsClient: true });
  try {
    assert.equal(await store.acquireLock('delivery', 'first', 120_000), true);
    const ended = new Promise((resolve) => own.once('end', resolve));
    own.disconnect();
    await ended;
    await assert.rejects(
      store.releaseLock('delivery', 'first'),
      (error: unknown) => error instanceof GatewayError && error.code === 'UNAVAILABLE',
    );
    assert.ok(await raw.exists(`${keyPrefix}lock:delivery`), 'still held while Redis is away');
    await own.connect();
    const deadline = Date.now() + 5_000;
    while ((await raw.exists(`${keyPrefix}lock:delivery`)) === 1) {
      assert.ok(Date.now() < deadline, 'released in the background');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(await store.acquireLock('delivery', 'second', 120_000), true);
  } finally {
    await store.close();
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});
