/**
 * The public listener of an organisation edge (issue 8 item 1): hands each request to the app of
 * the backend its Host header (and public-URL path) names. An OCM share sent to a host several
 * backends share is routed by its recipient's address: the body is read here, within the share
 * body limit, and kept for the backend's app (bodyLimit does not read it twice). A host no backend
 * answers to gets 421 Misdirected Request, never a guess.
 */
import type { RequestHandler } from 'express';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import {
  backendForRecipient,
  backendsFor,
  type RoutableBackend,
} from '../../core/routing/backend-routing.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { Logger } from '../../ports/logger.ts';
import { bodyLimit, rawBodyOf } from './body-limit.ts';

export interface RoutedBackend extends RoutableBackend {
  /** The backend's own public app (mounted embedded: no second request log). */
  readonly handler: RequestHandler;
  /** Its OCM share endpoint path, e.g. `/ocm/shares`. */
  readonly sharesPath: string;
}

export interface BackendRouterOptions {
  readonly backends: readonly RoutedBackend[];
  /** `limits.sharesBodyBytes`, read per request. */
  readonly sharesBodyLimitBytes: () => number;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

export function backendRouter(options: BackendRouterOptions): RequestHandler {
  const { logger, metrics } = options;
  const readShare = bodyLimit(options.sharesBodyLimitBytes);
  return (req, res, next) => {
    const candidates = backendsFor(options.backends, req.headers.host, req.path);
    const first = candidates[0];
    if (first === undefined) {
      res.locals.route = 'misdirected';
      metrics.requestsRefused.inc({ guard: 'backend-router', reason: 'unknown-host' });
      logger.info('no backend for this host', {
        requestId: res.locals.requestId as unknown,
        host: req.headers.host,
      });
      next(new GatewayError('MISDIRECTED', 'No backend behind this gateway serves this host.'));
      return;
    }
    const isShare = req.method === 'POST' && req.path === first.sharesPath;
    if (candidates.length === 1 || !isShare) {
      res.locals.backend = first.id;
      first.handler(req, res, next);
      return;
    }
    readShare(req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      const chosen = backendForRecipient(candidates, shareWithOf(rawBodyOf(req))) ?? first;
      res.locals.backend = chosen.id;
      chosen.handler(req, res, next);
    });
  };
}

function shareWithOf(body: Buffer | undefined): unknown {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return (JSON.parse(body.toString('utf8')) as { shareWith?: unknown } | null)?.shareWith;
  } catch {
    // Not JSON: the backend's app answers it in the OCM dialect.
    return undefined;
  }
}
