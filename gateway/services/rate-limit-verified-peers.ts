/**
 * The per-peer rate limit, spent once a request's signature is verified: the peer's own bucket
 * (`perPeerRateLimit`, or its `peers[]` override) across every address it sends from, in the
 * short-lived store every replica shares. The limit checked before the body is read keys a claimed
 * host with the caller's address (http/middleware/rate-limit.ts), because a claim is not proof;
 * only a verified signer may spend the peer's own bucket, so nobody else can empty it.
 * Over the limit: RATE_LIMITED (429 with Retry-After in the caller's dialect). When the store fails
 * the request is let through (logged, counted), as before the body.
 */
import { peerSettingsFor } from '../core/policy/peer-overrides.ts';
import type { PeerPolicy } from '../core/policy/peer-policy.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerAuthenticator } from '../ports/peer-authenticator.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import { hitRateBucket, rateLimited } from './hit-rate-bucket.ts';

export interface RateLimitCounters {
  refused(): void;
  storeFailed(): void;
}

export interface RateLimitVerifiedPeersOptions {
  readonly store: Pick<ShortLivedStore, 'hit'>;
  /** Supplies `perPeerRateLimit` and the `peers[]` overrides, read per request. */
  readonly policy: PeerPolicy;
  readonly logger: Logger;
  /** Counts a refusal and a store failure; the composition root maps them onto its metrics. */
  readonly count: RateLimitCounters;
  /** Prefix of the bucket keys in the store. Default `rate:`. */
  readonly keyPrefix?: string;
}

export function rateLimitVerifiedPeers(
  inner: PeerAuthenticator,
  options: RateLimitVerifiedPeersOptions,
): PeerAuthenticator {
  const prefix = options.keyPrefix ?? 'rate:';
  return {
    async authenticate(request, claimedHost) {
      const authentication = await inner.authenticate(request, claimedHost);
      if (!authentication.verified) return authentication;
      const { host } = authentication;
      const limit = peerSettingsFor(host, options.policy).rateLimit;
      let decision;
      try {
        decision = await hitRateBucket(options.store, `${prefix}peer:${host}`, limit);
      } catch (error) {
        options.count.storeFailed();
        options.logger.warn('rate limit not applied: the short-lived store failed', {
          peerHost: host,
          error,
        });
        return authentication;
      }
      if (decision.allowed) return authentication;
      options.count.refused();
      options.logger.info('rate limited', { bucket: 'peer', peerHost: host, verified: true });
      throw rateLimited('peer', decision.retryAfterMs);
    },
  };
}
