/**
 * Builds the three state stores (DESIGN §4) for the composition root. Embedded: in-process cache,
 * SQLite ledger in the data dir, in-process short-lived store. Shared (a Redis server, Sentinel
 * master or Cluster): all three in Redis over one client. A Redis that is down at start is not fatal: health() says so and the
 * client keeps reconnecting.
 */
import type { CapabilityCache } from '../gateway/ports/capability-cache.ts';
import type { Clock } from '../gateway/ports/clock.ts';
import type { Ledger } from '../gateway/ports/ledger.ts';
import type { ShortLivedStore } from '../gateway/ports/short-lived-store.ts';
import type { HealthReport } from '../gateway/ports/store-lifecycle.ts';
import { MemoryCapabilityCache } from './memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from './memory/memory-short-lived-store.ts';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from './redis/create-redis-client.ts';
import type { LedgerDurability } from './redis/ledger-write.ts';
import type { RedisConnection } from './redis/redis-connection.ts';
import { RedisCapabilityCache } from './redis/redis-capability-cache.ts';
import { RedisLedger } from './redis/redis-ledger.ts';
import { RedisShortLivedStore } from './redis/redis-short-lived-store.ts';
import { SqliteLedger } from './sqlite/sqlite-ledger.ts';

export type StoreName = 'capability-cache' | 'ledger' | 'short-lived' | 'redis';

export interface CreateStoresOptions {
  /** Unset (and no redisUrl): embedded state for one process. Set: every store in this Redis. */
  readonly redis?: RedisConnection | undefined;
  /** Shorthand for a standalone `redis` connection. */
  readonly redisUrl?: string | undefined;
  /** Where the embedded ledger file lives (unused in shared mode). */
  readonly dataDir: string;
  readonly keyPrefix: string;
  /** Shared mode: ledger writes wait for this many Redis replicas (ledger-write.ts). */
  readonly ledgerDurability?: LedgerDurability | undefined;
  /** The ledger key (at least 32 characters) that seals secrets at rest. */
  readonly secretKey: string;
  readonly clock?: Clock;
  /** Embedded cache size, or the Redis cache's L1 size. Default 10 000 / 1 000. */
  readonly capabilityCacheMaxEntries?: number;
  /** How long a replica trusts its L1 copy of a Redis cache entry. Default 5000. */
  readonly capabilityCacheL1Ms?: number;
  /** Failures absorbed rather than thrown (cache misses, Redis connection loss), for logs/metrics. */
  readonly onError?: (store: StoreName, operation: string, error: unknown) => void;
}

export interface StoreCheck {
  readonly name: StoreName;
  health(): Promise<HealthReport>;
}

export interface Stores<T = unknown> {
  readonly mode: 'embedded' | 'shared';
  readonly capabilityCache: CapabilityCache<T>;
  readonly ledger: Ledger;
  readonly shortLived: ShortLivedStore;
  /** One readiness check per store, for /readyz. */
  readonly checks: readonly StoreCheck[];
  /** Closes every store (and the Redis connection); safe to call twice. */
  close(): Promise<void>;
}

export async function createStores<T = unknown>(options: CreateStoresOptions): Promise<Stores<T>> {
  const onError = options.onError ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  const connection: RedisConnection | undefined =
    options.redis ??
    (options.redisUrl === undefined ? undefined : { mode: 'standalone', url: options.redisUrl });
  if (connection === undefined) {
    const ledger = new SqliteLedger({
      dataDir: options.dataDir,
      secretKey: options.secretKey,
      clock,
    });
    return assemble<T>('embedded', {
      capabilityCache: new MemoryCapabilityCache<T>({
        maxEntries: options.capabilityCacheMaxEntries ?? 10_000,
        clock,
      }),
      ledger,
      shortLived: new MemoryShortLivedStore({ clock }),
    });
  }
  const client = createRedisClient({
    connection,
    connectionName: 'ocm-gateway',
    onError: (error) => {
      onError('redis', 'connection', error);
    },
  });
  const keyPrefix = options.keyPrefix;
  let stores: Omit<Stores<T>, 'mode' | 'checks' | 'close'>;
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
  return assemble<T>('shared', stores, () => closeRedisClient(client));
}

function assemble<T>(
  mode: Stores<T>['mode'],
  stores: Omit<Stores<T>, 'mode' | 'checks' | 'close'>,
  closeConnection: () => Promise<void> = () => Promise.resolve(),
): Stores<T> {
  let closing: Promise<void> | undefined;
  return {
    mode,
    ...stores,
    checks: [
      { name: 'capability-cache', health: () => stores.capabilityCache.health() },
      { name: 'ledger', health: () => stores.ledger.health() },
      { name: 'short-lived', health: () => stores.shortLived.health() },
    ],
    close: () => {
      closing ??= Promise.allSettled([
        stores.capabilityCache.close(),
        stores.ledger.close(),
        stores.shortLived.close(),
      ]).then(closeConnection);
      return closing;
    },
  };
}
