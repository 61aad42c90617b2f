/** The public listener's pass-through to the backend (web UI, WebDAV, apps): DESIGN §3, built on http-proxy-middleware. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { createBackendAgent } from './backend-agent.ts';
import { ExchangeTracker } from './exchange-tracker.ts';
import { createPassthroughPlugin } from './passthrough-plugin.ts';
import type { PassthroughEvent } from './passthrough-event.ts';
import { proxyRequestHeaders } from './proxy-request-headers.ts';
import { createUrlMapping, mapPathPrefix } from './url-mapping.ts';
import {
  webSocketTunnels,
  type ForwardUpgrade,
  type WebSocketTunnelContext,
} from './websocket-tunnel.ts';

export interface PassthroughOptions {
  /** The backend's base URL; may carry a sub-path (`http://127.0.0.1:8080/nextcloud`). */
  readonly backendUrl: URL;
  /** The URL clients see; may carry another sub-path, or none. */
  readonly publicUrl: URL;
  /** Deadline for opening a new connection to the backend (TCP, and TLS for https). */
  readonly connectTimeoutMs: number;
  /** Deadline for the backend's response headers, counted once the request has been sent. */
  readonly responseTimeoutMs: number;
  /** Connections to the backend at most; further requests wait for a free one. Default 256. */
  readonly maxSockets?: number;
  /** `Retry-After` sent with 503 when the backend cannot be reached. Default 10. */
  readonly retryAfterSeconds?: number;
  /** Told about upstream errors, timeouts and client aborts; must be cheap. */
  readonly onEvent?: (event: PassthroughEvent) => void;
}

export interface Passthrough {
  /** For express: requests outside the public URL's path go to `next()`. */
  readonly handler: RequestHandler;
  /**
   * Where a request target (origin-form, as served to the client) lies on the backend, or
   * undefined when it is outside the public URL's path and not the backend's to answer.
   */
  backendTargetOf(target: string): string | undefined;
  /**
   * Streams the request to `backendTarget` (from backendTargetOf) and the answer back, with no
   * framework: the public listener's fast lane. `target` is the one the client is served.
   */
  forward(req: IncomingMessage, res: ServerResponse, target: string, backendTarget: string): void;
  /** Relays a WebSocket upgrade (websocket-tunnel.ts); `answered` learns the client's status. */
  readonly forwardUpgrade: ForwardUpgrade;
  /** Closes the pooled backend connections; call after the listener has stopped. */
  close(): void;
}

/**
 * Mount the handler LAST on the public app, after the federation routes, with no body parser in
 * front of it (parsers must be scoped to the routes that need them): it streams the raw request.
 * Requests outside `publicUrl`'s path go to `next()`. WebSocket upgrades come through
 * `forwardUpgrade` (the listener's upgrade handler); any other `Upgrade` arrives as a plain
 * request and loses the header.
 */
export function createPassthrough(options: PassthroughOptions): Passthrough {
  validateOptions(options);
  const { backendUrl, publicUrl } = options;
  const mapping = createUrlMapping(publicUrl, backendUrl);
  const agent = createBackendAgent({
    backendUrl,
    connectTimeoutMs: options.connectTimeoutMs,
    maxSockets: options.maxSockets ?? 256,
  });
  const tracker = new ExchangeTracker(options.onEvent);
  const proxy = createProxyMiddleware({
    // The path is mapped by the handler below, so the target is the backend's origin only.
    target: backendUrl.origin,
    // The backend sees its own name in `Host`: its virtual host and trusted-domains checks
    // (Nextcloud `trusted_domains`, Apache vhosts) are configured for that name, and a client's
    // `Host` never reaches it. The public name travels in Forwarded / X-Forwarded-Host, which a
    // backend uses only when told to trust the gateway (`trusted_proxies`).
    changeOrigin: true,
    agent,
    selfHandleResponse: true,
    ejectPlugins: true,
    plugins: [
      createPassthroughPlugin({
        mapping,
        backendHost: backendUrl.hostname,
        responseTimeoutMs: options.responseTimeoutMs,
        retryAfterSeconds: options.retryAfterSeconds ?? 10,
        tracker,
      }),
    ],
  });

  const backendTargetOf = (target: string) =>
    mapPathPrefix(target, mapping.public.prefix, mapping.backend.prefix);
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    backendTarget: string,
  ): void => {
    tracker.begin(req, res, {
      method: req.method ?? '',
      path: target.split('?', 1)[0] ?? '',
      requestId: headerValue(req.headers['x-request-id']),
    });
    req.url = backendTarget;
    req.headers = proxyRequestHeaders(req.headers, {
      clientAddress: req.socket.remoteAddress,
      publicUrl,
      mapping,
    });
    // HPM has already reported any proxy error through the plugin's 'error' listener before it
    // calls `next(error)`, and the target was checked above: nothing is left for a `next`.
    void proxy(req, res, () => undefined);
  };
  const tunnelContext: WebSocketTunnelContext = {
    backendUrl,
    publicUrl,
    mapping,
    handshakeTimeoutMs: options.connectTimeoutMs + options.responseTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    retryAfterSeconds: options.retryAfterSeconds ?? 10,
    onEvent: options.onEvent,
  };
  const handler: RequestHandler = (req, res, next) => {
    const backendTarget = backendTargetOf(req.originalUrl);
    // Outside the public URL's path (or an absolute-form target): not the backend's to answer.
    if (backendTarget === undefined) {
      next();
      return;
    }
    forward(req, res, req.originalUrl, backendTarget);
  };

  return {
    handler,
    backendTargetOf,
    forward,
    forwardUpgrade: webSocketTunnels(tunnelContext),
    close: () => {
      agent.destroy();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function validateOptions(options: PassthroughOptions): void {
  for (const field of ['backendUrl', 'publicUrl'] as const) {
    const url = options[field];
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`passthrough.${field} must be an http: or https: URL`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new TypeError(`passthrough.${field} must not carry credentials`);
    }
    if (url.search !== '' || url.hash !== '') {
      throw new TypeError(`passthrough.${field} must not carry a query or fragment`);
    }
  }
  const positive = [
    'connectTimeoutMs',
    'responseTimeoutMs',
    'maxSockets',
    'retryAfterSeconds',
  ] as const;
  for (const field of positive) {
    const value = options[field];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new RangeError(`passthrough.${field} must be a positive integer`);
    }
  }
}
