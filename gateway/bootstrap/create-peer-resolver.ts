/**
 * Wires peer discovery from the config (issue 5): the guarded peer client, HTTP discovery, the
 * capability resolver over the shared stores, and its metrics. Used by start-gateway and the CLI,
 * so both see peers exactly alike.
 */
import type { GatewayConfig } from '../../config/gateway-config.ts';
import { createHttpPeerDiscovery } from '../../adapters/discovery/http-peer-discovery.ts';
import { createPeerHttpClient } from '../../adapters/peer-http/create-peer-http-client.ts';
import type { PeerHttpClientOptions } from '../../adapters/peer-http/peer-http-types.ts';
import type { DialectId } from '../core/model/dialect-id.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import type { CapabilityCache } from '../ports/capability-cache.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerDiscoveryMetrics, PeerReference } from '../ports/peer-discovery.ts';
import type { PeerHttpClient } from '../ports/peer-http.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import type { CapabilityCachePolicy } from '../services/capability-record.ts';
import { peerHostPort } from '../services/peer-reference.ts';
import { PeerCapabilitiesResolver } from '../services/resolve-peer-capabilities.ts';

/** Consecutive failures before a peer's circuit opens, and the longest wait while it is open. */
export const CIRCUIT_THRESHOLD = 3;
export const MAX_BACKOFF_MS = 3_600_000;

export type PeerDiscoveryConfig = Pick<
  GatewayConfig,
  'capabilityCache' | 'peers' | 'policy' | 'timeouts' | 'limits' | 'allowPrivatePeers'
>;

export interface CreatePeerResolverOptions {
  readonly config: PeerDiscoveryConfig;
  readonly stores: {
    readonly capabilityCache: CapabilityCache;
    readonly shortLived: ShortLivedStore;
  };
  readonly clock?: Clock;
  readonly metrics?: GatewayMetrics;
  readonly logger?: Logger;
  /** The gateway's shared peer client; when absent one is made from the config and owned here. */
  readonly client?: PeerHttpClient;
  /** Extra client options (tests: a fake resolver, a test CA). */
  readonly peerHttp?: Partial<PeerHttpClientOptions>;
  readonly ourDialects?: readonly DialectId[];
}

export interface PeerResolverHandle {
  readonly resolver: PeerCapabilitiesResolver;
  readonly client: PeerHttpClient;
  /** Waits for background refreshes, then closes the client if it was made here. */
  close(): Promise<void>;
}

/** The peer client every call to a peer should use, from policy, per-peer settings and timeouts. */
export function peerHttpOptionsFromConfig(config: PeerDiscoveryConfig): PeerHttpClientOptions {
  return {
    allowPrivatePeers: config.allowPrivatePeers,
    allowlistedHosts: config.policy.allowHosts,
    allowHttpHosts: config.peers.filter((p) => p.allowHttp).map((p) => p.host),
    allowNetworks: config.policy.allowNetworks,
    denyNetworks: config.policy.denyNetworks,
    connectTimeoutMs: config.timeouts.peerConnectMs,
    totalTimeoutMs: config.timeouts.peerTotalMs,
  };
}

export function capabilityCachePolicy(config: PeerDiscoveryConfig): CapabilityCachePolicy {
  const c = config.capabilityCache;
  return {
    freshMs: c.freshSeconds * 1000,
    staleMs: c.staleSeconds * 1000,
    negativeMs: c.negativeSeconds * 1000,
    minMaxAgeMs: c.minMaxAgeSeconds * 1000,
    circuitThreshold: CIRCUIT_THRESHOLD,
    maxBackoffMs: Math.max(MAX_BACKOFF_MS, c.negativeSeconds * 1000),
  };
}

export function discoveryMetrics(metrics: GatewayMetrics): PeerDiscoveryMetrics {
  return {
    discovered(result, seconds) {
      metrics.peerDiscoveries.inc({ result });
      metrics.peerDiscoveryDuration.observe({ result }, seconds);
    },
    cacheLookup(result) {
      metrics.peerCapabilityLookups.inc({ result });
    },
  };
}

export function createPeerResolver(options: CreatePeerResolverOptions): PeerResolverHandle {
  const { config, metrics } = options;
  const owned = options.client === undefined;
  const client =
    options.client ??
    createPeerHttpClient({ ...peerHttpOptionsFromConfig(config), ...options.peerHttp });
  const httpPeers = new Set(config.peers.filter((p) => p.allowHttp).map((p) => p.host));
  const allowHttp = (peer: PeerReference): boolean =>
    config.allowPrivatePeers || httpPeers.has(peerHostPort(peer)) || httpPeers.has(peer.host);
  // Several URLs may be tried, each up to the per-call timeout; the lock outlives the whole walk.
  const budgetMs = config.timeouts.peerTotalMs * 2;
  const discovery = createHttpPeerDiscovery({
    client,
    allowHttp,
    maxResponseBytes: config.limits.discoveryResponseBytes,
    budgetMs,
    deniedHosts: config.policy.denyHosts,
  });
  const resolver = new PeerCapabilitiesResolver({
    discovery,
    cache: options.stores.capabilityCache,
    locks: options.stores.shortLived,
    clock: options.clock ?? Date.now,
    policy: capabilityCachePolicy(config),
    ...(options.ourDialects !== undefined && { ourDialects: options.ourDialects }),
    // Read on every lookup: a config reload's per-peer dialect overrides apply to the next call.
    get peers() {
      return config.peers;
    },
    lockTtlMs: budgetMs + 5_000,
    ...(metrics !== undefined && { metrics: discoveryMetrics(metrics) }),
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  metrics?.setOpenCircuitsSource(() => resolver.openCircuits());
  return {
    resolver,
    client,
    close: async () => {
      await resolver.idle();
      if (owned) client.close();
    },
  };
}
