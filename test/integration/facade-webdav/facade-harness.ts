/**
 * Flow 3 on real listeners: the internal app (createInternalApp) with the facade WebDAV router and
 * the forward proxy whose federation handler is the proxied-WebDAV door; "our public side" (the
 * discovery, JWKS and share endpoint OCM peer simulators share with and verify our signatures
 * against); a real SQLite ledger, real key files, a recording logger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileKeyStore } from '../../../adapters/keys/file-key-store.ts';
import { MemoryCapabilityCache } from '../../../adapters/memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { fileSchema } from '../../../config/file-schema.ts';
import { createPeerResolver } from '../../../gateway/bootstrap/create-peer-resolver.ts';
import { codecFor } from '../../../gateway/core/dialects/dialect-registry.ts';
import type { DialectId } from '../../../gateway/core/model/dialect-id.ts';
import type { KeySet } from '../../../gateway/core/signatures/key-set.ts';
import { buildJwks, discoveryKeyFields } from '../../../gateway/core/signatures/key-publication.ts';
import { createInternalApp } from '../../../gateway/http/create-internal-app.ts';
import {
  createForwardProxy,
  createPeerForwarder,
} from '../../../gateway/http/forward-proxy/index.ts';
import { createTunnelGuard } from '../../../gateway/http/forward-proxy/tunnel-guard.ts';
import {
  createFacadeWebdavRoutes,
  createProxiedPeerWebdavHandler,
} from '../../../gateway/http/routes/facade-webdav-routes.ts';
import { startListener, type RunningListener } from '../../../gateway/http/start-listener.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import type { ShareRecord } from '../../../gateway/ports/ledger.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import type { ShortLivedStore } from '../../../gateway/ports/short-lived-store.ts';
import { createPeerShareReader } from '../../../gateway/services/read-peer-share.ts';
import { shareProtocolDetails } from '../../../gateway/services/share-protocol-details.ts';
import type { OcmPeer } from '../../sim/index.ts';

export const LEDGER_KEY = 'facade-webdav-test-ledger-key-0123456789abcdef';

/** Every log line as it would be written, to prove no secret or token is in any of them. */
export function recordingLogger(lines: string[]): Logger {
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push(JSON.stringify({ level, message, ...fields }, (_k, v: unknown) => String(v)));
    };
  const logger: Logger = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    http: write('http'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger;
}

interface OurSide {
  readonly server: Server;
  readonly publicUrl: string;
  /** `host:port` of our public side: the host part of our users' addresses and our client_id. */
  readonly host: string;
  /** Share bodies peers POSTed to us, newest last. */
  readonly shares: unknown[];
}

