/**
 * The public listener's express app: federation endpoints for peers and pass-through of
 * everything else. In the gateway it sits behind the pass-through lane (passthrough-lane.ts),
 * which serves plain pass-through without express and hands it every other request.
 */
import express, { type Express, type RequestHandler } from 'express';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { IpNetwork } from '../core/network/cidr.ts';
import type { PeerPolicy } from '../core/policy/peer-policy.ts';
import type { Logger } from '../ports/logger.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import { backendRouter, type BackendRouterOptions } from './middleware/backend-router.ts';
import { pathListTest, type PathList } from './middleware/federation-path-test.ts';
import { bodyLimit, bodyWasConsumed } from './middleware/body-limit.ts';
import { peerPolicy } from './middleware/peer-policy.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestHardening } from './middleware/request-hardening.ts';
import { requestId } from './middleware/request-id.ts';
import { requestLog } from './middleware/request-log.ts';
import { ocmErrorResponder } from './ocm-error-responder.ts';
import { ocsErrorResponder } from './ocs-error-responder.ts';
import type { ListenerOptions } from './start-listener.ts';

/** Server options of the public listener: strict header limits, CONNECT answered 405. */
export const PUBLIC_LISTENER_OPTIONS: ListenerOptions = {
  maxHeaderSize: 16 * 1024,
  maxHeadersCount: 100,
  refuseConnect: true,
};

/** A federation endpoint served behind the peer policy, the rate limits and a body limit. */
export interface GuardedFederationRoute {
  /** Mount path (express `app.use`: the path and everything below it), e.g. `/ocm/shares`. */
  readonly path: string;
  /** Reads the body with `rawBodyOf(req)` (already read and size-checked), never a body parser. */
  readonly handler: RequestHandler;
  /** Largest body accepted (config `limits.sharesBodyBytes`, …); larger ones get 413. A function is read per request. */
  readonly bodyLimitBytes: number | (() => number);
}

export interface FederationOptions {
  readonly routes: readonly GuardedFederationRoute[];
  readonly policy: PeerPolicy;
  /** Rate-limit buckets; the Redis store shares them across replicas. */
  readonly store: ShortLivedStore;
  readonly trustedProxies: readonly IpNetwork[];
  /** How long a request body may take to arrive. Default 30 s. */
  readonly bodyTimeoutMs?: number;
}

export interface PublicAppOptions {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Guarded federation endpoints, mounted before the pass-through. */
  readonly federation?: FederationOptions;
  /** Unguarded routes mounted before the pass-through (they do their own checks). */
  readonly federationRoutes?: readonly RequestHandler[];
  /** Streams everything else to the backend; must see the raw, unparsed request. */
  readonly passthrough: RequestHandler;
  /**
   * Every path the federation routes above may answer (and what lies below each); a function is
   * read per request and should return the same array while nothing changed. When given, any
   * other request goes straight to the pass-through instead of walking every route first.
   */
  readonly federationPaths?: PathList;
  /**
   * One backend's app behind `createPublicRouterApp`, which already hardened, numbered and logs
   * the request: skip those here.
   */
  readonly embedded?: boolean;
}

export function createPublicApp(options: PublicAppOptions): Express {
  const { logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  if (options.embedded !== true) {
    app.use(requestHardening({ logger, metrics }));
    app.use(requestId());
    app.use(requestLog({ listener: 'public', logger, metrics }));
  }
  const passthrough = options.passthrough;
  const toBackend: RequestHandler = (req, res, next) => {
    res.locals.route = 'passthrough';
    passthrough(req, res, next);
  };
  if (options.federationPaths !== undefined) {
    const isFederation = pathListTest(options.federationPaths);
    app.use((req, res, next) => {
      if (isFederation(req.path)) next();
      else toBackend(req, res, next);
    });
  }
  if (options.federation !== undefined) mountFederation(app, options.federation, logger, metrics);
  for (const routes of options.federationRoutes ?? []) app.use(routes);
  app.use(toBackend);
  app.use(ocsErrorResponder(logger));
  app.use(ocmErrorResponder(logger));
  return app;
}

export interface PublicRouterAppOptions extends Omit<BackendRouterOptions, 'logger' | 'metrics'> {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

/** The public listener of an organisation edge: one embedded public app per backend, chosen by Host. */
export function createPublicRouterApp(options: PublicRouterAppOptions): Express {
  const { logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(requestHardening({ logger, metrics }));
  app.use(requestId());
  app.use(requestLog({ listener: 'public', logger, metrics }));
  app.use(backendRouter(options));
  app.use(ocsErrorResponder(logger));
  app.use(ocmErrorResponder(logger));
  return app;
}

function mountFederation(
  app: Express,
  federation: FederationOptions,
  logger: Logger,
  metrics: GatewayMetrics,
): void {
  const shared = { policy: federation.policy, trustedProxies: federation.trustedProxies };
  const policyGuard = peerPolicy({ ...shared, logger, metrics });
  const rateGuard = rateLimit({ ...shared, store: federation.store, logger, metrics });
  const timeout =
    federation.bodyTimeoutMs === undefined ? {} : { timeoutMs: federation.bodyTimeoutMs };
  for (const route of federation.routes) {
    const label: RequestHandler = (_req, res, next) => {
      res.locals.route = route.path;
      next();
    };
    app.use(
      route.path,
      label,
      policyGuard,
      rateGuard,
      bodyLimit(route.bodyLimitBytes, timeout),
      route.handler,
      // A request whose body was read here cannot go on to the pass-through half-consumed.
      (req, _res, next) => {
        if (bodyWasConsumed(req)) next(new GatewayError('NOT_FOUND', 'No such endpoint.'));
        else next();
      },
    );
  }
}
