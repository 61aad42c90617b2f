/** A real public listener (hardening, guards, pass-through) in front of a recording stub backend. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import type { IpNetwork } from '../../../gateway/core/network/cidr.ts';
import {
  compilePeerPolicy,
  type PeerPolicy,
  type PeerPolicyConfig,
} from '../../../gateway/core/policy/peer-policy.ts';
import {
  createPublicApp,
  PUBLIC_LISTENER_OPTIONS,
  type GuardedFederationRoute,
} from '../../../gateway/http/create-public-app.ts';
import { createPassthrough } from '../../../gateway/http/passthrough/create-passthrough.ts';
import { oneBackendChooser, passthroughLane } from '../../../gateway/http/passthrough-lane.ts';
import { startListener } from '../../../gateway/http/start-listener.ts';
import {
  createMetrics,
  type GatewayMetrics,
} from '../../../gateway/observability/create-metrics.ts';
import { captureLogger, type LogLine } from '../../unit/http/capture-logger.ts';
import type { ShortLivedStore } from '../../../gateway/ports/short-lived-store.ts';

export const DEFAULT_POLICY: PeerPolicyConfig = {
  allowHosts: [],
  denyHosts: [],
  allowNetworks: [],
  denyNetworks: [],
  signatures: 'prefer',
  rateLimit: { requests: 10_000, windowSeconds: 60 },
  perPeerRateLimit: { requests: 10_000, windowSeconds: 60 },
  peers: [],
};

export function policyOf(overrides: Partial<PeerPolicyConfig> = {}): PeerPolicy {
  const result = compilePeerPolicy({ ...DEFAULT_POLICY, ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

export interface BackendRequest {
  readonly method: string;
  readonly url: string;
  readonly bodyBytes: number;
}

export interface PublicListener {
  readonly port: number;
  readonly backendSeen: BackendRequest[];
  readonly logs: LogLine[];
  readonly metrics: GatewayMetrics;
  /** Open client connections right now (a leak check after a fuzz run). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

export interface PublicListenerOptions {
  readonly routes?: readonly GuardedFederationRoute[];
  readonly policy?: PeerPolicy;
  readonly store?: ShortLivedStore;
  readonly trustedProxies?: readonly IpNetwork[];
  readonly bodyTimeoutMs?: number;
}

export async function startPublicListener(
  options: PublicListenerOptions = {},
): Promise<PublicListener> {
  const backendSeen: BackendRequest[] = [];
  const backend = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      backendSeen.push({ method: req.method ?? '', url: req.url ?? '', bodyBytes });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`backend saw ${req.method ?? ''} ${req.url ?? ''}`);
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendPort = (backend.address() as AddressInfo).port;
  const passthrough = createPassthrough({
    backendUrl: new URL(`http://127.0.0.1:${backendPort}`),
    publicUrl: new URL('https://cloud.example.org'),
    connectTimeoutMs: 2_000,
    responseTimeoutMs: 5_000,
  });
  const logs: LogLine[] = [];
  const metrics = createMetrics({ collectDefaults: false });
  const store = options.store ?? new MemoryShortLivedStore();
  const app = createPublicApp({
    logger: captureLogger(logs),
    metrics,
    federation: {
      routes: options.routes ?? [],
      policy: options.policy ?? policyOf(),
      store,
      trustedProxies: options.trustedProxies ?? [],
      ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
    },
    passthrough: passthrough.handler,
  });
  // As the gateway serves it: plain pass-through takes the lane, everything else the app.
  const laned = passthroughLane({
    app,
    choose: oneBackendChooser(
      (options.routes ?? []).map((route) => route.path),
      passthrough,
    ),
    logger: captureLogger(logs),
    metrics,
  });
  const listener = await startListener('public', laned, '127.0.0.1', 0, PUBLIC_LISTENER_OPTIONS);
  return {
    port: listener.port,
    backendSeen,
    logs,
    metrics,
    connections: () =>
      new Promise<number>((resolve, reject) => {
        listener.server.getConnections((error, count) => {
          if (error) reject(error);
          else resolve(count);
        });
      }),
    close: async () => {
      await listener.stop(0);
      passthrough.close();
      backend.closeAllConnections();
      await new Promise<void>((resolve) => backend.close(() => resolve()));
      if (options.store === undefined) await store.close();
    },
  };
}

/** The value of one labelled series of gateway_requests_refused_total (0 when absent). */
export async function refusedCount(
  metrics: GatewayMetrics,
  guard: string,
  reason: string,
): Promise<number> {
  const { values } = await metrics.requestsRefused.get();
  return values.find((v) => v.labels.guard === guard && v.labels.reason === reason)?.value ?? 0;
}