/** What a peer discovers about us and where it sends shares; serves our JWKS and cavage key. */
async function startOurSide(keys: () => KeySet): Promise<OurSide> {
  const shares: unknown[] = [];
  let publicUrl = '';
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      };
      if (path === '/.well-known/ocm' || path === '/ocm-provider' || path === '/ocm-provider/') {
        json(200, {
          enabled: true,
          apiVersion: '1.3.0',
          endPoint: `${publicUrl}/ocm`,
          provider: 'facade-webdav test gateway',
          resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: '/dav/' } }],
          capabilities: ['exchange-token', 'http-sig', 'notifications'],
          ...discoveryKeyFields(keys(), publicUrl, Date.now()),
        });
      } else if (path === '/.well-known/jwks.json') {
        json(200, buildJwks(keys(), publicUrl, Date.now()));
      } else if (req.method === 'POST' && path === '/ocm/shares') {
        shares.push(JSON.parse(body) as unknown);
        json(201, { recipientDisplayName: 'Bob' });
      } else json(404, { message: 'NOT_FOUND' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  publicUrl = `http://127.0.0.1:${port}`;
  return { server, publicUrl, host: `127.0.0.1:${port}`, shares };
}

export interface FacadeHarnessOptions {
  /** Default: an in-process store. Pass a Redis store to share tokens between two harnesses. */
  readonly shortLived?: ShortLivedStore;
  /** Reuse another harness's ledger and keys (a second replica). */
  readonly replicaOf?: FacadeHarness;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

export interface FacadeHarness {
  readonly internal: RunningListener;
  readonly publicUrl: string;
  readonly ourHost: string;
  readonly ledger: SqliteLedger;
  readonly keySet: KeySet;
  readonly logs: string[];
  readonly sharesReceived: unknown[];
  /** Records a share a peer POSTed to us as flow 1 would (ledger + protocol details). */
  recordShare(
    peer: OcmPeer,
    body: unknown,
    dialect: DialectId,
    secret?: string,
  ): Promise<ShareRecord>;
  /** A request to the internal listener; `target` is a path or, for the proxy, an absolute URL. */
  send(
    method: string,
    target: string,
    options?: { secret?: string; headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<Reply>;
  /** The raw response, for streaming tests. */
  open(method: string, target: string, secret: string): Promise<{ status: number; body: Readable }>;
  close(): Promise<void>;
}

export function basicAuth(secret: string, password = ''): string {
  return `Basic ${Buffer.from(`${secret}:${password}`).toString('base64')}`;
}

export async function startFacadeHarness(
  options: FacadeHarnessOptions = {},
): Promise<FacadeHarness> {
  const replica = options.replicaOf;
  const dir = replica === undefined ? mkdtempSync(join(tmpdir(), 'facade-webdav-')) : '';
  const keySet =
    replica?.keySet ?? (await new FileKeyStore({ dir: join(dir, 'keys') }).load(Date.now()));
  const ledger = replica?.ledger ?? new SqliteLedger({ dataDir: dir, secretKey: LEDGER_KEY });
  const ours = replica === undefined ? await startOurSide(() => keySet) : undefined;
  const publicUrl = replica?.publicUrl ?? ours?.publicUrl ?? '';
  const logs: string[] = [];
  const logger = recordingLogger(logs);
  const ownStore = options.shortLived === undefined ? new MemoryShortLivedStore() : undefined;
  const shortLived = options.shortLived ?? ownStore ?? new MemoryShortLivedStore();
  const peerHttp = { allowPrivatePeers: true, connectTimeoutMs: 1_000, totalTimeoutMs: 5_000 };
  const client = createPeerHttpClient(peerHttp);
  const config = {
    ...fileSchema.parse({ timeouts: { peerConnectMs: 1_000, peerTotalMs: 3_000 } }),
    allowPrivatePeers: true,
  };
  const peers = createPeerResolver({
    config,
    stores: { capabilityCache: new MemoryCapabilityCache(), shortLived },
    client,
  });
  const read = createPeerShareReader({
    ledger: ledger.shares,
    peers: peers.resolver,
    client,
    shortLived,
    keySet: () => keySet,
    publicUrl,
    clock: Date.now,
    logger,
  });
  const forwarder = createPeerForwarder(client);
  const proxy = createForwardProxy({
    logger,
    allowedClients: ['127.0.0.0/8'],
    tunnelPolicy: 'deny',
    self: { internalUrls: [], publicUrl },
    federationHandler: createProxiedPeerWebdavHandler({ read, logger, fallback: forwarder }),
    forwarder,
    tunnelGuard: createTunnelGuard(peerHttp),
    connectTimeoutMs: 1_000,
  });
  const app = createInternalApp({
    logger,
    metrics: createMetrics({ collectDefaults: false }),
    forwardProxy: proxy.middleware,
    routes: [createFacadeWebdavRoutes({ read, logger })],
  });
  const internal = await startListener('internal', app, '127.0.0.1', 0, {
    onConnect: proxy.connectListener(app),
  });

  function open(
    method: string,
    target: string,
    headers: Record<string, string>,
    body?: string | Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Readable }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: internal.port,
        method,
        path: target,
        headers: {
          ...headers,
          ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }),
        },
      });
      req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
      req.once('error', reject);
      req.once('response', (res) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      req.end(body);
    });
  }

  return {
    internal,
    publicUrl,
    ourHost: new URL(publicUrl).host,
    ledger,
    keySet,
    logs,
    sharesReceived: ours?.shares ?? [],
    async recordShare(peer, body, dialect, secret) {
      const parsed = codecFor(dialect)?.shareCreate?.parse(body, { mode: 'lenient' });
      if (parsed?.ok !== true)
        throw new Error(`the peer's share does not parse: ${JSON.stringify(parsed)}`);
      const share = parsed.value;
      const protocol = shareProtocolDetails(share);
      const { record } = await ledger.shares.create({
        direction: 'incoming',
        peerHost: peer.host,
        providerId: share.providerId,
        sharedSecret: secret ?? share.protocols.webdav?.sharedSecret ?? '',
        dialects: { peer: dialect, backend: 'ocs-v2' },
        owner: share.owner,
        sender: share.sender,
        shareWith: share.shareWith,
        resourceName: share.name,
        state: 'accepted',
        ...(protocol !== undefined && { protocol }),
      });
      return record;
    },
    async send(method, target, sendOptions = {}) {
      const headers = {
        ...(sendOptions.secret !== undefined && { authorization: basicAuth(sendOptions.secret) }),
        ...sendOptions.headers,
      };
      const res = await open(method, target, headers, sendOptions.body);
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      const all = Buffer.concat(chunks);
      return { status: res.status, headers: res.headers, body: all, text: all.toString('utf8') };
    },
    async open(method, target, secret) {
      const res = await open(method, target, { authorization: basicAuth(secret) });
      return { status: res.status, body: res.body };
    },
    async close() {
      await internal.stop(0);
      proxy.close();
      await peers.close();
      client.close();
      await ownStore?.close();
      if (ours !== undefined) {
        ours.server.closeAllConnections();
        await new Promise<void>((resolve) => ours.server.close(() => resolve()));
      }
      if (replica === undefined) {
        await ledger.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
