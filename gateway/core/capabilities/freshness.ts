/**
 * Cache freshness for peer capabilities (DESIGN §4): fresh, then stale-while-revalidate, then
 * expired. One pure function so every cache adapter and the resolving service agree.
 */

export type Freshness = 'fresh' | 'stale' | 'expired';

export interface FreshnessWindow {
  readonly fetchedAt: number;
  readonly staleAt: number;
  readonly expiresAt: number;
}

/**
 * fresh before staleAt, stale until expiresAt, expired from then on. A window that is not finite
 * counts as expired (a corrupt entry must never be served), and staleAt beyond expiresAt is
 * capped so a badly built entry cannot outlive its expiry.
 */
export function freshnessOf(window: FreshnessWindow, now: number): Freshness {
  const { staleAt, expiresAt } = window;
  if (!Number.isFinite(staleAt) || !Number.isFinite(expiresAt) || !Number.isFinite(now)) {
    return 'expired';
  }
  if (now >= expiresAt) return 'expired';
  if (now >= Math.min(staleAt, expiresAt)) return 'stale';
  return 'fresh';
}

export interface FreshnessPolicy {
  /** How long a fetched value is served without refreshing. */
  readonly freshForMs: number;
  /** How much longer it may be served while a refresh runs (0 = no stale window). */
  readonly staleForMs: number;
}

/** The window of a value fetched at `now` under `policy`. Negative durations count as 0. */
export function freshnessWindow(now: number, policy: FreshnessPolicy): FreshnessWindow {
  const fresh = Math.max(0, policy.freshForMs);
  const stale = Math.max(0, policy.staleForMs);
  return { fetchedAt: now, staleAt: now + fresh, expiresAt: now + fresh + stale };
}

/** Milliseconds the entry may still be kept at all (0 once expired); adapters use it as a TTL. */
export function remainingLifetimeMs(window: FreshnessWindow, now: number): number {
  if (freshnessOf(window, now) === 'expired') return 0;
  return Math.ceil(window.expiresAt - now);
}
