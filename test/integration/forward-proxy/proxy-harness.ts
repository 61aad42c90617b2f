/**
 * Real listeners for the forward-proxy tests: the internal app with the proxy in front of a stub
 * facade, on a loopback port with CONNECT handling; a TLS "peer" with a certificate from a test
 * CA; and clients that speak absolute-form and CONNECT (+ TLS) the way a backend's HTTP client does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type Server,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Request, RequestHandler, Response } from 'express';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import type {
  PeerHttpClientOptions,
  PeerLookup,
} from '../../../adapters/peer-http/peer-http-types.ts';
import { LeafCertificateCache, loadEgressCa, type EgressCa } from '../../../adapters/tls/index.ts';
import { createInternalApp } from '../../../gateway/http/create-internal-app.ts';
import {
  createForwardProxy,
  createPeerForwarder,
  type FederationHandler,
  type FederationTarget,
  type ForwardProxyOptions,
} from '../../../gateway/http/forward-proxy/index.ts';
import { createTunnelGuard } from '../../../gateway/http/forward-proxy/tunnel-guard.ts';
import { startListener, type RunningListener } from '../../../gateway/http/start-listener.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../peer-http/fixtures/${name}`, import.meta.url), 'utf8');

/** CA of the "real" peers' certificates (peer.example, *.peer.example), trusted by the peer client. */
export const PEER_CA = fixture('ca.pem');
const PEER_CERT = fixture('peer.pem');
const PEER_KEY = fixture('peer.key');

export interface LogEntry {
  readonly level: 'error' | 'warn' | 'info' | 'http' | 'debug';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export function recordingLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const make = (base: Record<string, unknown>): Logger & { entries: LogEntry[] } => {
    const at =
      (level: LogEntry['level']) =>
      (message: string, fields: Record<string, unknown> = {}): void => {
        entries.push({ level, message, fields: { ...base, ...fields } });
      };
    return {
      entries,
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      http: at('http'),
      debug: at('debug'),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}

/** Every name in `names` resolves to 127.0.0.1; anything else does not exist. */
export function loopbackLookup(...names: string[]): PeerLookup {
  return (hostname) => {
    if (names.includes(hostname)) return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    return Promise.reject(
      Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' }),
    );
  };
}

export interface TestServer {
  readonly server: Server;
  readonly port: number;
  readonly requests: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function listenOn(server: Server, requests: TestServer['requests']): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function recording(
  requests: TestServer['requests'],
  handler: (
    req: IncomingMessage,
    body: string,
  ) => { status: number; body: string; headers?: Record<string, string> },
): RequestListener {
  return (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const answer = handler(req, body);
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body);
    });
  };
}

export type Answer = (
  req: IncomingMessage,
  body: string,
) => { status: number; body: string; headers?: Record<string, string> };

const echo: Answer = (req, body) => ({
  status: 200,
  body: `${req.method ?? ''} ${req.url ?? ''} ${body}`,
  headers: { 'x-served-by': 'test-server' },
});

export function startPlainServer(answer: Answer = echo): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  return listenOn(createServer(recording(requests, answer)), requests);
}

/** HTTPS with the peer.example certificate from the test peer CA. */
export function startTlsServer(answer: Answer = echo): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  return listenOn(
    createHttpsServer({ cert: PEER_CERT, key: PEER_KEY }, recording(requests, answer)),
    requests,
  );
}

