/**
 * The whole gateway as a child process (gateway/main.ts) between a Nextcloud 13 simulator and an
 * OCM 1.3 peer, each behind a TCP door that can be shut and reopened on the same port, so fault
 * tests can take either side down, kill the gateway and start a new one on the same data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLegacyServer, startOcmPeer, type LegacyServer, type OcmPeer } from '../sim/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { freePort } from '../support/free-port.ts';
import { startDelayDoor, type DelayDoor } from './delay-door.ts';
import {
  startSwitchablePort,
  type SwitchablePort,
} from '../e2e/backend-to-peer/switchable-port.ts';

export interface FaultRig {
  readonly publicUrl: string;
  readonly publicHost: string;
  readonly dataDir: string;
  readonly backend: LegacyServer;
  readonly backendDoor: SwitchablePort;
  readonly peer: OcmPeer;
  readonly peerDoor: SwitchablePort;
  /** How long the peer holds back its replies (0: answers at once). */
  peerDelayMs: number;
  /** How long the backend holds back its replies (0: answers at once). */
  backendDelayMs: number;
  /** The gateway process running now (replaced by startGateway). */
  gateway: GatewayProcess;
  /** Starts a gateway process on the same ports and data dir (the previous one must be gone). */
  startGateway(): Promise<GatewayProcess>;
  close(): Promise<void>;
}

const portOf = (url: string) => Number(new URL(url).port);

export async function startFaultRig(extraEnv: Record<string, string> = {}): Promise<FaultRig> {
  const [publicPort, internalPort, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-fault-'));

  // Outside in: the switchable door (down/up), then the delay door (slow), then the peer.
  let peerPort = 0;
  let delay = 0;
  const delayDoor: DelayDoor = await startDelayDoor(
    () => peerPort,
    () => delay,
  );
  const peerDoor = await startSwitchablePort(() => delayDoor.port);
  const peer = await startOcmPeer({
    version: '1.3',
    publicUrl: `http://127.0.0.1:${peerDoor.port}`,
    users: { alice: 'Alice' },
    schemes: ['http'],
  });
  peerPort = portOf(peer.url);

  let backendPort = 0;
  let backendDelay = 0;
  const backendDelayDoor = await startDelayDoor(
    () => backendPort,
    () => backendDelay,
  );
  const backendDoor = await startSwitchablePort(() => backendDelayDoor.port);
  const backend = await startLegacyServer({
    flavour: 'nextcloud13',
    basePath: '/nextcloud',
    publicUrl,
    users: { bob: 'Bob' },
    schemes: ['http'],
    proxy: `http://127.0.0.1:${internalPort}`,
  });
  backendPort = portOf(backend.url);

  const env = {
    GATEWAY_PUBLIC_URL: publicUrl,
    GATEWAY_BACKEND_URL: `http://127.0.0.1:${backendDoor.port}/nextcloud`,
    GATEWAY_PORT: String(publicPort),
    GATEWAY_INTERNAL_PORT: String(internalPort),
    GATEWAY_ADMIN_PORT: String(adminPort),
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    GATEWAY_LEDGER_KEY: 'a-fault-suite-ledger-key-that-is-long-enough',
    GATEWAY_LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const start = async () => {
    const gateway = await startGatewayProcess(env);
    await gateway.waitForLog((l) => l.message === 'gateway started');
    return gateway;
  };

  const rig: FaultRig = {
    publicUrl,
    publicHost: new URL(publicUrl).host,
    dataDir,
    backend,
    backendDoor,
    peer,
    peerDoor,
    get peerDelayMs() {
      return delay;
    },
    set peerDelayMs(ms: number) {
      delay = ms;
    },
    get backendDelayMs() {
      return backendDelay;
    },
    set backendDelayMs(ms: number) {
      backendDelay = ms;
    },
    gateway: await start(),
    startGateway: async () => {
      rig.gateway = await start();
      return rig.gateway;
    },
    close: async () => {
      await rig.gateway.stop('SIGKILL');
      await Promise.all([
        backendDoor.close(),
        peerDoor.close(),
        delayDoor.close(),
        backendDelayDoor.close(),
      ]);
      await Promise.all([backend.close(), peer.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
