import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import type { RequestHandler } from 'express';
import { createRedisClient } from '../../../adapters/redis/create-redis-client.ts';
import { RedisShortLivedStore } from '../../../adapters/redis/redis-short-lived-store.ts';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from '../../contract/redis-test-keys.ts';
import { policyOf, startPublicListener, type PublicListener } from './public-listener-harness.ts';

// Two gateway replicas over one Redis: a peer's requests count against one bucket whichever
// replica they land on, so scaling out does not multiply anyone's limit.
let client: Redis;
let raw: Redis;
let store: RedisShortLivedStore;
let keyPrefix: string;
const replicas: PublicListener[] = [];

const ok: RequestHandler = (_req, res) => {
  res.status(201).json({});
};

before(async () => {
  client = createRedisClient({ url: testRedisUrl() });
  await client.connect();
  raw = testRedisClient();
  keyPrefix = randomKeyPrefix();
  store = new RedisShortLivedStore({ client, keyPrefix });
  const policy = policyOf({ perPeerRateLimit: { requests: 4, windowSeconds: 600 } });
  const routes = [{ path: '/ocm/shares', handler: ok, bodyLimitBytes: 1_000 }];
  for (let i = 0; i < 2; i += 1)
    replicas.push(await startPublicListener({ routes, policy, store }));
});

after(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await store.close();
  await deleteKeysWithPrefix(raw, keyPrefix);
  await client.quit();
  await raw.quit();
});

test('one bucket per peer across replicas; the refusal carries Retry-After', async () => {
  const headers = { 'Signature-Input': 'ocm=("@method");keyid="peer.example#k"' };
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 6; i += 1) {
    const replica = replicas[i % 2];
    assert.ok(replica !== undefined);
    const reply = await fetch(`http://127.0.0.1:${replica.port}/ocm/shares`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    statuses.push(reply.status);
    if (reply.status === 429) retryAfter = reply.headers.get('retry-after');
  }
  assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429]);
  // 4 per 600 s: one token every 150 s.
  assert.ok(retryAfter !== null && Number(retryAfter) > 100 && Number(retryAfter) <= 150);
  const keys = await keysWithPrefix(raw, keyPrefix);
  assert.ok(
    keys.some((k) => k.includes('peer.example')),
    keys.join(', '),
  );
});
