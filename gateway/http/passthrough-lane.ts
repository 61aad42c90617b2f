/**
 * The public listener's fast lane (issue 4): plain pass-through requests (web UI, WebDAV sync,
 * apps — nearly all of a server's traffic) go to the backend without express, whose router and
 * request/response decoration cost more per request than the proxying itself. A request takes
 * the lane only when the express app would have done exactly this with it: hardening passes it
 * unchanged in meaning, its path is no federation route's, and it lies under the public URL's
 * path. It then gets what the app's own middleware gives (normalised target, request id, request
 * log and duration metric) and the same pass-through. Everything else, refusals included, is
 * handed to the app untouched, so every error keeps its dialect.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import type { Logger } from '../ports/logger.ts';
import { pathListTest, type PathList } from './middleware/federation-path-test.ts';
import { adoptTarget, inspectRequest } from './middleware/request-hardening.ts';
import { assignRequestId } from './middleware/request-id.ts';
import { logRequestOnEnd, type RequestLogOptions } from './middleware/request-log.ts';
import { errorWireInDialect } from './ocs-error-responder.ts';
import type { Passthrough } from './passthrough/create-passthrough.ts';

/** Where the lane sends a request: the pass-through that takes it and the target on its backend. */
export interface LaneChoice {
  readonly passthrough: Pick<Passthrough, 'forward' | 'forwardUpgrade'>;
  readonly backendTarget: string;
}

/**
 * The pass-through for a request hardening passed (`path` and `target` normalised), or
 * undefined when the app must see it: a federation route, no backend for it.
 */
export type LaneChooser = (
  req: IncomingMessage,
  path: string,
  target: string,
) => LaneChoice | undefined;

/** One backend's public app: everything under its public URL's path but its federation routes. */
export function oneBackendChooser(
  federationPaths: PathList,
  passthrough: Pick<Passthrough, 'backendTargetOf' | 'forward' | 'forwardUpgrade'>,
): LaneChooser {
  const isFederation = pathListTest(federationPaths);
  return (_req, path, target) => {
    if (isFederation(path)) return undefined;
    const backendTarget = passthrough.backendTargetOf(target);
    return backendTarget === undefined ? undefined : { passthrough, backendTarget };
  };
}

/**
 * The lane's choice for a request, with its normalised target; undefined when the app must see
 * it (a fragment, which express reads with the legacy URL parser; a refusal; the chooser's no).
 */
export function laneChoiceOf(
  req: IncomingMessage,
  choose: LaneChooser,
): { readonly choice: LaneChoice; readonly target: string } | undefined {
  if ((req.url ?? '').includes('#')) return undefined;
  const inspection = inspectRequest(req);
  if (!inspection.ok) return undefined;
  const { target } = inspection;
  const queryAt = target.indexOf('?');
  const choice = choose(req, queryAt < 0 ? target : target.slice(0, queryAt), target);
  return choice === undefined ? undefined : { choice, target };
}

export interface PassthroughLaneOptions {
  /** The public app: every request the lane does not take, unchanged. */
  readonly app: RequestListener;
  readonly choose: LaneChooser;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

export function passthroughLane(options: PassthroughLaneOptions): RequestListener {
  const { app, choose, logger } = options;
  const logOptions: RequestLogOptions = {
    listener: 'public',
    logger,
    metrics: options.metrics,
  };
  return (req, res) => {
    const picked = laneChoiceOf(req, choose);
    if (picked === undefined) {
      app(req, res);
      return;
    }
    const { choice, target } = picked;
    adoptTarget(req, target);
    const requestId = assignRequestId(req, res);
    const logged = { requestId, path: target, route: 'passthrough' };
    logRequestOnEnd(logOptions, req, res, () => logged);
    try {
      choice.passthrough.forward(req, res, target, choice.backendTarget);
    } catch (error) {
      answerInternalError(req, res, target, error, requestId, logger);
    }
  };
}

/** What the app's error responders do with a fault: log it, answer 500 in the caller's dialect. */
function answerInternalError(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  error: unknown,
  requestId: string,
  logger: Logger,
): void {
  logger.error('pass-through failed', { requestId, error });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const wire = errorWireInDialect(target, new GatewayError('INTERNAL', 'Internal gateway error.'));
  res.writeHead(wire.status, {
    'content-type': wire.contentType,
    'content-length': Buffer.byteLength(wire.body),
    ...(req.complete ? {} : { connection: 'close' }),
  });
  res.end(wire.body);
  if (!req.complete) req.resume();
}
