/**
 * The public listener as the composition root is meant to build it for flows 5–7: createPublicApp
 * with the discovery, token and peer-WebDAV routers before the pass-through, a real SQLite ledger,
 * real key files, a settable clock and a logger that keeps every line (to prove no secret is in it).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeyStore, defaultKeyDir } from '../../../adapters/keys/file-key-store.ts';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { peerWebdavMountPaths } from '../../../gateway/core/discovery/public-webdav-path.ts';
import type { ServedBackendInfo } from '../../../gateway/core/discovery/served-backend-info.ts';
import { deriveAccessTokenKey } from '../../../gateway/core/tokens/access-token-key.ts';
import { createPublicApp } from '../../../gateway/http/create-public-app.ts';
import { createPassthrough } from '../../../gateway/http/passthrough/create-passthrough.ts';
import { createDiscoveryRoutes } from '../../../gateway/http/routes/discovery-routes.ts';
import { createPeerWebdavRoutes } from '../../../gateway/http/routes/peer-webdav-routes.ts';
import { createTokenRoutes } from '../../../gateway/http/routes/token-routes.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import { createPeerWebdavAuthoriser } from '../../../gateway/services/authorise-peer-webdav.ts';
import { createTokenExchange } from '../../../gateway/services/exchange-token.ts';
import { FakePeerAuthenticator } from './fake-peer-authenticator.ts';

export const LEDGER_KEY = 'integration-test-ledger-key-0123456789abcdef';
export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

export interface GatewayUnderTestOptions {
  /** Where the pass-through sends everything (the legacy simulator, or a recorder). */
  readonly backendUrl: string;
  readonly publicUrl?: string;
  readonly endPointPath?: string;
  readonly lifetimeSeconds?: number;
  readonly backend?: ServedBackendInfo;
  readonly advertiseInvites?: boolean;
  readonly mustUseHttpSig?: boolean;
  readonly bodyLimitBytes?: number;
}

export interface GatewayUnderTest {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly publicUrl: string;
  readonly ledger: SqliteLedger;
  readonly keyStore: FileKeyStore;
  readonly authenticator: FakePeerAuthenticator;
  /** Move time: every component reads it. */
  readonly clock: { now: number };
  /** Every log call, serialised as it would be written (before redaction). */
  readonly logs: string[];
  close(): Promise<void>;
}

function recordingLogger(logs: string[]): Logger {
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(JSON.stringify({ level, message, ...fields }, (_k, v: unknown) => String(v)));
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

export async function startGatewayUnderTest(
  options: GatewayUnderTestOptions,
): Promise<GatewayUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-flows-5-7-'));
  const publicUrl = options.publicUrl ?? 'https://cloud.example.org';
  const endPointPath = options.endPointPath ?? '/ocm';
  const clock = { now: T0 };
  const now = (): number => clock.now;
  const logs: string[] = [];
  const ledger = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_KEY, clock: now });
  const keyStore = new FileKeyStore({ dir: defaultKeyDir(dir) });
  const authenticator = new FakePeerAuthenticator();
  const tokenKey = deriveAccessTokenKey(LEDGER_KEY);
  const backend: ServedBackendInfo = options.backend ?? {
    webdavPath: '/public.php/webdav/',
    resourceTypes: [{ name: 'file', shareTypes: ['user', 'group'] }],
  };
  const prefix = new URL(publicUrl).pathname.replace(/\/+$/, '');

  const passthrough = createPassthrough({
    backendUrl: new URL(options.backendUrl),
    publicUrl: new URL(publicUrl),
    connectTimeoutMs: 2_000,
    responseTimeoutMs: 5_000,
  });
  const app = createPublicApp({
    logger: recordingLogger(logs),
    metrics: createMetrics({ collectDefaults: false }),
    federationRoutes: [
      createDiscoveryRoutes({
        publicUrl,
        endPointPath,
        provider: 'Example Cloud (OCM gateway)',
        backend: () => backend,
        loadKeys: (at) => keyStore.load(at),
        clock: now,
        advertiseInvites: options.advertiseInvites ?? false,
        mustUseHttpSig: options.mustUseHttpSig ?? false,
      }),
      createTokenRoutes({
        paths: [`${prefix}${endPointPath}/token`],
        publicUrl,
        bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
        exchange: createTokenExchange({
          shares: ledger.shares,
          authenticator,
          tokenKey,
          audience: publicUrl,
          lifetimeSeconds: options.lifetimeSeconds ?? 300,
          clock: now,
        }),
      }),
      createPeerWebdavRoutes({
        paths: peerWebdavMountPaths(publicUrl, backend.webdavPath),
        authorise: createPeerWebdavAuthoriser({
          shares: ledger.shares,
          tokenKey,
          audience: publicUrl,
          clock: now,
        }),
        passthrough: passthrough.handler,
      }),
    ],
    passthrough: passthrough.handler,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publicUrl,
    ledger,
    keyStore,
    authenticator,
    clock,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      passthrough.close();
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
