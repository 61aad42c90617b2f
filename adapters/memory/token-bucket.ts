/**
 * Token bucket as GCRA (generic cell rate algorithm): the state is one number, the theoretical
 * arrival time (TAT). `limit` hits fit at once, one more every windowMs/limit. The Redis store runs
 * the same arithmetic in Lua (redis-short-lived-scripts.ts); the contract suite holds them equal.
 */
import type { RateDecision } from '../../gateway/ports/short-lived-store.ts';

export interface TokenBucketStep {
  readonly decision: RateDecision;
  /** The TAT to store when allowed (unchanged when denied). */
  readonly tat: number;
  /** How long the stored state matters; after it the bucket is full again. */
  readonly ttlMs: number;
}

/** Guards Math.floor against 2.9999999 from float division. */
const EPSILON = 1e-9;

export function tokenBucketStep(
  storedTat: number | undefined,
  now: number,
  limit: number,
  windowMs: number,
): TokenBucketStep {
  const interval = windowMs / limit;
  const tat = Math.max(storedTat ?? now, now);
  const nextTat = tat + interval;
  const allowAt = nextTat - windowMs;
  if (now < allowAt) {
    return {
      decision: { allowed: false, remaining: 0, retryAfterMs: Math.ceil(allowAt - now) },
      tat,
      ttlMs: Math.ceil(tat - now),
    };
  }
  const remaining = Math.floor((windowMs - (nextTat - now)) / interval + EPSILON);
  return {
    decision: { allowed: true, remaining: Math.max(0, remaining), retryAfterMs: 0 },
    tat: nextTat,
    ttlMs: Math.ceil(nextTat - now),
  };
}
