/** In-process short-lived state for the embedded mode: tokens, nonces, locks, token buckets. */
import type { Clock } from '../../gateway/ports/clock.ts';
import type { RateDecision, ShortLivedStore } from '../../gateway/ports/short-lived-store.ts';
import type { HealthReport } from '../../gateway/ports/store-lifecycle.ts';
import { checkKey, checkRate, checkTtl } from '../short-lived/short-lived-arguments.ts';
import { tokenBucketStep } from './token-bucket.ts';

export interface MemoryShortLivedStoreOptions {
  /**
   * Default 100 000. When full, expired entries are swept, then the oldest are dropped: memory
   * stays bounded even if peers spray nonces or rate keys.
   */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

export class MemoryShortLivedStore implements ShortLivedStore {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #clock: Clock;

  constructor(options: MemoryShortLivedStoreOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#clock = options.clock ?? Date.now;
  }

  setToken(key: string, value: string, ttlMs: number): Promise<void> {
    return this.#run(() => {
      checkKey('key', key);
      checkTtl('ttlMs', ttlMs);
      this.#set(`t:${key}`, value, ttlMs);
    });
  }

  getToken(key: string): Promise<string | undefined> {
    return this.#run(() => this.#live(`t:${key}`)?.value);
  }

  deleteToken(key: string): Promise<void> {
    return this.#run(() => {
      this.#entries.delete(`t:${key}`);
    });
  }

  remember(key: string, ttlMs: number): Promise<boolean> {
    return this.#run(() => {
      checkKey('key', key);
      checkTtl('ttlMs', ttlMs);
      if (this.#live(`n:${key}`) !== undefined) return false;
      this.#set(`n:${key}`, '1', ttlMs);
      return true;
    });
  }

  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.#run(() => {
      checkKey('key', key);
      checkKey('owner', owner);
      checkTtl('ttlMs', ttlMs);
      const held = this.#live(`l:${key}`);
      if (held !== undefined && held.value !== owner) return false;
      this.#set(`l:${key}`, owner, ttlMs);
      return true;
    });
  }

  releaseLock(key: string, owner: string): Promise<boolean> {
    return this.#run(() => {
      const held = this.#live(`l:${key}`);
      if (held?.value !== owner) return false;
      this.#entries.delete(`l:${key}`);
      return true;
    });
  }

  hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    return this.#run(() => {
      checkKey('key', key);
      checkRate(limit, windowMs);
      const stored = this.#live(`r:${key}`);
      const step = tokenBucketStep(
        stored === undefined ? undefined : Number(stored.value),
        this.#clock(),
        limit,
        windowMs,
      );
      if (step.decision.allowed) this.#set(`r:${key}`, String(step.tat), step.ttlMs);
      return step.decision;
    });
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ ok: true, detail: `in-process, ${this.#entries.size} entries` });
  }

  close(): Promise<void> {
    this.#entries.clear();
    return Promise.resolve();
  }

  /** Turns argument errors into rejections, as the Redis adapter does. */
  #run<R>(operation: () => R): Promise<R> {
    return Promise.resolve().then(operation);
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #set(key: string, value: string, ttlMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#makeRoom();
    this.#entries.set(key, { value, expiresAt: this.#clock() + ttlMs });
  }

  /** Frees a tenth of the room at once, so a full store does not sweep on every insert. */
  #makeRoom(): void {
    const now = this.#clock();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
    const target = Math.floor(this.#max * 0.9);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= target) break;
      this.#entries.delete(key);
    }
  }
}
