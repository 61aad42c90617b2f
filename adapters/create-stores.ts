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
import type { LedgerDurability } from './redis/ledger-write.ts';
import type { RedisConnection } from './redis/redis-connection.ts';
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
  /** Ledger keys it replaced: what they sealed is still read until `Ledger.rewrap`. */
  readonly previousSecretKeys?: readonly string[];
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
      previousSecretKeys: options.previousSecretKeys,
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
  // ioredis (and the tracing API it pulls in) loads only for shared state: an embedded gateway's
  // heap is smaller without them.
  const { openSharedStores } = await import('./open-shared-stores.ts');
  const shared = await openSharedStores<T>({
    connection,
    keyPrefix: options.keyPrefix,
    secretKey: options.secretKey,
    previousSecretKeys: options.previousSecretKeys,
    ledgerDurability: options.ledgerDurability,
    clock,
    capabilityCacheMaxEntries: options.capabilityCacheMaxEntries,
    capabilityCacheL1Ms: options.capabilityCacheL1Ms,
    onError,
  });
  return assemble<T>('shared', shared.stores, shared.close);
}

/** The three stores, before their checks and close are attached. */
export type OpenStores<T> = Omit<Stores<T>, 'mode' | 'checks' | 'close'>;

function assemble<T>(
  mode: Stores<T>['mode'],
  stores: OpenStores<T>,
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
