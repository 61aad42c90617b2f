/** In-process capability cache for the embedded mode (one process): a bounded LRU. */
import type {
  CachedCapabilities,
  CachedPeer,
  CapabilityCache,
} from '../../gateway/ports/capability-cache.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { HealthReport } from '../../gateway/ports/store-lifecycle.ts';
import { freshnessOf } from '../../gateway/core/capabilities/freshness.ts';
import { BoundedLru } from './bounded-lru.ts';

export interface MemoryCapabilityCacheOptions {
  /** Default 10 000 peers; the least recently used is dropped beyond it. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

export class MemoryCapabilityCache<T = unknown> implements CapabilityCache<T> {
  readonly #lru: BoundedLru<string, CachedCapabilities<T>>;
  readonly #clock: Clock;

  constructor(options: MemoryCapabilityCacheOptions = {}) {
    this.#lru = new BoundedLru(options.maxEntries ?? 10_000);
    this.#clock = options.clock ?? Date.now;
  }

  get(peerKey: string): Promise<CachedCapabilities<T> | undefined> {
    const entry = this.#lru.get(peerKey);
    if (entry === undefined) return Promise.resolve(undefined);
    if (freshnessOf(entry, this.#clock()) === 'expired') {
      this.#lru.delete(peerKey);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry);
  }

  put(peerKey: string, entry: CachedCapabilities<T>): Promise<void> {
    // A copy, so a caller mutating its object cannot change what others read.
    this.#lru.set(peerKey, structuredClone(entry));
    return Promise.resolve();
  }

  forget(peerKey: string): Promise<void> {
    this.#lru.delete(peerKey);
    return Promise.resolve();
  }

  list(): Promise<readonly CachedPeer<T>[]> {
    const now = this.#clock();
    const peers: CachedPeer<T>[] = [];
    for (const [peerKey, entry] of this.#lru.entries()) {
      if (freshnessOf(entry, now) !== 'expired') peers.push({ peerKey, entry });
    }
    return Promise.resolve(peers);
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ ok: true, detail: `in-process cache, ${this.#lru.size} peers` });
  }

  close(): Promise<void> {
    this.#lru.clear();
    return Promise.resolve();
  }
}
