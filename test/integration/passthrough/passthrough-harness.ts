/** Real servers for the pass-through tests: an upstream node:http server, the gateway app, a raw client. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createPassthrough,
  type PassthroughOptions,
} from '../../../gateway/http/passthrough/create-passthrough.ts';
import { oneBackendChooser, passthroughLane } from '../../../gateway/http/passthrough-lane.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { captureLogger } from '../../unit/http/capture-logger.ts';
import type {
  PassthroughEvent,
  UpstreamErrorEvent,
} from '../../../gateway/http/passthrough/passthrough-event.ts';

export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
  readonly origin: string;
  readonly close: () => Promise<void>;
}

export async function listen(server: http.Server, host = '127.0.0.1'): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    server,
    port,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function startUpstream(handler: http.RequestListener): Promise<RunningServer> {
  return listen(http.createServer(handler));
}

export interface RunningGateway extends RunningServer {
  readonly events: PassthroughEvent[];
}

export interface GatewayTestOptions extends Partial<PassthroughOptions> {
  readonly backendUrl: URL;
  /** Address the gateway listens on (default 127.0.0.1). */
  readonly host?: string;
}

/**
 * An express app with the pass-through as its last handler and a JSON 404 after it, behind the
 * pass-through lane as the public listener serves it (requests it does not take reach the app).
 */
export async function startGateway(options: GatewayTestOptions): Promise<RunningGateway> {
  const events: PassthroughEvent[] = [];
  const passthrough = createPassthrough({
    publicUrl: new URL('https://cloud.example.org'),
    connectTimeoutMs: 2000,
    responseTimeoutMs: 5000,
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(passthrough.handler);
  app.use((_req, res) => {
    res.status(404).json({ message: 'NOT_FOUND' });
  });
  const listener = passthroughLane({
    app,
    choose: oneBackendChooser([], passthrough),
    logger: captureLogger([]),
    metrics: createMetrics({ collectDefaults: false }),
  });
  const running = await listen(http.createServer(listener), options.host);
  return {
    ...running,
    events,
    close: async () => {
      await running.close();
      passthrough.close();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Header lines as received, names lower-cased: [[name, value], …]. */
  readonly lines: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** Send the body without Content-Length (chunked). */
  readonly chunked?: boolean;
  readonly host?: string;
}

/** One request on a fresh connection (no pooling), so tests control every header line. */
export function send(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { ...request.headers };
    if (request.body !== undefined) {
      // node only chunks POST/PUT-like methods by default; say it explicitly for the others.
      if (request.chunked === true) headers['transfer-encoding'] = 'chunked';
      else headers['content-length'] = Buffer.byteLength(request.body);
    }
    const req = http.request(
      {
        host: request.host ?? '127.0.0.1',
        port,
        method: request.method ?? 'GET',
        path: request.path,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const lines: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            lines,
            body: Buffer.concat(chunks),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (request.body !== undefined && request.chunked === true) {
      // Two writes so node sends two chunks; the proxy must forward both.
      const body = Buffer.from(request.body);
      req.write(body.subarray(0, Math.floor(body.length / 2)));
      req.end(body.subarray(Math.floor(body.length / 2)));
    } else {
      req.end(request.body);
    }
  });
}

/** Reads a whole request body (tests only: small bodies). */
export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The pass-through's JSON error body. */
export function errorBody(response: RawResponse): { message: string; detail: string } {
  return JSON.parse(response.body.toString()) as { message: string; detail: string };
}

/** The only event the gateway reported, which must be an upstream error. */
export function onlyUpstreamError(gateway: RunningGateway): UpstreamErrorEvent {
  assert.equal(gateway.events.length, 1, JSON.stringify(gateway.events));
  const event = gateway.events[0]!;
  assert.notEqual(event.kind, 'client-aborted');
  return event as UpstreamErrorEvent;
}

export function linesNamed(response: RawResponse, name: string): string[] {
  return response.lines.filter(([n]) => n === name).map(([, value]) => value);
}

/** Resolves when `predicate` holds, polling every 10 ms for at most `timeoutMs`. */
export async function eventually(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
