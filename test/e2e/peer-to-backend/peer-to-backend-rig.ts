/**
 * Issue 7's rig: the whole gateway as main.ts builds it (startGateway, no hand-wired routers) in
 * front of a simulated legacy backend (user bob) whose `proxy` points at the internal listener,
 * plus the sending peers of the peer → backend matrix: OCM peers of every version (startOcmPeer)
 * and the early-OCM legacy servers (ownCloud 10, Nextcloud 14–30) that speak 1.0-proposal1.
 * `restart()` stops the gateway and starts a new one on the same ports, data dir and Redis prefix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../config/load-config.ts';
import type { GatewayConfig } from '../../../config/gateway-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
  type OcmVersion,
} from '../../sim/index.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';
import { freePort } from '../../support/free-port.ts';

export type BackendSpec = Omit<LegacyServerOptions, 'publicUrl' | 'users' | 'schemes' | 'proxy'>;

/** The backend dialects of issue 7's matrix, as simulator flavours. */
export const BACKENDS: readonly { readonly dialect: string; readonly spec: BackendSpec }[] = [
  { dialect: 'ocs-v1 (ownCloud 9.0)', spec: { flavour: 'owncloud9' } },
  { dialect: 'ocs-v2 (Nextcloud 13)', spec: { flavour: 'nextcloud13', basePath: '/nextcloud' } },
  { dialect: 'ocm-proposal1 (ownCloud 10)', spec: { flavour: 'owncloud10' } },
  {
    dialect: 'ocm-proposal1 (Nextcloud 27)',
    spec: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 },
  },
];

export interface P2bRig {
  readonly backend: LegacyServer;
  gateway: RunningGateway;
  readonly publicUrl: string;
  /** host:port — the part after '@' in the backend users' addresses. */
  readonly publicHost: string;
  readonly internalHost: string;
  readonly config: GatewayConfig;
  readonly logs: string[];
  /** bob's OCM address at the gateway. */
  readonly bob: string;
  /** Stops the gateway and starts a fresh one with the same configuration (ledger kept). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface P2bRigOptions {
  readonly backend: BackendSpec;
  /** Extra GATEWAY_* variables (e.g. GATEWAY_REDIS_URL / GATEWAY_REDIS_KEY_PREFIX). */
  readonly env?: Record<string, string>;
}

export const LEDGER_KEY = 'peer-to-backend-matrix-ledger-key-0123456789';

export async function startP2bRig(options: P2bRigOptions): Promise<P2bRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-p2b-'));
  const publicPort = await freePort();
  const internalPort = await freePort();
  const adminPort = await freePort();
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const backend = await startLegacyServer({
    ...options.backend,
    publicUrl,
    users: { bob: 'Bob Backend' },
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
      GATEWAY_LEDGER_KEY: LEDGER_KEY,
      ...options.env,
    },
  });
  const logs: string[] = [];
  const start = () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    return startGateway(config, {
      logger: createLogger({ level: 'debug', stream }),
      metrics: createMetrics({ collectDefaults: false }),
    });
  };
  const gateway = await start();
  const publicHost = new URL(publicUrl).host;
  const rig: P2bRig = {
    backend,
    gateway,
    publicUrl,
    publicHost,
    internalHost: new URL(gateway.internalUrl).host,
    config,
    logs,
    bob: `bob@${publicHost}`,
    async restart() {
      await rig.gateway.stop();
      rig.gateway = await start();
    },
    async close() {
      await rig.gateway.stop();
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

export function startPeer(version: OcmVersion, criteria: readonly string[] = []): Promise<OcmPeer> {
  return startOcmPeer({
    version,
    criteria: [...criteria],
    users: { carol: 'Carol Peer' },
    schemes: ['http'],
  });
}

/** An early-OCM server (1.0-proposal1) as the sending peer. */
export function startProposal1Peer(spec: BackendSpec): Promise<LegacyServer> {
  return startLegacyServer({ ...spec, users: { carol: 'Carol Legacy' }, schemes: ['http'] });
}

/** A valid OCM share from `from`'s carol to `shareWith`, its secret and uri named after `providerId`. */
export function ocmSharePayload(
  from: OcmPeer,
  shareWith: string,
  providerId: string,
  extra: Record<string, unknown> = {},
) {
  return {
    shareWith,
    name: `${providerId}.txt`,
    providerId,
    owner: from.address('carol'),
    sender: from.address('carol'),
    ownerDisplayName: 'Carol',
    senderDisplayName: 'Carol',
    shareType: 'user',
    resourceType: 'file',
    protocol: {
      name: 'multi',
      webdav: {
        uri: `k-${providerId}`,
        sharedSecret: `Secret-${providerId}-0123456789`,
        permissions: ['read'],
      },
    },
    ...extra,
  };
}

let counter = 0;
export function nextName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}.txt`;
}

/** The backend's received row for a file name (bob's side). */
export function backendReceived(rig: P2bRig, name: string) {
  const row = rig.backend.receivedShares('bob').find((r) => r.name === name);
  assert.ok(row !== undefined, `the backend has ${name}`);
  return row;
}

/** Backend calls since `from` whose local path matches. */
export function backendCallsSince(rig: P2bRig, from: number, pattern: RegExp) {
  return rig.backend.received.slice(from).filter((r) => pattern.test(r.localPath));
}

/** The federation calls that reach the backend (createShare, callbacks, OCM endPoint). */
export const FEDERATION_CALL = /\/(cloud\/shares|ocm\/|index\.php\/ocm|shares$|notifications$)/;
