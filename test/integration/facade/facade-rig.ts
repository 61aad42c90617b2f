/**
 * The facade on real listeners (issue 9 items 1–5): a legacy server simulator as the BACKEND
 * (believing it lives at the gateway's public URL), the real internal app with the facade router
 * and the forward proxy whose federation handler is the facade's, "our public side" serving the
 * real discovery routes and JWKS (so peers can verify our signatures), the real resolver, peer
 * client, key files and a ledger the test chooses (SQLite in a temp dir by default).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createBackendTransport } from '../../../adapters/backend/backend-transport.ts';
import { createHttpBackendProber } from '../../../adapters/backend/http-backend-prober.ts';
import { FileKeyStore } from '../../../adapters/keys/file-key-store.ts';
import { MemoryCapabilityCache } from '../../../adapters/memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import type { PeerHttpClientOptions } from '../../../adapters/peer-http/peer-http-types.ts';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { LeafCertificateCache, loadEgressCa, type EgressCa } from '../../../adapters/tls/index.ts';
import { fileSchema } from '../../../config/file-schema.ts';
import { createPeerResolver } from '../../../gateway/bootstrap/create-peer-resolver.ts';
import { createInternalApp } from '../../../gateway/http/create-internal-app.ts';
import {
  createForwardProxy,
  createPeerForwarder,
} from '../../../gateway/http/forward-proxy/index.ts';
import { createTunnelGuard } from '../../../gateway/http/forward-proxy/tunnel-guard.ts';
import { createDiscoveryRoutes } from '../../../gateway/http/routes/discovery-routes.ts';
import { createFacade, type Facade } from '../../../gateway/http/routes/facade-setup.ts';
import {
  startListener,
  type ConnectListener,
  type RunningListener,
} from '../../../gateway/http/start-listener.ts';
import {
  createMetrics,
  type GatewayMetrics,
} from '../../../gateway/observability/create-metrics.ts';
import type { Ledger } from '../../../gateway/ports/ledger.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import {
  startBackendDialectDetection,
  type BackendDialectDetection,
} from '../../../gateway/services/detect-backend-dialect.ts';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';

export const LEDGER_KEY = 'facade-flow-test-ledger-key-0123456789abcdef';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    http: at('http'),
    debug: at('debug'),
    child: () => logger,
  };
  return logger;
}

export interface FacadeRigOptions {
  readonly backend: Omit<LegacyServerOptions, 'publicUrl' | 'users' | 'schemes'>;
  /** Opens the ledger (again after `restart`); default SQLite in the rig's temp dir. */
  readonly openLedger?: (dir: string) => Ledger | Promise<Ledger>;
  /** The backend sends everything through the forward proxy on the internal listener. */
  readonly backendUsesProxy?: boolean;
  /**
   * TLS interception on the forward proxy under a generated organisation CA, which the backend
   * trusts (its `ca`); the backend then tries https first for scheme-less remotes.
   */
  readonly intercept?: boolean;
  /** Extra peer-client settings (a test CA for https peers, a lookup for their names). */
  readonly peerHttp?: Pick<PeerHttpClientOptions, 'extraCaCerts' | 'lookup'>;
  /** The forward proxy's `allowedClients` (default loopback) and `tunnelPolicy` (default deny). */
  readonly allowedClients?: readonly string[];
  readonly tunnelPolicy?: 'allow' | 'deny';
}

