/** A scripted PeerDiscovery, recording metrics and a policy for the resolver's unit tests. */
import type {
  CacheLookupResult,
  DiscoveryOutcome,
  DiscoveryResultLabel,
  PeerCapabilities,
  PeerDiscovery,
  PeerDiscoveryMetrics,
  PeerReference,
} from '../../../gateway/ports/peer-discovery.ts';
import type { DialectId } from '../../../gateway/core/model/dialect-id.ts';
import type { CapabilityCachePolicy } from '../../../gateway/services/capability-record.ts';

export const SECOND = 1000;

export const POLICY: CapabilityCachePolicy = {
  freshMs: 60 * SECOND,
  staleMs: 60 * SECOND,
  negativeMs: 10 * SECOND,
  minMaxAgeMs: 5 * SECOND,
  circuitThreshold: 3,
  maxBackoffMs: 100 * SECOND,
};

export function capabilities(
  peer: string,
  dialects: readonly DialectId[] = ['ocm-1.2'],
  provider = 'test peer',
): PeerCapabilities {
  return {
    peer,
    baseUrl: `https://${peer}`,
    family: dialects.some((d) => d.startsWith('ocm')) ? 'ocm' : 'legacy',
    dialects,
    provider,
    endPoint: `https://${peer}/ocm`,
    resourceTypes: [],
    capabilities: [],
    criteria: [],
    keys: { publicKeys: [] },
    sources: { endPoint: `https://${peer}/.well-known/ocm` },
    warnings: [],
  };
}

export function success(
  peer: string,
  options: { dialects?: readonly DialectId[]; maxAgeSeconds?: number; provider?: string } = {},
): DiscoveryOutcome {
  return {
    ok: true,
    capabilities: capabilities(peer, options.dialects, options.provider),
    maxAgeSeconds: options.maxAgeSeconds,
    attempts: [],
  };
}

export function failure(peer: string): DiscoveryOutcome {
  return {
    ok: false,
    failure: { reason: 'unreachable', code: 'UPSTREAM_UNREACHABLE', message: `${peer} is down` },
    attempts: [],
  };
}

/** Answers with `next(peer, call)`; `delayMs` keeps a discovery in flight for concurrency tests. */
export class ScriptedDiscovery implements PeerDiscovery {
  calls: string[] = [];
  next: (peer: PeerReference, call: number) => DiscoveryOutcome;
  delayMs: number;

  constructor(next: (peer: PeerReference, call: number) => DiscoveryOutcome, delayMs = 0) {
    this.next = next;
    this.delayMs = delayMs;
  }

  async discover(peer: PeerReference): Promise<DiscoveryOutcome> {
    this.calls.push(peer.key);
    const call = this.calls.length;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.next(peer, call);
  }
}

export class RecordingMetrics implements PeerDiscoveryMetrics {
  readonly lookups: CacheLookupResult[] = [];
  readonly discoveries: DiscoveryResultLabel[] = [];

  discovered(result: DiscoveryResultLabel): void {
    this.discoveries.push(result);
  }

  cacheLookup(result: CacheLookupResult): void {
    this.lookups.push(result);
  }

  count(result: CacheLookupResult): number {
    return this.lookups.filter((r) => r === result).length;
  }
}
