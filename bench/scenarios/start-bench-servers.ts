/** Starts the backend, the bare proxy and whole-gateway children the pass-through and streaming scenarios share. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchChild, ChildFleet } from '../child-fleet.ts';
import { freePort } from '../../test/support/free-port.ts';

export interface RunningServer {
  readonly child: BenchChild;
  /** http://127.0.0.1:port */
  readonly origin: string;
}

export interface RunningGatewayChild extends RunningServer {
  /** The internal listener (facade, forward proxy): http://127.0.0.1:port */
  readonly internalUrl: string;
}

export async function startBackend(fleet: ChildFleet, smallBytes: number): Promise<RunningServer> {
  const child = await fleet.start('backend', {
    script: 'backend-child.ts',
    args: [String(smallBytes)],
  });
  return { child, origin: originOf(child) };
}

export async function startBareProxy(
  fleet: ChildFleet,
  backend: string,
  exposeGc = false,
): Promise<RunningServer> {
  const child = await fleet.start('bare-proxy', {
    script: 'bare-proxy-child.ts',
    args: [backend],
    execArgv: exposeGc ? ['--expose-gc'] : [],
  });
  return { child, origin: originOf(child) };
}

/** A byte relay in node (net, no HTTP) in front of the backend: what any node proxy is bounded by. */
export async function startTcpRelay(fleet: ChildFleet, backend: string): Promise<RunningServer> {
  const child = await fleet.start('tcp-relay', { script: 'tcp-relay-child.ts', args: [backend] });
  return { child, origin: originOf(child) };
}

export interface GatewayChildOptions {
  readonly role: string;
  readonly backendOrigin: string;
  /** Parent of the gateway's own temporary GATEWAY_DATA_DIR. */
  readonly tmpDir: string;
  /** Default: the gateway's own default (info: federation calls logged, plain pass-through not). */
  readonly logLevel?: string;
  /** Lets the memory probe take its baseline after a full GC. */
  readonly exposeGc?: boolean;
  /** Federation scenarios: GATEWAY_ALLOW_PRIVATE_PEERS=1 (the bench peer is on loopback). */
  readonly allowPrivatePeers?: boolean;
  /** The GATEWAY_CONFIG file's text (YAML), written into the gateway's data dir. */
  readonly configYaml?: string;
  /** Shared state: GATEWAY_REDIS_URL and a key prefix of this run's own. */
  readonly redis?: { readonly url: string; readonly keyPrefix: string };
}

/** BENCH_GATEWAY_CPU_PROF_DIR: every gateway child writes a V8 CPU profile (.cpuprofile) there on exit. */
const CPU_PROFILE_DIR = process.env.BENCH_GATEWAY_CPU_PROF_DIR;
/** BENCH_GATEWAY_NODE_FLAGS: extra node / V8 flags for every gateway child, space-separated (experiments). */
const NODE_FLAGS = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '')
  .split(' ')
  .filter((flag) => flag !== '');

/** The whole gateway, configured as an operator would with embedded state, on free loopback ports. */
export async function startGatewayChild(
  fleet: ChildFleet,
  options: GatewayChildOptions,
): Promise<RunningGatewayChild> {
  const [publicPort, internalPort, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dataDir = mkdtempSync(join(options.tmpDir, `${options.role}-`));
  const env: Record<string, string> = {
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(publicPort),
    GATEWAY_INTERNAL_PORT: String(internalPort),
    GATEWAY_ADMIN_PORT: String(adminPort),
    GATEWAY_PUBLIC_URL: `http://127.0.0.1:${publicPort}`,
    GATEWAY_BACKEND_URL: options.backendOrigin,
    GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_LEDGER_KEY: randomBytes(32).toString('hex'),
  };
  if (options.logLevel !== undefined) env.GATEWAY_LOG_LEVEL = options.logLevel;
  if (options.allowPrivatePeers === true) env.GATEWAY_ALLOW_PRIVATE_PEERS = '1';
  if (options.configYaml !== undefined) {
    env.GATEWAY_CONFIG = join(dataDir, 'bench-gateway.yaml');
    writeFileSync(env.GATEWAY_CONFIG, options.configYaml);
  }
  if (options.redis !== undefined) {
    env.GATEWAY_REDIS_URL = options.redis.url;
    env.GATEWAY_REDIS_KEY_PREFIX = options.redis.keyPrefix;
  }
  const child = await fleet.start(options.role, {
    script: 'gateway-child.ts',
    args: [JSON.stringify(env)],
    execArgv: [
      ...(options.exposeGc === true ? ['--expose-gc'] : []),
      ...NODE_FLAGS,
      // For finding hot spots, not for figures: profiling slows the gateway down.
      ...(CPU_PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`]),
    ],
  });
  const internalUrl = child.announced.internalUrl;
  if (typeof internalUrl !== 'string') throw new Error(`${options.role} announced no internal URL`);
  return { child, origin: originOf(child), internalUrl };
}

export function startLoadGenerator(fleet: ChildFleet): Promise<BenchChild> {
  return fleet.start('load-generator', { script: 'load-child.ts' });
}

function originOf(child: BenchChild): string {
  const origin = child.announced.origin;
  if (typeof origin !== 'string') throw new Error(`${child.role} announced no origin`);
  return origin;
}
