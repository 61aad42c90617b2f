/** Two gateway replicas on one real Redis share the capability cache and single-flight discovery; Redis outages degrade to memory. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createStores, type Stores } from '../../../adapters/create-stores.ts';
import {
  deleteKeysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from '../../contract/redis-test-keys.ts';
import { startRedisProcess } from '../../support/redis-process.ts';
import { discoveryKit, fixtureBody, hits, sendJson } from './discovery-harness.ts';
import { resolverUnderTest, type ResolverUnderTest } from './resolver-harness.ts';

const kit = discoveryKit();
const dataDir = mkdtempSync(join(tmpdir(), 'resolver-redis-'));
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await kit.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const DOC = '/.well-known/ocm';
const secretKey = 'resolver-redis-test-key-0123456789abcdef';

async function replica(
  redisUrl: string,
  keyPrefix: string,
): Promise<{ stores: Stores; h: ResolverUnderTest }> {
  const stores = await createStores({ redisUrl, keyPrefix, dataDir, secretKey });
  const h = resolverUnderTest({ stores });
  cleanups.push(async () => {
    await h.close();
    await stores.close();
  });
  return { stores, h };
}

describe('replicas on one Redis', () => {
  test('200 concurrent lookups of one unknown peer on two replicas: the peer sees exactly one discovery', async () => {
    const prefix = randomKeyPrefix();
    const raw = testRedisClient();
    cleanups.push(async () => {
      await deleteKeysWithPrefix(raw, prefix);
      raw.disconnect();
    });
    const s = await kit.server({
      [DOC]: (_q, res) =>
        setTimeout(() => sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14')), 200),
    });
    const a = await replica(testRedisUrl(), prefix);
    const b = await replica(testRedisUrl(), prefix);
    const peer = `bob@http://127.0.0.1:${s.port}`;
    const lookups = Array.from({ length: 200 }, (_, i) =>
      (i % 2 === 0 ? a : b).h.resolver.resolve(peer),
    );
    const results = await Promise.all(lookups);
    assert.equal(hits(s, DOC), 1);
    assert.equal(s.requests.length, 1);
    assert.ok(results.every((r) => r.dialect === 'ocm-proposal1'));
    const discoveries =
      (await a.h.sample('gateway_peer_discoveries_total', { result: 'ocm' })) +
      (await b.h.sample('gateway_peer_discoveries_total', { result: 'ocm' }));
    assert.equal(discoveries, 1);
    // Shared state: the other replica lists it, and forgetting on one is seen by the other.
    assert.deepEqual(
      (await b.h.resolver.list()).map((p) => p.peer),
      [`127.0.0.1:${s.port}`],
    );
    await a.h.resolver.forget(peer);
    assert.deepEqual(await a.h.resolver.list(), []);
  });
});

describe('Redis outage', () => {
  test('with Redis stopped discovery works from memory; when it is back the cache is in Redis again', async () => {
    const redis = await startRedisProcess();
    cleanups.push(() => redis.stop());
    const prefix = randomKeyPrefix();
    const s = await kit.server({
      [DOC]: (_q, res) => sendJson(res, fixtureBody('discovery-ocm-provider-nextcloud14')),
    });
    const { stores, h } = await replica(redis.url, prefix);

    await redis.stop();
    const first = await h.resolver.resolve(`http://127.0.0.1:${s.port}`);
    assert.equal(first.source, 'miss');
    const second = await h.resolver.resolve(`http://127.0.0.1:${s.port}/`);
    assert.equal(second.source, 'hit', 'served from the in-process L1');
    assert.equal(hits(s, DOC), 1);

    await redis.restart();
    for (let i = 0; i < 100 && !(await stores.capabilityCache.health()).ok; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok((await stores.capabilityCache.health()).ok, 'the client reconnected');
    await h.resolver.refresh(`http://127.0.0.1:${s.port}`);
    const raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      const stored = await raw.get(`${prefix}{cap}:peer:127.0.0.1:${s.port}`);
      assert.ok(stored !== null && stored.includes('ocm-proposal1'));
    } finally {
      raw.disconnect();
    }
  });
});
