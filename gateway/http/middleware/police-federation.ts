/**
 * For a backend that already speaks modern OCM (issue 8 item 1): its federation endpoint is passed
 * through untouched, behind the same peer policy and rate limits as translated backends. The body
 * is not read here (the pass-through streams it), so only what the headers and the caller's
 * address tell is policed: denied networks, a denied signing host, the rate buckets. With an
 * allowlist of hosts, a caller that does not name its host by a signature is refused (fail closed);
 * with only a deny list, an unsigned caller cannot be matched against it and is let through to the
 * modern backend, which checks its sender itself.
 */
import type { RequestHandler } from 'express';
import type { IpNetwork } from '../../core/network/cidr.ts';
import type { PeerPolicy } from '../../core/policy/peer-policy.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ShortLivedStore } from '../../ports/short-lived-store.ts';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import { peerPolicy, peerVerdictOf } from './peer-policy.ts';
import { pathListTest, type PathList } from './federation-path-test.ts';
import { rateLimit } from './rate-limit.ts';

export interface PoliceFederationOptions {
  /** Paths (and everything below), e.g. the backend's `/ocm`; a function is read per request. */
  readonly paths: PathList;
  readonly policy: PeerPolicy;
  readonly trustedProxies: readonly IpNetwork[];
  readonly store: ShortLivedStore;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

export function policeFederation(options: PoliceFederationOptions): RequestHandler {
  const label: RequestHandler = (_req, res, next) => {
    res.locals.route = 'ocm-passthrough';
    next();
  };
  const namedWhenNeeded: RequestHandler = (req, _res, next) => {
    if (peerVerdictOf(req)?.kind === 'needs-host' && options.policy.allowHosts.length > 0) {
      next(new GatewayError('FORBIDDEN', 'Only signed federation requests are accepted here.'));
    } else next();
  };
  const chain = [label, peerPolicy(options), namedWhenNeeded, rateLimit(options)];
  const policed = pathListTest(options.paths);
  return (req, res, next) => {
    if (!policed(req.path)) {
      next();
      return;
    }
    const step =
      (index: number) =>
      (error?: unknown): void => {
        const handler = chain[index];
        if (error !== undefined || handler === undefined) {
          next(error);
          return;
        }
        void handler(req, res, step(index + 1));
      };
    step(0)();
  };
}
