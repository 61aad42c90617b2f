/**
 * The whole gateway as main.ts builds it (startGateway, no hand-wired routers) in front of a
 * simulated legacy backend whose `proxy` setting points at the internal listener, for the
 * backend → peer matrix. Logs are kept in memory (debug level) so tests can scan them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../config/load-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';
import { freePort } from '../../support/free-port.ts';

export interface GatewayRig {
  readonly backend: LegacyServer;
  readonly gateway: RunningGateway;
  readonly publicUrl: string;
  readonly publicHost: string;
  readonly internalHost: string;
  readonly logs: string[];
  close(): Promise<void>;
}

export interface GatewayRigOptions {
  readonly backend: Omit<LegacyServerOptions, 'publicUrl' | 'users' | 'schemes' | 'proxy'>;
  /** Extra GATEWAY_* variables. */
  readonly env?: Record<string, string>;
}

export async function startGatewayRig(options: GatewayRigOptions): Promise<GatewayRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-b2p-'));
  const publicPort = await freePort();
  const internalPort = await freePort();
  const adminPort = await freePort();
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const backend = await startLegacyServer({
    ...options.backend,
    publicUrl,
    users: { alice: 'Alice' },
    schemes: ['http'],
    proxy: `http://127.0.0.1:${internalPort}`,
  });
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_BACKEND_URL: backend.url,
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_ALLOW_PRIVATE_PEERS: '1',
      GATEWAY_LEDGER_KEY: 'backend-to-peer-matrix-ledger-key-0123456789',
      ...options.env,
    },
  });
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const gateway = await startGateway(config, {
    logger: createLogger({ level: 'debug', stream }),
    metrics: createMetrics({ collectDefaults: false }),
  });
  return {
    backend,
    gateway,
    publicUrl,
    publicHost: new URL(publicUrl).host,
    internalHost: new URL(gateway.internalUrl).host,
    logs,
    async close() {
      await gateway.stop();
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
