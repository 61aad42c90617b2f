/** One hit on a rate bucket of the short-lived store, sized by a policy setting, and its refusal. */
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { RateLimitSetting } from '../core/policy/peer-policy.ts';
import type { RateDecision, ShortLivedStore } from '../ports/short-lived-store.ts';

export function hitRateBucket(
  store: Pick<ShortLivedStore, 'hit'>,
  key: string,
  limit: RateLimitSetting,
): Promise<RateDecision> {
  return store.hit(key, limit.requests, limit.windowSeconds * 1000);
}

export type RateBucket = 'peer' | 'address' | 'global';

const REFUSALS: Readonly<Record<RateBucket, string>> = {
  peer: 'Too many requests from your server; retry later.',
  address: 'Too many requests from your address; retry later.',
  global: 'Too many federation requests right now; retry later.',
};

/** RATE_LIMITED (429) naming the bucket's caller, with Retry-After in whole seconds (at least 1). */
export function rateLimited(bucket: RateBucket, retryAfterMs: number): GatewayError {
  return new GatewayError('RATE_LIMITED', REFUSALS[bucket], {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}
