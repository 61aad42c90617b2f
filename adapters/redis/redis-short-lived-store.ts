/** Short-lived state shared by all replicas: tokens, replay nonces, locks, token buckets in Redis. */
import type { RedisClient } from './redis-connection.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { RateDecision, ShortLivedStore } from '../../gateway/ports/short-lived-store.ts';
import type { HealthReport } from '../../gateway/ports/store-lifecycle.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { checkKey, checkRate, checkTtl } from '../short-lived/short-lived-arguments.ts';
import { closeRedisClient } from './create-redis-client.ts';
import { callRedis, redisHealth } from './redis-failure.ts';
import { checkKeyPrefix, clusterSafeKeyPart } from './redis-key-prefix.ts';
import { ACQUIRE_LOCK, HIT, RELEASE_LOCK, REMEMBER } from './redis-short-lived-scripts.ts';

export interface RedisShortLivedStoreOptions {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  readonly clock?: Clock;
  /** Close the client with the store (false when the client is shared). */
  readonly ownsClient?: boolean;
}

const WHAT = 'short-lived store';
/** How long, and how often, a failed lock release is tried again in the background. */
const RELEASE_RETRY_FOR_MS = 30_000;
const RELEASE_RETRY_MS = 250;

export class RedisShortLivedStore implements ShortLivedStore {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #ownsClient: boolean;
  readonly #pendingReleases = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: RedisShortLivedStoreOptions) {
    this.#client = options.client;
    this.#prefix = checkKeyPrefix(options.keyPrefix);
    this.#clock = options.clock ?? Date.now;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async setToken(key: string, value: string, ttlMs: number): Promise<void> {
    checkKey('key', key);
    checkTtl('ttlMs', ttlMs);
    const stored = `${String(this.#clock() + ttlMs)}|${value}`;
    await callRedis(WHAT, () => this.#client.set(this.#key('tok', key), stored, 'PX', ttlMs));
  }

  async getToken(key: string): Promise<string | undefined> {
    const stored = await callRedis(WHAT, () => this.#client.get(this.#key('tok', key)));
    if (stored === null) return undefined;
    const sep = stored.indexOf('|');
    if (sep < 0 || Number(stored.slice(0, sep)) <= this.#clock()) return undefined;
    return stored.slice(sep + 1);
  }

  async deleteToken(key: string): Promise<void> {
    await callRedis(WHAT, () => this.#client.del(this.#key('tok', key)));
  }

  async remember(key: string, ttlMs: number): Promise<boolean> {
    checkKey('key', key);
    checkTtl('ttlMs', ttlMs);
    const now = this.#clock();
    const first = await callRedis(WHAT, () =>
      REMEMBER.run(this.#client, [this.#key('nonce', key)], [now, ttlMs, now + ttlMs]),
    );
    return first === 1;
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    checkKey('key', key);
    checkKey('owner', owner);
    checkTtl('ttlMs', ttlMs);
    const now = this.#clock();
    const acquired = await callRedis(WHAT, () =>
      ACQUIRE_LOCK.run(this.#client, [this.#key('lock', key)], [now, owner, ttlMs, now + ttlMs]),
    );
    return acquired === 1;
  }

  /**
   * A release that meets Redis unavailable (a failover, a blip) is thrown as usual and retried
   * in the background for a while: otherwise the lock would hold until its TTL although its
   * owner is done. Safe, since only the owner's own lock is ever deleted.
   */
  async releaseLock(key: string, owner: string): Promise<boolean> {
    const release = () =>
      callRedis(WHAT, () =>
        RELEASE_LOCK.run(this.#client, [this.#key('lock', key)], [this.#clock(), owner]),
      );
    try {
      return (await release()) === 1;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'UNAVAILABLE') {
        this.#retryRelease(release, Date.now() + RELEASE_RETRY_FOR_MS);
      }
      throw error;
    }
  }

  #retryRelease(release: () => Promise<unknown>, until: number): void {
    if (this.#closed || Date.now() > until) return;
    const timer = setTimeout(() => {
      this.#pendingReleases.delete(timer);
      release().catch(() => {
        this.#retryRelease(release, until);
      });
    }, RELEASE_RETRY_MS);
    timer.unref();
    this.#pendingReleases.add(timer);
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    checkKey('key', key);
    checkRate(limit, windowMs);
    const reply = await callRedis(WHAT, () =>
      HIT.run(this.#client, [this.#key('rate', key)], [this.#clock(), limit, windowMs]),
    );
    if (!Array.isArray(reply) || reply.length !== 3 || !reply.every(Number.isInteger)) {
      throw new Error('unexpected reply from the rate bucket script');
    }
    const [allowed, remaining, retryAfterMs] = reply as [number, number, number];
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  health(): Promise<HealthReport> {
    return redisHealth(this.#client, WHAT);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#pendingReleases) clearTimeout(timer);
    this.#pendingReleases.clear();
    if (this.#ownsClient) await closeRedisClient(this.#client);
  }

  #key(kind: string, key: string): string {
    return `${this.#prefix}${kind}:${clusterSafeKeyPart(key)}`;
  }
}