/** HTTPS for peer.example in front of a plain-HTTP server (a simulator), passing everything on. */
export function startTlsFront(backendPort: number): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createHttpsServer({ cert: PEER_CERT, key: PEER_KEY }, (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: backendPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return listenOn(server, requests);
}

export interface FederationCall extends FederationTarget {
  readonly url: string;
  readonly method: string;
}

export interface HarnessOptions {
  readonly allowedClients?: readonly string[];
  readonly intercept?: boolean;
  readonly tunnelPolicy?: 'allow' | 'deny';
  /** Default: a spy that answers 200 with JSON describing the call. */
  readonly federationHandler?: FederationHandler;
  /** Record federation calls, then forward them unchanged (the default handler of the gateway). */
  readonly recordAndForward?: boolean;
  readonly peerHttp?: Partial<PeerHttpClientOptions>;
  readonly publicUrl?: string;
}

export interface ProxyHarness {
  readonly listener: RunningListener;
  readonly port: number;
  readonly url: string;
  readonly logs: LogEntry[];
  readonly federationCalls: FederationCall[];
  readonly facadeCalls: string[];
  readonly publicCalls: string[];
  readonly ca: EgressCa | undefined;
  readonly leaves: LeafCertificateCache | undefined;
  close(): Promise<void>;
}

/** A spy federation handler: records the call and answers with what it saw. */
export function spyFederationHandler(calls: FederationCall[]): FederationHandler {
  return (req: Request, res: Response, target) => {
    calls.push({ ...target, url: req.url, method: req.method });
    // The facade may read either; both must be what it would see under /peers/<host>/.
    assert.equal(req.originalUrl, req.url);
    res.json({ federation: true, ...target, url: req.url });
  };
}

export async function startProxyHarness(options: HarnessOptions = {}): Promise<ProxyHarness> {
  const logger = recordingLogger();
  const federationCalls: FederationCall[] = [];
  const facadeCalls: string[] = [];
  const publicCalls: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'fwd-proxy-'));
  const ca =
    options.intercept === true
      ? await loadEgressCa({ configured: undefined, dataDir, now: new Date() })
      : undefined;
  const leaves = ca === undefined ? undefined : new LeafCertificateCache({ ca });
  const peerOptions: PeerHttpClientOptions = {
    allowPrivatePeers: true,
    extraCaCerts: [PEER_CA],
    lookup: loopbackLookup('peer.example', 'other.peer.example'),
    totalTimeoutMs: 5_000,
    ...options.peerHttp,
  };
  const client = createPeerHttpClient(peerOptions);
  const forwarder = createPeerForwarder(client);
  const recordThenForward: FederationHandler = (req, res, target) => {
    federationCalls.push({ ...target, url: req.url, method: req.method });
    return forwarder(req, res, target);
  };
  const proxyOptions: ForwardProxyOptions = {
    logger,
    allowedClients: options.allowedClients ?? ['127.0.0.0/8', '::1/128'],
    tunnelPolicy: options.tunnelPolicy ?? 'allow',
    interception:
      ca === undefined || leaves === undefined
        ? undefined
        : { contexts: leaves, caCertificatePath: ca.certificatePath },
    self: { internalUrls: [], publicUrl: options.publicUrl ?? 'https://cloud.gateway.example' },
    publicHandler: (req, res) => {
      publicCalls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('public app');
    },
    federationHandler:
      options.federationHandler ??
      (options.recordAndForward === true
        ? recordThenForward
        : spyFederationHandler(federationCalls)),
    forwarder,
    tunnelGuard: createTunnelGuard(peerOptions),
    connectTimeoutMs: 2_000,
  };
  const proxy = createForwardProxy(proxyOptions);
  const facade: RequestHandler = (req, res, next) => {
    if (!req.path.startsWith('/peers/')) {
      next();
      return;
    }
    facadeCalls.push(req.url);
    res.json({ facade: true, url: req.url });
  };
  const app = createInternalApp({
    logger,
    metrics: createMetrics({ collectDefaults: false }),
    forwardProxy: proxy.middleware,
    routes: [facade],
  });
  const listener = await startListener('internal', app, '127.0.0.1', 0, {
    onConnect: proxy.connectListener(app),
  });
  return {
    listener,
    port: listener.port,
    url: listener.url,
    logs: logger.entries,
    federationCalls,
    facadeCalls,
    publicCalls,
    ca,
    leaves,
    close: async () => {
      await listener.stop(0);
      proxy.close();
      client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ClientResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function collect(req: ReturnType<typeof httpRequest>, body?: string): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    req.setTimeout(5_000, () => req.destroy(new Error('client timeout')));
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
      });
      res.once('error', reject);
    });
    req.end(body);
  });
}

export interface ProxyRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Bind the client to this local address (127.0.0.2 is outside a 127.0.0.1/32 allowlist). */
  readonly localAddress?: string;
}

/** `GET http://host/path HTTP/1.1` to the proxy, as a backend with `proxy` set sends it. */
export function absoluteForm(
  proxyPort: number,
  url: string,
  options: ProxyRequest = {},
): Promise<ClientResponse> {
  const target = new URL(url);
  const req = httpRequest({
    host: '127.0.0.1',
    port: proxyPort,
    method: options.method ?? 'GET',
    path: url,
    headers: { host: target.host, ...options.headers },
    localAddress: options.localAddress,
    agent: false,
  });
  return collect(req, options.body);
}

export interface ConnectResult {
  readonly status: number;
  readonly body: string;
  readonly socket: Socket | undefined;
}

/** Sends `CONNECT authority` and returns the answer and, on 200, the raw tunnel socket. */
export function connectThrough(
  proxyPort: number,
  authority: string,
  options: { localAddress?: string } = {},
): Promise<ConnectResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: proxyPort,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      localAddress: options.localAddress,
      agent: false,
    });
    req.setTimeout(5_000, () => req.destroy(new Error('CONNECT timeout')));
    req.once('error', reject);
    req.once('connect', (res, socket, head) => {
      if (res.statusCode === 200) {
        resolve({ status: 200, body: '', socket });
        return;
      }
      let body = head.toString('utf8');
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (body += chunk));
      socket.once('close', () => {
        resolve({ status: res.statusCode ?? 0, body, socket: undefined });
      });
    });
    req.end();
  });
}

export interface TlsSession {
  readonly tls: TLSSocket;
  readonly certificate: PeerCertificate;
}

/** TLS over an open tunnel, trusting only `ca`; `servername` undefined for IP literals. */
export function startTls(
  socket: Socket,
  servername: string | undefined,
  ca: string,
): Promise<TlsSession> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, servername, ca, host: servername ?? '127.0.0.1' }, () => {
      resolve({ tls, certificate: tls.getPeerCertificate() });
    });
    tls.once('error', reject);
  });
}

/** One HTTP/1.1 request over an established TLS session. */
export function requestOver(
  session: TlsSession,
  host: string,
  path: string,
  options: ProxyRequest = {},
): Promise<ClientResponse> {
  // No agent here, so keep-alive must be asked for explicitly to reuse the session.
  const req = httpRequest({
    method: options.method ?? 'GET',
    path,
    headers: { host, connection: 'keep-alive', ...options.headers },
    createConnection: () => session.tls,
  });
  return collect(req, options.body);
}
