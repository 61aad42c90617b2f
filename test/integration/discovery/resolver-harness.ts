/** The resolver as the gateway builds it (createPeerResolver), over chosen stores, with a metrics registry. */
import { MemoryCapabilityCache } from '../../../adapters/memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { fileSchema } from '../../../config/file-schema.ts';
import {
  createPeerResolver,
  type PeerDiscoveryConfig,
  type PeerResolverHandle,
} from '../../../gateway/bootstrap/create-peer-resolver.ts';
import {
  createMetrics,
  type GatewayMetrics,
} from '../../../gateway/observability/create-metrics.ts';
import type { CapabilityCache } from '../../../gateway/ports/capability-cache.ts';
import type { Clock } from '../../../gateway/ports/clock.ts';
import type { ShortLivedStore } from '../../../gateway/ports/short-lived-store.ts';

export function discoveryConfig(
  file: Record<string, unknown> = {},
  allowPrivatePeers = true,
): PeerDiscoveryConfig {
  const parsed = fileSchema.parse({
    timeouts: { peerConnectMs: 1_000, peerTotalMs: 2_000 },
    ...file,
  });
  return { ...parsed, allowPrivatePeers };
}

export interface ResolverUnderTest extends PeerResolverHandle {
  readonly metrics: GatewayMetrics;
  /** The value of one labelled sample, 0 when absent. */
  sample(name: string, labels?: Record<string, string>): Promise<number>;
}

export function memoryStores(clock: Clock): {
  capabilityCache: CapabilityCache;
  shortLived: ShortLivedStore;
} {
  return {
    capabilityCache: new MemoryCapabilityCache({ clock }),
    shortLived: new MemoryShortLivedStore({ clock }),
  };
}

export function resolverUnderTest(options: {
  config?: PeerDiscoveryConfig;
  clock?: Clock;
  stores?: { capabilityCache: CapabilityCache; shortLived: ShortLivedStore };
}): ResolverUnderTest {
  const clock = options.clock ?? Date.now;
  const metrics = createMetrics({ collectDefaults: false });
  const handle = createPeerResolver({
    config: options.config ?? discoveryConfig(),
    stores: options.stores ?? memoryStores(clock),
    clock,
    metrics,
  });
  return {
    ...handle,
    metrics,
    async sample(name, labels = {}) {
      // Histograms report `<name>_count` / `_sum` / `_bucket` samples under their own name.
      const values = (await metrics.registry.getMetricsAsJSON()).flatMap((metric) =>
        (
          metric.values as {
            labels: Record<string, unknown>;
            value: number;
            metricName?: string;
          }[]
        ).map((v) => ({ ...v, metricName: v.metricName ?? metric.name })),
      );
      const match = values.find(
        (v) =>
          v.metricName === name &&
          Object.entries(labels).every(([key, value]) => v.labels[key] === value),
      );
      return match?.value ?? 0;
    },
  };
}
