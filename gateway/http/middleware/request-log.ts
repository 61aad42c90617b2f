/**
 * One log line and one histogram observation per request, written when the response ends or the
 * client leaves: `warn` for 5xx, `http` for plain pass-through, `info` for everything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../ports/logger.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'MOVE',
  'COPY',
  'LOCK',
  'UNLOCK',
  'REPORT',
  'CONNECT',
]);

export interface RequestLogOptions {
  readonly listener: 'public' | 'internal' | 'admin';
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

/** The route label: a low-cardinality name set by the handler (res.locals.route) or the express route. */
function routeLabel(locals: Record<string, unknown>, routePath: unknown): string {
  if (typeof locals.route === 'string') return locals.route;
  if (typeof routePath === 'string') return routePath;
  return 'unmatched';
}

/** What a request's log line names, read when the response ends (handlers label it late). */
export interface LoggedRequest {
  readonly requestId: string | undefined;
  /** The request target as served (after hardening's normalisation). */
  readonly path: string;
  readonly route: string;
}

/**
 * Writes the request's log line and duration observation once, when the response finishes or
 * the client leaves; `describe` is called then.
 */
export function logRequestOnEnd(
  options: RequestLogOptions,
  req: IncomingMessage,
  res: ServerResponse,
  describe: () => LoggedRequest,
): void {
  const started = process.hrtime.bigint();
  let done = false;
  const finish = (outcome: 'completed' | 'client-gone') => {
    if (done) return;
    done = true;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = outcome === 'completed' ? res.statusCode : 499;
    const { requestId, path, route } = describe();
    const method = req.method ?? 'OTHER';
    options.metrics.httpRequestDuration.observe(
      {
        listener: options.listener,
        route,
        method: KNOWN_METHODS.has(method) ? method : 'OTHER',
        status_class: `${Math.floor(status / 100)}xx`,
      },
      seconds,
    );
    const fields = {
      requestId,
      listener: options.listener,
      method,
      path,
      route,
      status,
      outcome,
      durationMs: Math.round(seconds * 1e6) / 1e3,
      remoteAddress: req.socket.remoteAddress,
      userAgent: req.headers['user-agent'],
    };
    if (status >= 500) options.logger.warn('request', fields);
    // Plain pass-through traffic (every WebDAV sync of every client) is the backend's own
    // access log already: at `http` level, shown with GATEWAY_LOG_LEVEL=http or lower.
    else if (route === 'passthrough') options.logger.http('request', fields);
    else options.logger.info('request', fields);
  };
  res.once('finish', () => {
    finish('completed');
  });
  res.once('close', () => {
    finish(res.writableFinished ? 'completed' : 'client-gone');
  });
}

/** logRequestOnEnd for an express app: the route from res.locals.route or the express route. */
export function requestLog(options: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    logRequestOnEnd(options, req, res, () => ({
      requestId: res.locals.requestId as string | undefined,
      path: req.originalUrl,
      route: routeLabel(res.locals, (req.route as { path?: unknown } | undefined)?.path),
    }));
    next();
  };
}
