/**
 * Capability cache shared by all replicas (DESIGN §4): JSON in Redis with a real PX expiry, behind
 * a small in-process L1. Redis trouble never fails a read: it is a miss (or the L1 copy), reported
 * to onError. The L1 means another replica's forget() may take up to l1TtlMs to be seen here.
 */
import type { RedisClient } from './redis-connection.ts';
import type {
  CachedCapabilities,
  CachedPeer,
  CapabilityCache,
} from '../../gateway/ports/capability-cache.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { HealthReport, StoreErrorListener } from '../../gateway/ports/store-lifecycle.ts';
import { freshnessOf, remainingLifetimeMs } from '../../gateway/core/capabilities/freshness.ts';
import { BoundedLru } from '../memory/bounded-lru.ts';
import { decodeCachedCapabilities, encodeCachedCapabilities } from './cached-capabilities-codec.ts';
import { closeRedisClient } from './create-redis-client.ts';
import { callRedis, execChecked, redisHealth } from './redis-failure.ts';
import { checkKeyPrefix } from './redis-key-prefix.ts';

export interface RedisCapabilityCacheOptions {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  readonly clock?: Clock;
  readonly onError?: StoreErrorListener;
  /** Default 1000 peers. */
  readonly l1MaxEntries?: number;
  /** How long this replica trusts its L1 copy without asking Redis. Default 5000; 0 = no L1. */
  readonly l1TtlMs?: number;
  /** A read slower than this is a miss (Redis hung). Default 500. */
  readonly readTimeoutMs?: number;
  /** Close the client with the cache (false when the client is shared). */
  readonly ownsClient?: boolean;
}

interface L1Entry<T> {
  readonly entry: CachedCapabilities<T>;
  readonly until: number;
}

/** MGET batch size for list(). */
const LIST_BATCH = 200;

export class RedisCapabilityCache<T = unknown> implements CapabilityCache<T> {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #onError: StoreErrorListener;
  readonly #l1: BoundedLru<string, L1Entry<T>>;
  readonly #l1TtlMs: number;
  readonly #readTimeoutMs: number;
  readonly #ownsClient: boolean;

  constructor(options: RedisCapabilityCacheOptions) {
    this.#client = options.client;
    // One hash tag: the entry keys and the index share a slot, so MULTI and MGET work on Cluster.
    this.#prefix = `${checkKeyPrefix(options.keyPrefix)}{cap}:`;
    this.#clock = options.clock ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
    this.#l1 = new BoundedLru(options.l1MaxEntries ?? 1_000);
    this.#l1TtlMs = options.l1TtlMs ?? 5_000;
    this.#readTimeoutMs = options.readTimeoutMs ?? 500;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async get(peerKey: string): Promise<CachedCapabilities<T> | undefined> {
    const now = this.#clock();
    const cached = this.#l1.get(peerKey);
    if (cached !== undefined && cached.until > now) return this.#alive(cached.entry, now);
    let raw: string | null;
    try {
      raw = await this.#withReadTimeout(this.#client.get(this.#entryKey(peerKey)));
    } catch (error) {
      this.#onError(error, 'capability-cache.get');
      return cached === undefined ? undefined : this.#alive(cached.entry, now);
    }
    if (raw === null) {
      this.#l1.delete(peerKey);
      return undefined;
    }
    const entry = decodeCachedCapabilities<T>(raw);
    if (entry === undefined) {
      this.#onError(new Error('malformed capability cache entry in Redis'), 'capability-cache.get');
      return undefined;
    }
    if (freshnessOf(entry, now) === 'expired') return undefined;
    if (this.#l1TtlMs > 0) this.#l1.set(peerKey, { entry, until: now + this.#l1TtlMs });
    return entry;
  }

  async put(peerKey: string, entry: CachedCapabilities<T>): Promise<void> {
    const now = this.#clock();
    const ttlMs = remainingLifetimeMs(entry, now);
    if (ttlMs === 0) return this.forget(peerKey);
    const copy = structuredClone(entry);
    if (this.#l1TtlMs > 0) this.#l1.set(peerKey, { entry: copy, until: now + this.#l1TtlMs });
    try {
      await execChecked(
        this.#client
          .multi()
          .set(this.#entryKey(peerKey), encodeCachedCapabilities(copy), 'PX', ttlMs)
          .zadd(this.#indexKey(), entry.expiresAt, peerKey)
          .zremrangebyscore(this.#indexKey(), '-inf', now),
      );
    } catch (error) {
      this.#onError(error, 'capability-cache.put');
    }
  }

  async forget(peerKey: string): Promise<void> {
    this.#l1.delete(peerKey);
    try {
      await execChecked(
        this.#client.multi().del(this.#entryKey(peerKey)).zrem(this.#indexKey(), peerKey),
      );
    } catch (error) {
      this.#onError(error, 'capability-cache.forget');
    }
  }

  async list(): Promise<readonly CachedPeer<T>[]> {
    const now = this.#clock();
    const peerKeys = await callRedis('capability cache', () =>
      this.#client.zrangebyscore(this.#indexKey(), `(${String(now)}`, '+inf'),
    );
    const peers: CachedPeer<T>[] = [];
    for (let start = 0; start < peerKeys.length; start += LIST_BATCH) {
      const batch = peerKeys.slice(start, start + LIST_BATCH);
      const raws = await callRedis('capability cache', () =>
        this.#client.mget(batch.map((peerKey) => this.#entryKey(peerKey))),
      );
      batch.forEach((peerKey, i) => {
        const raw = raws[i];
        const entry = raw == null ? undefined : decodeCachedCapabilities<T>(raw);
        if (entry !== undefined && freshnessOf(entry, now) !== 'expired') {
          peers.push({ peerKey, entry });
        }
      });
    }
    return peers;
  }

  health(): Promise<HealthReport> {
    return redisHealth(this.#client, 'capability cache');
  }

  async close(): Promise<void> {
    this.#l1.clear();
    if (this.#ownsClient) await closeRedisClient(this.#client);
  }

  #alive(entry: CachedCapabilities<T>, now: number): CachedCapabilities<T> | undefined {
    return freshnessOf(entry, now) === 'expired' ? undefined : entry;
  }

  #entryKey(peerKey: string): string {
    return `${this.#prefix}peer:${peerKey}`;
  }

  #indexKey(): string {
    return `${this.#prefix}index`;
  }

  #withReadTimeout<R>(read: Promise<R>): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`capability cache read took longer than ${this.#readTimeoutMs} ms`));
      }, this.#readTimeoutMs);
    });
    return Promise.race([read, timeout]).finally(() => {
      clearTimeout(timer);
    });
  }
}
