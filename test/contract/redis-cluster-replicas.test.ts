/**
 * Ledger writes on a Redis Cluster with a replica per master wait for the replicas (WAIT), as on
 * Sentinel: the whole contract with `online`, and proof that the WAIT goes to the master of the
 * ledger's slot over the connection the write used (a WAIT on another master would succeed).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster, Redis } from 'ioredis';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from '../../adapters/redis/create-redis-client.ts';
import { LEDGER_SLOT } from '../../adapters/redis/ledger-write.ts';
import type { RedisClient } from '../../adapters/redis/redis-connection.ts';
import { RedisLedger } from '../../adapters/redis/redis-ledger.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.ts';
import { LEDGER_TEST_KEY, newShare } from './ledger.contract.ts';
import { randomKeyPrefix } from './redis-test-keys.ts';
import { deleteTopologyKeys, runRedisContracts } from './redis-topology-harness.ts';

let cluster: RedisCluster;
let client: RedisClient;
let raw: Cluster;

before(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  client = createRedisClient({ connection: { mode: 'cluster', nodes: cluster.nodes } });
  await connectRedisClient(client);
  raw = new Cluster([...cluster.nodes], { redisOptions: { maxRetriesPerRequest: 1 } });
  await replicasInSync(raw);
});

/** A new replica's first sync waits for repl-diskless-sync-delay (5 s): until then `online` is 0. */
async function replicasInSync(nodes: Cluster): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const infos = await Promise.all(nodes.nodes('master').map((node) => node.info('replication')));
    // Until the client has read the slots it knows no node: an empty list proves nothing.
    const synced = infos.filter((info) => /slave0:[^\r\n]*state=online/.test(info));
    if (infos.length === 3 && synced.length === 3) return;
    if (Date.now() > until) throw new Error(`replicas not in sync:\n${infos.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

after(async () => {
  await closeRedisClient(client);
  raw.disconnect();
  await cluster.stop();
});

runRedisContracts(
  'redis cluster with replicas, ledger writes WAIT online',
  () => client,
  () => raw,
  { replicas: 'online', timeoutMs: 1000 },
);

test('the ledger slot the WAIT follows is the one Redis hashes the {ledger} tag to', async () => {
  assert.equal(await raw.cluster('KEYSLOT', 'ocmgw:{ledger}:share:x'), LEDGER_SLOT);
  assert.equal(await raw.cluster('KEYSLOT', 'any-prefix:{ledger}:outbox:ready'), LEDGER_SLOT);
});

// Last in this file: it stops a replica.
test('with the ledger master’s replica gone, a write that needs one replica is refused (503), not lost', async () => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({
    client,
    keyPrefix,
    secretKey: LEDGER_TEST_KEY,
    durability: { replicas: 1, timeoutMs: 300 },
  });
  try {
    await ledger.shares.create(newShare());
    const owner = raw.slots[LEDGER_SLOT]?.[0] ?? '';
    const masterPort = Number(owner.split(':').at(-1));
    let replica: Redis | undefined;
    for (const node of cluster.nodes) {
      // No reconnecting: one of them is about to be shut down.
      const direct = new Redis({
        host: node.host,
        port: node.port,
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      direct.on('error', () => undefined);
      const info = await direct.info('replication');
      if (new RegExp(`role:slave[\\s\\S]*master_port:${masterPort}\\r?\\n`).test(info)) {
        replica = direct;
      } else {
        direct.disconnect();
      }
    }
    assert.ok(replica !== undefined, `a replica of the ledger master ${owner}`);
    // Every other master keeps its replica: a WAIT sent there would still count one.
    await replica.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    replica.disconnect();
    const master = raw.nodes('master').find((node) => node.options.port === masterPort);
    assert.ok(master !== undefined);
    const until = Date.now() + 10_000;
    while (!/connected_slaves:0\r?\n/.test(await master.info('replication'))) {
      assert.ok(Date.now() < until, 'the ledger master noticed its replica is gone');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Several writes: a WAIT sent to whichever node (the ledger master is one of three) would
    // let some of them through.
    for (let i = 0; i < 4; i += 1) {
      await assert.rejects(
        ledger.shares.create(newShare()),
        (error: unknown) =>
          error instanceof GatewayError &&
          error.code === 'UNAVAILABLE' &&
          /0 of 1 replicas/.test(error.message),
      );
    }
  } finally {
    await deleteTopologyKeys(raw, keyPrefix);
  }
});
