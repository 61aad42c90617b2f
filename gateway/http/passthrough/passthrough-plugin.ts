/** The http-proxy-middleware plugin behind the pass-through: response timeout, streamed response, upstream failures. */
import { ServerResponse, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Plugin } from 'http-proxy-middleware';
import type { ExchangeTracker } from './exchange-tracker.ts';
import { proxyResponseHeaders } from './proxy-response-headers.ts';
import {
  RESPONSE_TIMEOUT_CODE,
  UpstreamTimeoutError,
  classifyUpstreamError,
  errorCodeOf,
  upstreamErrorResponse,
} from './upstream-error.ts';
import type { UrlMapping } from './url-mapping.ts';

export interface PassthroughPluginContext {
  readonly mapping: UrlMapping;
  readonly backendHost: string;
  readonly responseTimeoutMs: number;
  readonly retryAfterSeconds: number;
  readonly tracker: ExchangeTracker;
}

/**
 * Replaces HPM's default plugins (console logging, a text/plain error page naming the request's
 * host) with the gateway's behaviour. Runs with `selfHandleResponse`, so the response is written
 * here and streamed with `pipe` (back-pressure both ways, nothing buffered).
 */
export function createPassthroughPlugin(context: PassthroughPluginContext): Plugin {
  return (proxyServer) => {
    proxyServer.on('proxyReq', (proxyReq) => {
      armResponseTimeout(proxyReq, context.responseTimeoutMs);
    });
    proxyServer.on('proxyRes', (proxyRes, req, res) => {
      forwardResponse(proxyRes, req, res, context);
    });
    proxyServer.on('error', (error, req, res) => {
      if (req !== undefined && res instanceof ServerResponse) {
        handleUpstreamFailure(error, req, res, context);
      }
    });
    proxyServer.on('econnreset', (_error, req) => {
      context.tracker.settle(req, { kind: 'client-aborted' });
    });
  };
}

/**
 * Time to first byte, counted from the moment the whole request has been handed to the backend:
 * a long upload is the client's time, not the backend's. A backend that answers early (e.g. 401
 * before reading a body) stops the clock as well.
 */
function armResponseTimeout(proxyReq: ClientRequest, timeoutMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  let answered = false;
  const clear = (): void => {
    answered = true;
    clearTimeout(timer);
  };
  proxyReq.once('finish', () => {
    if (answered) return;
    timer = setTimeout(() => {
      proxyReq.destroy(new UpstreamTimeoutError(RESPONSE_TIMEOUT_CODE, timeoutMs));
    }, timeoutMs);
  });
  proxyReq.once('response', clear);
  proxyReq.once('close', clear);
}

function forwardResponse(
  proxyRes: IncomingMessage,
  req: IncomingMessage,
  res: ServerResponse,
  context: PassthroughPluginContext,
): void {
  if (res.headersSent || res.destroyed) {
    proxyRes.destroy();
    return;
  }
  try {
    res.writeHead(
      proxyRes.statusCode ?? 502,
      proxyRes.statusMessage,
      proxyResponseHeaders(proxyRes.headersDistinct, context.mapping, context.backendHost),
    );
  } catch (error) {
    // node refuses a header it cannot serialise: the backend's answer is unusable as sent.
    proxyRes.destroy();
    handleUpstreamFailure(error, req, res, context);
    return;
  }
  // Registered before httpxy's own listeners, which cut the client response first: this is
  // the place that still knows the backend, not the client, broke the transfer.
  proxyRes.once('error', (error) => {
    handleUpstreamFailure(error, req, res, context);
  });
  proxyRes.once('close', () => {
    if (!proxyRes.complete) handleUpstreamFailure(prematureEnd(), req, res, context);
  });
  proxyRes.pipe(res);
}

function prematureEnd(): Error {
  return Object.assign(new Error('backend response ended before it was complete'), {
    code: 'ECONNRESET',
  });
}

function handleUpstreamFailure(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  context: PassthroughPluginContext,
): void {
  const { tracker } = context;
  if (res.writableEnded) return;
  if (req.socket.destroyed || !req.socket.writable) {
    tracker.settle(req, { kind: 'client-aborted' });
    return;
  }
  const failure = classifyUpstreamError(error);
  const response = res.headersSent ? undefined : upstreamErrorResponse(failure, context);
  const settled = tracker.settle(req, {
    kind: failure,
    errorCode: errorCodeOf(error),
    errorMessage: error instanceof Error ? error.message : String(error),
    status: response?.status,
  });
  if (!settled) return;
  if (response === undefined) {
    // Part of the response is on the wire: the only honest signal left is a cut connection,
    // which clients see as a truncated transfer instead of a silently short file.
    res.destroy();
    return;
  }
  const body = JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(response.retryAfterSeconds === undefined
      ? {}
      : { 'retry-after': String(response.retryAfterSeconds) }),
    // The rest of an unread request body will not be read: end the connection after answering.
    ...(req.complete ? {} : { connection: 'close' }),
  });
  res.end(body);
  if (!req.complete) req.resume();
}
