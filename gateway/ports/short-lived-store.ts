/**
 * State that lives seconds to minutes and is shared by all replicas: exchanged access tokens,
 * replay nonces, single-flight locks and rate buckets. Every operation is atomic in the store.
 * Keys are stored as given: never use a secret as a key, hash it first.
 * Infrastructure failures reject with a GatewayError 'UNAVAILABLE' carrying retryAfterSeconds.
 */
import type { StoreLifecycle } from './store-lifecycle.ts';

export interface RateDecision {
  readonly allowed: boolean;
  /** Hits still allowed right now after this one. */
  readonly remaining: number;
  /** 0 when allowed; otherwise how long until one more hit would be allowed. */
  readonly retryAfterMs: number;
}

export interface ShortLivedStore extends StoreLifecycle {
  setToken(key: string, value: string, ttlMs: number): Promise<void>;
  getToken(key: string): Promise<string | undefined>;
  deleteToken(key: string): Promise<void>;

  /** True the first time `key` is seen within `ttlMs`, false for every repeat (replay). */
  remember(key: string, ttlMs: number): Promise<boolean>;

  /**
   * Takes the lock for `ttlMs` if it is free, expired or already held by `owner` (then extends
   * it). `owner` is a random token of the caller; only it can release the lock.
   */
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** True when a live lock held by `owner` was released; someone else's lock is left alone. */
  releaseLock(key: string, owner: string): Promise<boolean>;

  /**
   * Token bucket: `limit` hits at once, refilled at `limit` per `windowMs`. A denied hit does
   * not consume anything.
   */
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
}
