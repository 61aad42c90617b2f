/**
 * A WebSocket upgrade relayed to the backend (Nextcloud's notify_push on `/push/ws`, apps' live
 * views): the handshake goes to the backend over a connection of its own (never one of the
 * pooled keep-alive sockets, which a long-lived tunnel would hold forever), its `101` comes back
 * with the backend's end-to-end headers (cookies and redirects mapped as for any answer), then
 * bytes are piped both ways untouched until either side closes.
 * A backend that answers without upgrading gets its answer relayed as is; one that cannot be
 * reached or stays silent gets the pass-through's 503 / 502 / 504 JSON answer.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { PassthroughEvent } from './passthrough-event.ts';
import { proxyRequestHeaders } from './proxy-request-headers.ts';
import { proxyResponseHeaders } from './proxy-response-headers.ts';
import {
  RESPONSE_TIMEOUT_CODE,
  UpstreamTimeoutError,
  classifyUpstreamError,
  errorCodeOf,
  upstreamErrorResponse,
} from './upstream-error.ts';
import type { UrlMapping } from './url-mapping.ts';

export interface WebSocketTunnelContext {
  readonly backendUrl: URL;
  readonly publicUrl: URL;
  readonly mapping: UrlMapping;
  /** Deadline for the backend's answer to the handshake, connecting included. */
  readonly handshakeTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly retryAfterSeconds: number;
  readonly onEvent?: ((event: PassthroughEvent) => void) | undefined;
}

/** What became of a handshake: the status the client got (101 when the tunnel opened). */
export type TunnelOutcome = (status: number) => void;

/** Whether a request asks to become a WebSocket (RFC 6455 §4.1: GET, `Upgrade: websocket`). */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  const connection = req.headers.connection ?? '';
  return (
    req.method === 'GET' &&
    typeof upgrade === 'string' &&
    upgrade.trim().toLowerCase() === 'websocket' &&
    connection.split(',').some((token) => token.trim().toLowerCase() === 'upgrade')
  );
}

/** Relays one upgrade to `backendTarget`; `target` is the one the client is served. */
export type ForwardUpgrade = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: string,
  backendTarget: string,
  answered: TunnelOutcome,
) => void;

export function webSocketTunnels(context: WebSocketTunnelContext): ForwardUpgrade {
  return (req, socket, head, target, backendTarget, answered) => {
    openTunnel(context, { req, socket, head, target, backendTarget }, answered);
  };
}

interface TunnelRequest {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly target: string;
  readonly backendTarget: string;
}

function openTunnel(
  context: WebSocketTunnelContext,
  { req, socket, head, target, backendTarget }: TunnelRequest,
  answered: TunnelOutcome,
): void {
  const { backendUrl } = context;
  const headers: IncomingHttpHeaders = {
    ...proxyRequestHeaders(req.headers, {
      clientAddress: req.socket.remoteAddress,
      publicUrl: context.publicUrl,
      mapping: context.mapping,
    }),
    // The backend's own name, as for every pass-through request (its trusted_domains).
    host: backendUrl.host,
    connection: 'Upgrade',
    upgrade: 'websocket',
  };
  const secure = backendUrl.protocol === 'https:';
  const upstream = (secure ? https : http).request({
    host: backendUrl.hostname,
    port: backendUrl.port === '' ? (secure ? 443 : 80) : Number(backendUrl.port),
    method: 'GET',
    path: backendTarget,
    headers,
    agent: false,
  });
  let settled = false;
  const info = {
    method: 'GET',
    path: target.split('?', 1)[0] ?? '',
    requestId:
      typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined,
  };
  const timer = setTimeout(() => {
    upstream.destroy(new UpstreamTimeoutError(RESPONSE_TIMEOUT_CODE, context.responseTimeoutMs));
  }, context.handshakeTimeoutMs);
  const settle = () => {
    settled = true;
    clearTimeout(timer);
  };
  socket.on('error', () => {
    upstream.destroy();
  });
  socket.once('close', () => {
    if (!settled) {
      settle();
      emit(context, { ...info, kind: 'client-aborted' });
      answered(499);
    }
    upstream.destroy();
  });

  upstream.once('upgrade', (answer, backendSocket, backendHead) => {
    settle();
    backendSocket.on('error', () => {
      socket.destroy();
    });
    socket.on('error', () => {
      backendSocket.destroy();
    });
    backendSocket.once('close', () => socket.destroy());
    socket.once('close', () => backendSocket.destroy());
    // The backend's end-to-end headers as for any answer (Set-Cookie and Location mapped to the
    // public URL), then the two this hop's upgrade needs.
    const relayed = headerPairs(
      proxyResponseHeaders(answer.headersDistinct, context.mapping, backendUrl.hostname),
    );
    socket.write(
      statusLine(101, answer.statusMessage) +
        headerLines([...relayed, ['connection', 'Upgrade'], ['upgrade', 'websocket']]),
    );
    if (backendHead.length > 0) socket.write(backendHead);
    if (head.length > 0) backendSocket.write(head);
    backendSocket.pipe(socket);
    socket.pipe(backendSocket);
    answered(101);
  });

  upstream.once('response', (answer) => {
    // The backend declined to upgrade (401, 404, 426…): its answer, then the connection ends.
    settle();
    const status = answer.statusCode ?? 502;
    // Without Content-Length the body runs to the close; chunked framing was undone by node.
    const relayed = headerPairs(
      proxyResponseHeaders(answer.headersDistinct, context.mapping, backendUrl.hostname),
    );
    socket.write(
      statusLine(status, answer.statusMessage) + headerLines([...relayed, ['connection', 'close']]),
    );
    answer.pipe(socket);
    answer.once('error', () => socket.destroy());
    answered(status);
  });

  upstream.once('error', (error) => {
    if (settled) {
      socket.destroy();
      return;
    }
    settle();
    const failure = classifyUpstreamError(error);
    const response = upstreamErrorResponse(failure, context);
    emit(context, {
      ...info,
      kind: failure,
      errorCode: errorCodeOf(error),
      errorMessage: error.message,
      status: response.status,
    });
    const body = JSON.stringify(response.body);
    const pairs: [string, string][] = [
      ['content-type', 'application/json; charset=utf-8'],
      ['content-length', String(Buffer.byteLength(body))],
      ['cache-control', 'no-store'],
      ['connection', 'close'],
    ];
    if (response.retryAfterSeconds !== undefined) {
      pairs.push(['retry-after', String(response.retryAfterSeconds)]);
    }
    socket.end(statusLine(response.status, undefined) + headerLines(pairs) + body);
    answered(response.status);
  });

  upstream.end();
}

function emit(context: WebSocketTunnelContext, event: PassthroughEvent): void {
  try {
    context.onEvent?.(event);
  } catch {
    // The observer logs and counts; its fault must not break the tunnel.
  }
}

function statusLine(status: number, message: string | undefined): string {
  return `HTTP/1.1 ${status} ${message ?? http.STATUS_CODES[status] ?? ''}\r\n`;
}

function headerLines(pairs: readonly (readonly [string, string])[]): string {
  return `${pairs.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

function headerPairs(headers: Readonly<Record<string, string[]>>): [string, string][] {
  return Object.entries(headers).flatMap(([name, values]) =>
    values.map((value): [string, string] => [name, value]),
  );
}
