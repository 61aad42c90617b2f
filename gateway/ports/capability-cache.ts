/**
 * Remembers what each peer supports (its discovery result). Storage only: whether an entry is
 * fresh, stale or expired is decided by core/capabilities/freshness.ts, so adapters agree.
 */
import type { StoreLifecycle } from './store-lifecycle.ts';

export interface CachedCapabilities<T = unknown> {
  /** JSON-serialisable capabilities; for a negative entry, whatever explains the failure. */
  readonly value: T;
  /** Epoch ms when the value was fetched. */
  readonly fetchedAt: number;
  /** From here on the entry is stale: still served, refreshed in the background. */
  readonly staleAt: number;
  /** From here on the entry is never served; adapters report it as a miss. */
  readonly expiresAt: number;
  /** True when discovery failed and this entry only remembers that (short TTL). */
  readonly negative?: boolean;
  /** Consecutive discovery failures, for backoff. */
  readonly failures?: number;
}

export interface CachedPeer<T = unknown> {
  readonly peerKey: string;
  readonly entry: CachedCapabilities<T>;
}

export interface CapabilityCache<T = unknown> extends StoreLifecycle {
  /**
   * The entry, or undefined on a miss or once expired. Never rejects for infrastructure reasons:
   * a broken store is a miss, reported to the adapter's error listener.
   */
  get(peerKey: string): Promise<CachedCapabilities<T> | undefined>;
  /** Stores or replaces the entry. A broken store is reported, not thrown: the cache is optional. */
  put(peerKey: string, entry: CachedCapabilities<T>): Promise<void>;
  forget(peerKey: string): Promise<void>;
  /** Every unexpired entry, for the operator's `peers list`. Rejects with UNAVAILABLE if unreachable. */
  list(): Promise<readonly CachedPeer<T>[]>;
}
