/** One hit on a rate bucket of the short-lived store, sized by a policy setting. */
import type { RateLimitSetting } from '../core/policy/peer-policy.ts';
import type { RateDecision, ShortLivedStore } from '../ports/short-lived-store.ts';

export function hitRateBucket(
  store: Pick<ShortLivedStore, 'hit'>,
  key: string,
  limit: RateLimitSetting,
): Promise<RateDecision> {
  return store.hit(key, limit.requests, limit.windowSeconds * 1000);
}
