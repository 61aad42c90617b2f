import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../adapters/redis/create-redis-client.ts';
import { RedisCapabilityCache } from '../../adapters/redis/redis-capability-cache.ts';
import { runCapabilityCacheContract } from './capability-cache.contract.ts';
import { ManualClock } from './manual-clock.ts';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from './redis-test-keys.ts';

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

runCapabilityCacheContract('redis', (clock) => {
  const keyPrefix = randomKeyPrefix();
  const cache = new RedisCapabilityCache({ client, keyPrefix, clock: clock.now });
  return Promise.resolve({
    cache,
    teardown: async () => {
      await cache.close();
      await deleteKeysWithPrefix(raw, keyPrefix);
    },
  });
});

runCapabilityCacheContract('redis without L1', (clock) => {
  const keyPrefix = randomKeyPrefix();
  const cache = new RedisCapabilityCache({ client, keyPrefix, clock: clock.now, l1TtlMs: 0 });
  return Promise.resolve({
    cache,
    teardown: async () => {
      await cache.close();
      await deleteKeysWithPrefix(raw, keyPrefix);
    },
  });
});

describe('Redis capability cache specifics', () => {
  const setUp = (l1TtlMs?: number) => {
    const clock = new ManualClock();
    const keyPrefix = randomKeyPrefix();
    const errors: string[] = [];
    const cache = new RedisCapabilityCache({
      client,
      keyPrefix,
      clock: clock.now,
      ...(l1TtlMs === undefined ? {} : { l1TtlMs }),
      onError: (_error, operation) => errors.push(operation),
    });
    const teardown = async () => {
      await cache.close();
      await deleteKeysWithPrefix(raw, keyPrefix);
    };
    return { clock, keyPrefix, errors, cache, teardown };
  };

  test('every entry also carries a real Redis expiry (PX), its remaining lifetime', async () => {
    const { clock, keyPrefix, cache, teardown } = setUp();
    try {
      const now = clock.now();
      await cache.put('a.example.org', {
        value: 1,
        fetchedAt: now,
        staleAt: now + 1_000,
        expiresAt: now + 5_000,
      });
      const [key] = (await keysWithPrefix(raw, keyPrefix)).filter((k) => k.includes('peer:'));
      assert.ok(key !== undefined);
      assert.ok(key.startsWith(`${keyPrefix}{cap}:`), 'keys share the {cap} hash tag');
      const pttl = await raw.pttl(key);
      assert.ok(pttl > 0 && pttl <= 5_000, `pttl ${String(pttl)}`);
    } finally {
      await teardown();
    }
  });

  test('the L1 answers for l1TtlMs, then Redis is asked again', async () => {
    const { clock, keyPrefix, cache, teardown } = setUp(5_000);
    try {
      const now = clock.now();
      await cache.put('a.example.org', {
        value: 1,
        fetchedAt: now,
        staleAt: now + 60_000,
        expiresAt: now + 120_000,
      });
      await deleteKeysWithPrefix(raw, keyPrefix); // another replica's forget, seen only by Redis
      assert.ok((await cache.get('a.example.org')) !== undefined, 'served from L1');
      clock.advance(5_001);
      assert.equal(await cache.get('a.example.org'), undefined, 'L1 copy no longer trusted');
    } finally {
      await teardown();
    }
  });

  test('a malformed entry in Redis is a miss, reported to onError', async () => {
    const { keyPrefix, errors, cache, teardown } = setUp(0);
    try {
      await raw.set(`${keyPrefix}{cap}:peer:bad.example.org`, '{"v":1,"value":1,"fetchedAt":"x"}');
      await raw.set(`${keyPrefix}{cap}:peer:worse.example.org`, 'not json');
      assert.equal(await cache.get('bad.example.org'), undefined);
      assert.equal(await cache.get('worse.example.org'), undefined);
      assert.deepEqual(errors, ['capability-cache.get', 'capability-cache.get']);
    } finally {
      await teardown();
    }
  });

  test('a key prefix with a brace is refused (it would replace the hash tag)', () => {
    assert.throws(() => new RedisCapabilityCache({ client, keyPrefix: 'bad{x}:' }), RangeError);
  });
});
