/**
 * Rate limits for federation routes (issue 6 item 4), before the body is read: one bucket per
 * caller and one for all callers together, kept in the short-lived store so every replica shares
 * them when it is Redis. Over the limit: 429 with Retry-After in the caller's dialect.
 *
 * The per-caller key is the claimed peer host (signature key id) together with the client address
 * when there is a claim, else the client address. A claim is not proof: keyed by the host alone, a
 * forger anywhere could empty a real peer's bucket and stop its federation. Here a claim only
 * spends what that address has claimed; the peer's own bucket, across all its addresses, is spent
 * once its signature is verified (services/rate-limit-verified-peers.ts). A claimed host's request
 * also spends its address's bucket (`perAddressRateLimit`, never below the claimed peer's own
 * limit), so one address spreading over made-up hosts cannot take the global bucket alone. The
 * narrower buckets are checked first, because a refused hit spends nothing: a caller over its own
 * limit cannot drain the wider ones.
 * When the store fails the request is let through (logged, counted): a Redis outage must not stop
 * federation that other checks still protect.
 */
import type { RequestHandler } from 'express';
import type { GatewayError } from '../../core/errors/gateway-error.ts';
import type { IpNetwork } from '../../core/network/cidr.ts';
import { peerSettingsFor } from '../../core/policy/peer-overrides.ts';
import type { PeerPolicy, RateLimitSetting } from '../../core/policy/peer-policy.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ShortLivedStore } from '../../ports/short-lived-store.ts';
import { hitRateBucket, rateLimited, type RateBucket } from '../../services/hit-rate-bucket.ts';
import { callerOf } from './peer-policy-caller.ts';

export interface RateLimitOptions {
  readonly store: ShortLivedStore;
  /** Supplies `rateLimit` (global), `perPeerRateLimit` and the `peers[]` overrides. */
  readonly policy: PeerPolicy;
  readonly trustedProxies: readonly IpNetwork[];
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Prefix of the bucket keys in the store. Default `rate:`. */
  readonly keyPrefix?: string;
}

export function rateLimit(options: RateLimitOptions): RequestHandler {
  const prefix = options.keyPrefix ?? 'rate:';
  return (req, res, next) => {
    const caller = callerOf(req, options.trustedProxies);
    const address = caller.address ?? 'unknown';
    const key =
      caller.host === undefined
        ? `${prefix}address:${address}`
        : `${prefix}claim:${caller.host}@${address}`;
    const perCaller = peerSettingsFor(caller.host, options.policy).rateLimit;
    void (async () => {
      const own = await hitRateBucket(options.store, key, perCaller);
      if (!own.allowed) return refuse('peer', own.retryAfterMs);
      if (caller.host !== undefined && caller.address !== undefined) {
        const perAddress = faster(options.policy.perAddressRateLimit, perCaller);
        const source = await hitRateBucket(
          options.store,
          `${prefix}source:${caller.address}`,
          perAddress,
        );
        if (!source.allowed) return refuse('address', source.retryAfterMs);
      }
      const all = await hitRateBucket(options.store, `${prefix}global`, options.policy.rateLimit);
      if (!all.allowed) return refuse('global', all.retryAfterMs);
      return undefined;
    })().then(
      (error) => {
        next(error);
      },
      (error: unknown) => {
        options.metrics.storeErrors.inc({ store: 'short-lived', operation: 'rate-limit' });
        options.logger.warn('rate limit not applied: the short-lived store failed', {
          requestId: res.locals.requestId as unknown,
          error,
        });
        next();
      },
    );

    function refuse(bucket: RateBucket, retryAfterMs: number): GatewayError {
      options.metrics.requestsRefused.inc({ guard: 'rate-limit', reason: bucket });
      options.logger.info('rate limited', {
        requestId: res.locals.requestId as unknown,
        bucket,
        peerHost: caller.host,
        clientAddress: caller.address,
      });
      return rateLimited(bucket, retryAfterMs);
    }
  };
}

/** The setting that allows more requests per second. */
function faster(a: RateLimitSetting, b: RateLimitSetting): RateLimitSetting {
  return a.requests / a.windowSeconds >= b.requests / b.windowSeconds ? a : b;
}
