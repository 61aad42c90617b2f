/** The capability lookups measured, shared by the scenario and its child (a child script must not be imported). */

export const LOOKUP_VARIANTS = [
  'embedded-hit',
  'embedded-miss',
  'redis-l1-hit',
  'redis-hit',
  'redis-miss',
] as const;
export type LookupVariant = (typeof LOOKUP_VARIANTS)[number];

export interface LookupResult {
  readonly lookups: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly hits: number;
  /** GETs this lookup run sent to Redis: 0 for an L1 hit, one per lookup past it. */
  readonly redisGets: number;
}

export function isLookupVariant(value: string): value is LookupVariant {
  return (LOOKUP_VARIANTS as readonly string[]).includes(value);
}
