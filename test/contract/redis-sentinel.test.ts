import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from '../../adapters/redis/create-redis-client.ts';
import type { RedisClient } from '../../adapters/redis/redis-connection.ts';
import { RedisLedger } from '../../adapters/redis/redis-ledger.ts';
import { failoverFenceOf } from '../../adapters/redis/sentinel-failover-fence.ts';
import { startRedisSentinel, type RedisSentinelSetup } from '../support/redis-sentinel.ts';
import { LEDGER_TEST_KEY, newShare } from './ledger.contract.ts';
import { randomKeyPrefix } from './redis-test-keys.ts';
import { deleteTopologyKeys, runRedisContracts } from './redis-topology-harness.ts';

// The contract suites through a Sentinel-discovered master, then a failover under the client.
let setup: RedisSentinelSetup;
let client: RedisClient;
let raw: Redis;

before(async () => {
  setup = await startRedisSentinel();
  const connection = {
    mode: 'sentinel' as const,
    nodes: setup.sentinels,
    sentinelName: setup.masterName,
  };
  client = createRedisClient({ connection });
  await connectRedisClient(client);
  raw = new Redis({
    sentinels: [...setup.sentinels],
    name: setup.masterName,
    maxRetriesPerRequest: 1,
  });
});

after(async () => {
  await closeRedisClient(client);
  raw.disconnect();
  await setup.stop();
});

// The ledger waits for the replicas in sync, as the gateway does by default in Sentinel mode.
const IN_SYNC = { replicas: 'online' as const, timeoutMs: 1_000 };

runRedisContracts(
  'redis sentinel',
  () => client,
  () => raw,
  IN_SYNC,
);

test('redis sentinel: a write the ledger acknowledged survives a failover; the same client writes to the promoted master', async () => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({
    client,
    keyPrefix,
    secretKey: LEDGER_TEST_KEY,
    durability: IN_SYNC,
  });
  try {
    const before = await setup.master();
    // Acknowledged only once both replicas in sync hold it (WAIT): the promoted one has it.
    const first = await ledger.shares.create(newShare());
    const fence = failoverFenceOf(client);
    assert.ok(fence, 'a Sentinel client has a failover fence');
    assert.equal(fence.generation(), 0);
    const promoted = await setup.failover();
    assert.notEqual(promoted.port, before.port);
    // The fence heard the Sentinel start the failover, before the master changed.
    assert.equal(fence.generation(), 1);
    // Writes may fail fast (UNAVAILABLE) while the client switches; then they succeed again.
    const deadline = Date.now() + 15_000;
    let created: Awaited<ReturnType<typeof ledger.shares.create>> | undefined;
    while (created === undefined) {
      try {
        created = await ledger.shares.create(newShare());
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    assert.ok(created.created);
    assert.equal(fence.raised(), false, 'lowered once the client serves the new master');
    assert.equal((await ledger.shares.get(first.record.id))?.alias, first.record.alias);
    assert.ok(created.record.alias > first.record.alias, 'the alias sequence moved on');
    const server = await (client as Redis).call('ROLE');
    assert.equal((server as unknown[])[0], 'master');
    assert.equal((await ledger.health()).ok, true);
  } finally {
    await deleteTopologyKeys(raw, keyPrefix).catch(() => undefined);
  }
});
