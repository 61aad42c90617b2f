import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from 'ioredis';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from '../../adapters/redis/create-redis-client.ts';
import type { RedisClient } from '../../adapters/redis/redis-connection.ts';
import { RedisLedger } from '../../adapters/redis/redis-ledger.ts';
import { RedisShortLivedStore } from '../../adapters/redis/redis-short-lived-store.ts';
import { RedisCapabilityCache } from '../../adapters/redis/redis-capability-cache.ts';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.ts';
import { LEDGER_TEST_KEY, newShare } from './ledger.contract.ts';
import { randomKeyPrefix } from './redis-test-keys.ts';
import {
  deleteTopologyKeys,
  isCluster,
  runRedisContracts,
  topologyKeys,
} from './redis-topology-harness.ts';

// The same contract suites as on one server, on a real 3-master Redis Cluster: every script and
// MULTI must keep its keys in one slot (else CROSSSLOT), and MOVED is followed by the client.
let cluster: RedisCluster;
let client: RedisClient;
let raw: Cluster;

before(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = createRedisClient({ connection: { mode: 'cluster', nodes: cluster.nodes } });
  await connectRedisClient(client);
  raw = new Cluster([...cluster.nodes], { redisOptions: { maxRetriesPerRequest: 1 } });
});

after(async () => {
  await closeRedisClient(client);
  raw.disconnect();
  await cluster.stop();
});

runRedisContracts(
  'redis cluster',
  () => client,
  () => raw,
);

test('redis cluster: the client is a Cluster, ready, and spreads short-lived keys over the masters', async () => {
  assert.ok(isCluster(client));
  assert.equal(client.status, 'ready');
  const keyPrefix = randomKeyPrefix();
  const store = new RedisShortLivedStore({ client, keyPrefix });
  try {
    for (let i = 0; i < 60; i += 1) await store.remember(`nonce-${i}`, 60_000);
    const perMaster = await Promise.all(
      raw.nodes('master').map(async (node) => (await node.keys(`${keyPrefix}*`)).length),
    );
    assert.equal(perMaster.length, 3);
    assert.ok(
      perMaster.every((count) => count > 0),
      `every master holds some: ${perMaster.join(',')}`,
    );
  } finally {
    await deleteTopologyKeys(raw, keyPrefix);
  }
});

test('redis cluster: a peer-chosen {tag} in a short-lived key does not pick the slot', async () => {
  const keyPrefix = randomKeyPrefix();
  const store = new RedisShortLivedStore({ client, keyPrefix });
  try {
    await store.remember('{pinned}a', 60_000);
    await store.remember('{pinned}b', 60_000);
    const keys = await topologyKeys(raw, keyPrefix);
    assert.deepEqual(keys.sort(), [
      `${keyPrefix}nonce:%7Bpinned%7Da`,
      `${keyPrefix}nonce:%7Bpinned%7Db`,
    ]);
    assert.equal(await store.remember('{pinned}a', 60_000), false, 'still the same key');
  } finally {
    await deleteTopologyKeys(raw, keyPrefix);
  }
});

test('redis cluster: ledger and capability-cache keys each share one tag, so one slot', async () => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({ client, keyPrefix, secretKey: LEDGER_TEST_KEY });
  const cache = new RedisCapabilityCache({ client, keyPrefix });
  try {
    await ledger.shares.create(newShare());
    await ledger.invites.create({ token: 't', sender: 's', expiresAt: Date.now() + 60_000 });
    await ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: 1 });
    const now = Date.now();
    await cache.put('peer.example', {
      value: {},
      fetchedAt: now,
      staleAt: now + 60_000,
      expiresAt: now + 120_000,
    });
    assert.equal((await cache.list()).length, 1);
    const keys = await topologyKeys(raw, keyPrefix);
    const slots = new Map<string, Set<number>>();
    for (const key of keys) {
      const tag = /\{([^}]*)\}/.exec(key)?.[1] ?? '(none)';
      const slot = await raw.cluster('KEYSLOT', key);
      slots.set(tag, (slots.get(tag) ?? new Set()).add(slot));
    }
    assert.deepEqual([...slots.keys()].sort(), ['cap', 'ledger']);
    for (const [tag, inSlots] of slots) assert.equal(inSlots.size, 1, tag);
  } finally {
    await cache.close();
    await deleteTopologyKeys(raw, keyPrefix);
  }
});