export interface FacadeRig {
  readonly backend: LegacyServer;
  readonly publicUrl: string;
  /** `host:port` of the public side: where our users' addresses point. */
  readonly publicHost: string;
  readonly internal: RunningListener;
  /** `host:port` of the internal listener (the facade). */
  readonly internalHost: string;
  readonly detection: BackendDialectDetection;
  /** The organisation CA when `intercept` is on. */
  readonly egressCa: EgressCa | undefined;
  readonly metrics: GatewayMetrics;
  readonly logs: LogLine[];
  ledger: Ledger;
  facade: Facade;
  /** The cloud id a backend user types to reach `uid` at `peerHost` through the facade. */
  facadeAddress(uid: string, peerHost: string): string;
  /** Closes the ledger and opens it again with a fresh facade (a gateway restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function delegating(): { handler: RequestListener; set(app: RequestListener): void } {
  let current: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  return {
    handler: (req, res) => {
      current(req, res);
    },
    set: (app) => {
      current = app;
    },
  };
}

export async function startFacadeRig(options: FacadeRigOptions): Promise<FacadeRig> {
  const dir = mkdtempSync(join(tmpdir(), 'facade-rig-'));
  const logs: LogLine[] = [];
  const logger = recordingLogger(logs);
  const keyStore = new FileKeyStore({ dir: join(dir, 'keys') });
  const keySet = await keyStore.load(Date.now());
  const metrics = createMetrics({ collectDefaults: false });

  const publicSide = delegating();
  const pub = await startListener('public', publicSide.handler, '127.0.0.1', 0);
  const publicUrl = pub.url.replace(/\/+$/, '');
  const internalSide = delegating();
  // CONNECT goes to the forward proxy of the current wiring (refused until there is one).
  let onConnect: ConnectListener | undefined;
  const internal = await startListener('internal', internalSide.handler, '127.0.0.1', 0, {
    onConnect: (req, socket, head) => {
      if (onConnect === undefined) socket.destroy();
      else onConnect(req, socket, head);
    },
  });
  const internalUrl = internal.url.replace(/\/+$/, '');

  const egressCa =
    options.intercept === true
      ? await loadEgressCa({ configured: undefined, dataDir: dir, now: new Date() })
      : undefined;
  const leaves = egressCa === undefined ? undefined : new LeafCertificateCache({ ca: egressCa });
  const backend = await startLegacyServer({
    ...options.backend,
    publicUrl,
    schemes: egressCa === undefined ? ['http'] : ['https', 'http'],
    users: { alice: 'Alice', bob: 'Bob' },
    ...(options.backendUsesProxy === true ? { proxy: internalUrl } : {}),
    ...(egressCa === undefined ? {} : { ca: egressCa.certificatePem }),
  });
  backend.addFile('alice', '/report.txt', 'quarterly numbers');
  const transport = createBackendTransport({ connectTimeoutMs: 2_000, totalTimeoutMs: 5_000 });
  const detection = await startBackendDialectDetection({
    prober: createHttpBackendProber({ backendUrl: backend.url, transport }),
    backendUrl: backend.url,
    dialect: 'auto',
    recheckSeconds: 0,
    clock: Date.now,
    logger,
  });

  const discovery = express();
  discovery.use(
    createDiscoveryRoutes({
      publicUrl,
      endPointPath: '/ocm',
      provider: 'facade test gateway',
      backend: () => ({
        webdavPath: detection.current().webdavPath,
        resourceTypes: [{ name: 'file', shareTypes: ['user'] }],
      }),
      loadKeys: () => Promise.resolve(keySet),
      clock: Date.now,
      advertiseInvites: false,
      mustUseHttpSig: false,
    }),
  );
  publicSide.set(discovery);

  const peerHttp: PeerHttpClientOptions = {
    allowPrivatePeers: true,
    connectTimeoutMs: 1_000,
    totalTimeoutMs: 4_000,
    ...options.peerHttp,
  };
  const client = createPeerHttpClient(peerHttp);
  const shortLived = new MemoryShortLivedStore();
  const config = {
    ...fileSchema.parse({
      timeouts: { peerConnectMs: 1_000, peerTotalMs: 3_000 },
      capabilityCache: { negativeSeconds: 0, staleSeconds: 0 },
    }),
    allowPrivatePeers: true,
  };
  const peers = createPeerResolver({
    config,
    stores: { capabilityCache: new MemoryCapabilityCache(), shortLived },
    client,
  });

  const openLedger =
    options.openLedger ?? ((d: string) => new SqliteLedger({ dataDir: d, secretKey: LEDGER_KEY }));
  const forwarder = createPeerForwarder(client);
  const build = (ledger: Ledger): Facade =>
    createFacade({
      publicUrl,
      backendUrl: backend.url,
      facadeBaseUrl: internalUrl,
      ledger,
      backendProfile: detection,
      resolver: peers.resolver,
      client,
      loadKeys: () => Promise.resolve(keySet),
      clock: Date.now,
      logger,
      metrics,
      otherwise: forwarder,
      outbox: { intervalMs: 60_000, retry: { baseMs: 10, maxMs: 50, giveUpAfterMs: 3_600_000 } },
    });

  const wire = (facade: Facade): void => {
    const proxy = createForwardProxy({
      logger,
      allowedClients: options.allowedClients ?? ['127.0.0.0/8'],
      tunnelPolicy: options.tunnelPolicy ?? 'deny',
      ...(egressCa === undefined || leaves === undefined
        ? {}
        : { interception: { contexts: leaves, caCertificatePath: egressCa.certificatePath } }),
      self: { internalUrls: [internalUrl], publicUrl },
      federationHandler: facade.federationHandler,
      forwarder,
      tunnelGuard: createTunnelGuard(peerHttp),
      connectTimeoutMs: 1_000,
    });
    proxies.push(proxy);
    const app = createInternalApp({
      logger,
      metrics,
      forwardProxy: proxy.middleware,
      routes: [facade.router],
    });
    internalSide.set(app);
    onConnect = proxy.connectListener(app);
  };
  const proxies: { close(): void }[] = [];

  const firstLedger = await openLedger(dir);
  const rig: FacadeRig = {
    backend,
    publicUrl,
    publicHost: new URL(publicUrl).host,
    internal,
    internalHost: new URL(internalUrl).host,
    detection,
    egressCa,
    metrics,
    logs,
    ledger: firstLedger,
    facade: build(firstLedger),
    facadeAddress: (uid, peerHost) => `${uid}@${new URL(internalUrl).host}/peers/${peerHost}`,
    async restart() {
      await rig.facade.drainer.stop();
      await rig.ledger.close();
      rig.ledger = await openLedger(dir);
      rig.facade = build(rig.ledger);
      wire(rig.facade);
    },
    async close() {
      await rig.facade.drainer.stop();
      await internal.stop(0);
      await pub.stop(0);
      for (const proxy of proxies) proxy.close();
      detection.stop();
      transport.close();
      await peers.close();
      client.close();
      await backend.close();
      await rig.ledger.close();
      await shortLived.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  wire(rig.facade);
  return rig;
}
