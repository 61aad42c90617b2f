/**
 * A legacy server simulator as the backend, with the real detection, backend client and receive
 * services in front of it, on a ledger the test chooses (SQLite in a temp dir by default). The
 * simulator believes it lives at the gateway's public URL, as a real backend behind the gateway does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { createBackendTransport } from '../../../adapters/backend/backend-transport.ts';
import { createHttpBackendClient } from '../../../adapters/backend/http-backend-client.ts';
import { createHttpBackendProber } from '../../../adapters/backend/http-backend-prober.ts';
import type { CanonicalShare } from '../../../gateway/core/model/canonical-share.ts';
import type { CanonicalNotification } from '../../../gateway/core/model/canonical-notification.ts';
import type { Ledger, NewShareRecord, ShareRecord } from '../../../gateway/ports/ledger.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import {
  startBackendDialectDetection,
  type BackendDialectDetection,
} from '../../../gateway/services/detect-backend-dialect.ts';
import { createReceiveOcmShare } from '../../../gateway/services/receive-ocm-share.ts';
import { createReceiveOcmNotification } from '../../../gateway/services/receive-ocm-notification.ts';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import { closedPortUrl } from '../../sim/legacy/legacy-test-kit.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';

export const LEDGER_KEY = 'backend-integration-ledger-key-0123456789';
export const FACADE_BASE = 'http://127.0.0.1:9300';
export const PEER = 'peer.example.net';

export const quietLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  http: () => undefined,
  debug: () => undefined,
  child: () => quietLogger,
};

export interface RigOptions {
  readonly sim: Omit<LegacyServerOptions, 'publicUrl' | 'users' | 'proxy'>;
  /** Gateway public URL the simulator also believes it has (default https://cloud.example.org + basePath). */
  readonly publicUrl?: string;
  /** Opens the ledger; default: SQLite in a fresh temp dir. */
  readonly openLedger?: () => Ledger | Promise<Ledger>;
}

export interface BackendRig {
  readonly sim: LegacyServer;
  readonly publicUrl: string;
  readonly detection: BackendDialectDetection;
  ledger: Ledger;
  receiveShare: ReturnType<typeof createReceiveOcmShare>;
  receiveNotification: ReturnType<typeof createReceiveOcmNotification>;
  /** Closes the ledger and opens it again, with fresh services (a gateway restart). */
  restart(): Promise<void>;
  /** The recipient's cloud id at the public URL. */
  address(uid: string): string;
  close(): Promise<void>;
}

export async function startBackendRig(options: RigOptions): Promise<BackendRig> {
  const publicUrl = options.publicUrl ?? `https://cloud.example.org${options.sim.basePath ?? ''}`;
  const sim = await startLegacyServer({
    ...options.sim,
    publicUrl,
    proxy: await closedPortUrl(),
    users: { bob: 'Bob Builder', alice: 'Alice' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'backend-rig-'));
  const openLedger =
    options.openLedger ?? (() => new SqliteLedger({ dataDir: dir, secretKey: LEDGER_KEY }));
  const transport = createBackendTransport({ connectTimeoutMs: 2_000, totalTimeoutMs: 5_000 });
  const detection = await startBackendDialectDetection({
    prober: createHttpBackendProber({ backendUrl: sim.url, transport }),
    backendUrl: sim.url,
    dialect: 'auto',
    recheckSeconds: 0,
    clock: Date.now,
    logger: quietLogger,
  });
  const backend = createHttpBackendClient({
    backendUrl: sim.url,
    publicUrl,
    facadeBaseUrl: FACADE_BASE,
    profile: detection,
    transport,
  });
  const shortLived = new MemoryShortLivedStore();
  const wire = (ledger: Ledger) => ({
    receiveShare: createReceiveOcmShare({
      ledger: ledger.shares,
      backend,
      backendProfile: detection,
      publicUrl,
      logger: quietLogger,
      shortLived,
    }),
    receiveNotification: createReceiveOcmNotification({
      ledger: ledger.shares,
      backend,
      logger: quietLogger,
    }),
  });
  const first = await openLedger();
  const rig: BackendRig = {
    sim,
    publicUrl,
    detection,
    ledger: first,
    ...wire(first),
    restart: async () => {
      await rig.ledger.close();
      rig.ledger = await openLedger();
      Object.assign(rig, wire(rig.ledger));
    },
    address: (uid) => `${uid}@${publicUrl.replace(/^https:\/\//, '')}`,
    close: async () => {
      detection.stop();
      await rig.ledger.close();
      transport.close();
      await sim.close();
      await shortLived.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

let secrets = 0;

/** A share from alice at the peer to bob; each call gets its own secret (the ledger keeps them unique). */
export function shareFromPeer(
  rig: BackendRig,
  overrides: Partial<CanonicalShare> = {},
): CanonicalShare {
  secrets++;
  return {
    providerId: '7c08a1f4-9e2b-4d47-bd8b-3c1a2f0e5d6a',
    shareWith: rig.address('bob'),
    name: 'Project Docs',
    owner: `alice@${PEER}`,
    ownerDisplayName: 'Alice',
    sender: `alice@${PEER}`,
    senderDisplayName: 'Alice',
    shareType: 'user',
    resourceType: 'file',
    protocols: {
      webdav: {
        sharedSecret: `PeerSecret${String(secrets).padStart(6, '0')}`,
        permissions: ['read'],
        requirements: [],
      },
      unknown: {},
    },
    ...overrides,
  };
}

export function notification(
  type: string,
  providerId: string,
  payload: CanonicalNotification['notification'] = {},
): CanonicalNotification {
  return { notificationType: type, resourceType: 'file', providerId, notification: payload };
}

let backendIds = 100;

/**
 * A share the backend's user bob gave to carol at the peer, as flow 4 would have recorded it.
 * Ids are never reused (the simulator would reuse the id of a deleted share).
 */
export async function outgoingShare(
  rig: BackendRig,
  seed: { reshareRemoteId?: string; permissions?: number } = {},
): Promise<{ record: ShareRecord; backendId: number }> {
  rig.sim.addFile('bob', '/report.txt', 'quarterly numbers');
  const share = rig.sim.seedShare({
    id: ++backendIds,
    owner: 'bob',
    path: '/report.txt',
    shareWith: `carol@${PEER}`,
    ...seed,
  });
  const input: NewShareRecord = {
    direction: 'outgoing',
    peerHost: PEER,
    providerId: String(share.id),
    backendShareId: String(share.id),
    sharedSecret: share.token,
    dialects: { peer: 'ocm-1.2', backend: rig.detection.current().dialect },
    owner: rig.sim.cloudId('bob'),
    sender: rig.sim.cloudId('bob'),
    shareWith: `carol@${PEER}`,
    resourceName: 'report.txt',
  };
  const { record } = await rig.ledger.shares.create(input);
  return { record, backendId: share.id };
}

export const signedByPeer = {
  verified: true,
  host: PEER,
  scheme: 'rfc9421',
  keyId: `https://${PEER}/ocm#key1`,
} as const;

/** Requests the simulator received on a path below its base path. */
export function receivedAt(sim: LegacyServer, localPath: string) {
  return sim.received.filter((r) => r.method === 'POST' && r.localPath === localPath);
}
