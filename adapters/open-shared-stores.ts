/** The shared-state half of createStores: all three stores in one Redis (server, Sentinel or Cluster) over one client. */
import type { Clock } from '../gateway/ports/clock.ts';
import type { OpenStores, StoreName } from './create-stores.ts';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from './redis/create-redis-client.ts';
import type { LedgerDurability } from './redis/ledger-write.ts';
import { RedisCapabilityCache } from './redis/redis-capability-cache.ts';
import type { RedisConnection } from './redis/redis-connection.ts';
import { RedisLedger } from './redis/redis-ledger.ts';
import { RedisShortLivedStore } from './redis/redis-short-lived-store.ts';

export interface SharedStoresOptions {
  readonly connection: RedisConnection;
  readonly keyPrefix: string;
  readonly secretKey: string;
  readonly previousSecretKeys?: readonly string[] | undefined;
  readonly ledgerDurability: LedgerDurability | undefined;
  readonly clock: Clock;
  readonly capabilityCacheMaxEntries: number | undefined;
  readonly capabilityCacheL1Ms: number | undefined;
  readonly onError: (store: StoreName, operation: string, error: unknown) => void;
}

/** A Redis that is down at start is not fatal: the client keeps reconnecting, health() tells. */
export async function openSharedStores<T>(
  options: SharedStoresOptions,
): Promise<{ stores: OpenStores<T>; close: () => Promise<void> }> {
  const { clock, keyPrefix, onError } = options;
  const client = createRedisClient({
    connection: options.connection,
    connectionName: 'ocm-gateway',
    onError: (error) => {
      onError('redis', 'connection', error);
    },
  });
  let stores: OpenStores<T>;
  try {
    stores = {
      capabilityCache: new RedisCapabilityCache<T>({
        client,
        keyPrefix,
        clock,
        l1MaxEntries: Math.min(options.capabilityCacheMaxEntries ?? 1_000, 1_000),
        l1TtlMs: options.capabilityCacheL1Ms ?? 5_000,
        onError: (error, operation) => {
          onError('capability-cache', operation, error);
        },
      }),
      ledger: new RedisLedger({
        client,
        keyPrefix,
        secretKey: options.secretKey,
        previousSecretKeys: options.previousSecretKeys,
        clock,
        durability: options.ledgerDurability,
      }),
      shortLived: new RedisShortLivedStore({ client, keyPrefix, clock }),
    };
  } catch (error) {
    client.disconnect();
    throw error;
  }
  await connectRedisClient(client);
  return { stores, close: () => closeRedisClient(client) };
}
