/** Runs the three Redis contract suites (ledger, short-lived store, capability cache) on any client. */
import type { Cluster, Redis } from 'ioredis';
import { RedisCapabilityCache } from '../../adapters/redis/redis-capability-cache.ts';
import type { LedgerDurability } from '../../adapters/redis/ledger-write.ts';
import type { RedisClient } from '../../adapters/redis/redis-connection.ts';
import { RedisLedger } from '../../adapters/redis/redis-ledger.ts';
import { RedisShortLivedStore } from '../../adapters/redis/redis-short-lived-store.ts';
import { runCapabilityCacheContract } from './capability-cache.contract.ts';
import { LEDGER_TEST_KEY, runLedgerContract } from './ledger.contract.ts';
import { randomKeyPrefix } from './redis-test-keys.ts';
import { runShortLivedStoreContract } from './short-lived-store.contract.ts';

/** Every key under the prefix, on every master of a Cluster (or the one server). */
export async function topologyKeys(client: RedisClient, prefix: string): Promise<string[]> {
  const servers: Redis[] = isCluster(client) ? client.nodes('master') : [client];
  const keys: string[] = [];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, batch] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '500');
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys;
}

export function isCluster(client: RedisClient): client is Cluster {
  return 'nodes' in client && typeof client.nodes === 'function';
}

async function dump(client: RedisClient, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await topologyKeys(client, prefix)) {
    const type = await client.type(key);
    if (type === 'string') parts.push(key, (await client.get(key)) ?? '');
    else if (type === 'hash') parts.push(key, JSON.stringify(await client.hgetall(key)));
    else if (type === 'zset') parts.push(key, JSON.stringify(await client.zrange(key, '0', '-1')));
    else parts.push(key, `<${type}>`);
  }
  return parts.join('\n');
}

/** Deletes key by key: on a Cluster one DEL may not span slots. */
export async function deleteTopologyKeys(client: RedisClient, prefix: string): Promise<void> {
  for (const key of await topologyKeys(client, prefix)) await client.del(key);
}

/**
 * `gateway()` is the fail-fast client under test, `raw()` a patient one for inspection; both are
 * read when a test runs (after the suite's before hook connected them).
 */
export function runRedisContracts(
  name: string,
  gateway: () => RedisClient,
  raw: () => RedisClient,
  durability?: LedgerDurability,
): void {
  runLedgerContract(name, (clock) => {
    const keyPrefix = randomKeyPrefix();
    const client = gateway();
    const ledger = new RedisLedger({
      client,
      keyPrefix,
      secretKey: LEDGER_TEST_KEY,
      clock: clock.now,
      durability,
    });
    return Promise.resolve({
      ledger,
      rawDump: () => dump(raw(), keyPrefix),
      openWithKeys: (secretKey: string, previousSecretKeys: readonly string[]) =>
        Promise.resolve(
          new RedisLedger({ client, keyPrefix, secretKey, previousSecretKeys, clock: clock.now }),
        ),
      teardown: async () => {
        await ledger.close();
        await deleteTopologyKeys(raw(), keyPrefix);
      },
    });
  });
  runShortLivedStoreContract(name, (clock) => {
    const keyPrefix = randomKeyPrefix();
    const store = new RedisShortLivedStore({ client: gateway(), keyPrefix, clock: clock.now });
    return Promise.resolve({
      store,
      teardown: async () => {
        await store.close();
        await deleteTopologyKeys(raw(), keyPrefix);
      },
    });
  });
  runCapabilityCacheContract(name, (clock) => {
    const keyPrefix = randomKeyPrefix();
    const cache = new RedisCapabilityCache({ client: gateway(), keyPrefix, clock: clock.now });
    return Promise.resolve({
      cache,
      teardown: async () => {
        await cache.close();
        await deleteTopologyKeys(raw(), keyPrefix);
      },
    });
  });
}
