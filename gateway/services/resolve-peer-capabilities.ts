/**
 * What a peer speaks, from cache or discovery (DESIGN §4, issue 5): fresh entries are served,
 * stale ones served while one background refresh runs, failures remembered for a short negative
 * TTL with a per-peer circuit breaker, and discovery single-flighted in-process and fleet-wide.
 */
import { chooseDialect, type DialectChoice } from '../core/capabilities/choose-dialect.ts';
import { freshnessOf } from '../core/capabilities/freshness.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { DIALECTS, type DialectId } from '../core/model/dialect-id.ts';
import type { CapabilityCache } from '../ports/capability-cache.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type {
  PeerCapabilities,
  PeerDiscovery,
  PeerDiscoveryMetrics,
  PeerReference,
} from '../ports/peer-discovery.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import {
  validEntry,
  type CapabilityCachePolicy,
  type CapabilityEntry,
} from './capability-record.ts';
import { DiscoveryFlights } from './discovery-flights.ts';
import { parsePeerReference, peerHostPort } from './peer-reference.ts';
import { peerStatus, type PeerStatus } from './peer-status.ts';

/** A `peers[]` entry of the config file, as far as discovery cares. */
export interface PeerOverride {
  /** `host` or `host:port`, lower case. */
  readonly host: string;
  readonly dialect?: DialectId | undefined;
}

export interface ResolvePeerCapabilitiesOptions {
  readonly discovery: PeerDiscovery;
  readonly cache: CapabilityCache;
  /** Holds the fleet-wide discovery locks. */
  readonly locks: ShortLivedStore;
  readonly clock: Clock;
  readonly policy: CapabilityCachePolicy;
  /** Dialects this gateway speaks. Default: all of DIALECTS. */
  readonly ourDialects?: readonly DialectId[];
  readonly peers?: readonly PeerOverride[];
  /** Longer than one whole discovery. Default 30 000 ms. */
  readonly lockTtlMs?: number;
  /** Default lockTtlMs + 1000: a dead leader's lock has expired by then. */
  readonly followerWaitMs?: number;
  readonly pollMinMs?: number;
  readonly pollMaxMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly metrics?: PeerDiscoveryMetrics;
  readonly logger?: Logger;
}

export interface ResolvedPeer {
  readonly peer: PeerReference;
  readonly capabilities: PeerCapabilities;
  /** The dialect to use with this peer; undefined when none is possible (see `choice`). */
  readonly dialect: DialectId | undefined;
  readonly choice: DialectChoice;
  /** How it was answered: from a fresh entry, a stale one (refresh started), or discovery. */
  readonly source: 'hit' | 'stale' | 'miss';
}

const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export class PeerCapabilitiesResolver {
  readonly #options: ResolvePeerCapabilitiesOptions;
  readonly #flights: DiscoveryFlights;
  readonly #ourDialects: readonly DialectId[];
  readonly #background = new Set<Promise<unknown>>();
  /** Peers whose circuit this replica last saw open, until their entry expires. */
  readonly #circuits = new Map<string, number>();

  constructor(options: ResolvePeerCapabilitiesOptions) {
    this.#options = options;
    this.#ourDialects = options.ourDialects ?? DIALECTS;
    const lockTtlMs = options.lockTtlMs ?? 30_000;
    this.#flights = new DiscoveryFlights({
      cache: options.cache,
      locks: options.locks,
      discovery: options.discovery,
      clock: options.clock,
      policy: options.policy,
      lockTtlMs,
      followerWaitMs: options.followerWaitMs ?? lockTtlMs + 1_000,
      pollMinMs: options.pollMinMs ?? 25,
      pollMaxMs: options.pollMaxMs ?? 250,
      sleep: options.sleep ?? realSleep,
      metrics: options.metrics,
      logger: options.logger,
      onEntry: (key, entry) => {
        this.#track(key, entry);
      },
    });
  }

  /** The peer's capabilities and dialect; rejects with a GatewayError when it cannot be known. */
  async resolve(peer: string | PeerReference): Promise<ResolvedPeer> {
    const ref = this.#reference(peer);
    const metrics = this.#options.metrics;
    const entry = await this.#read(ref);
    const now = this.#options.clock();
    if (entry?.value.capabilities !== undefined && freshnessOf(entry, now) !== 'expired') {
      if (freshnessOf(entry, now) === 'fresh') {
        metrics?.cacheLookup('hit');
        return this.#resolved(ref, entry.value.capabilities, 'hit');
      }
      metrics?.cacheLookup('stale');
      if ((entry.value.retryAt ?? 0) <= now) this.#refreshInBackground(ref, entry);
      return this.#resolved(ref, entry.value.capabilities, 'stale');
    }
    if (entry !== undefined && entry.value.capabilities === undefined && now < entry.staleAt) {
      metrics?.cacheLookup('negative');
      throw this.#failureError(ref, entry, now);
    }
    // A miss, or a failure whose wait is over (half-open): this lookup asks the peer.
    metrics?.cacheLookup('miss');
    const fetched = await this.#flights.run(ref, entry, 'wait');
    const capabilities = fetched?.value.capabilities;
    if (fetched === undefined || capabilities === undefined) {
      throw this.#failureError(ref, fetched ?? entry, this.#options.clock());
    }
    return this.#resolved(ref, capabilities, 'miss');
  }

  /** The cached status (discovering first if nothing is cached), or a fresh discovery. */
  async show(peer: string | PeerReference, options: { fresh?: boolean } = {}): Promise<PeerStatus> {
    const ref = this.#reference(peer);
    if (options.fresh === true) return this.refresh(ref);
    const entry = await this.#read(ref);
    if (entry !== undefined) return this.#status(ref, entry);
    return this.#statusAfter(ref, await this.#flights.run(ref, undefined, 'wait'));
  }

  /** Discovers now, even when fresh or while the circuit is open (the operator asked). */
  async refresh(peer: string | PeerReference): Promise<PeerStatus> {
    const ref = this.#reference(peer);
    const entry = await this.#read(ref);
    return this.#statusAfter(ref, await this.#flights.run(ref, entry, 'wait'));
  }

  /** Drops what is known about the peer, fleet-wide (other replicas' L1 copies age out). */
  async forget(peer: string | PeerReference): Promise<string> {
    const ref = this.#reference(peer);
    await this.#options.cache.forget(ref.key);
    this.#circuits.delete(ref.key);
    return ref.key;
  }

  async list(): Promise<PeerStatus[]> {
    const peers = await this.#options.cache.list();
    const out: PeerStatus[] = [];
    for (const { peerKey, entry } of peers) {
      const valid = validEntry(entry);
      if (valid !== undefined) out.push(this.#status(this.#referenceOrKey(peerKey), valid));
    }
    return out.sort((a, b) => a.peer.localeCompare(b.peer));
  }

  /** Peers with an open (or half-open) circuit, as this replica last saw them. */
  openCircuits(): number {
    const now = this.#options.clock();
    let open = 0;
    for (const [key, until] of this.#circuits) {
      if (until > now) open += 1;
      else this.#circuits.delete(key);
    }
    return open;
  }

  /** Resolves once every background refresh started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  #reference(peer: string | PeerReference): PeerReference {
    if (typeof peer !== 'string') return peer;
    const parsed = parsePeerReference(peer);
    if (parsed.ok) return parsed.value;
    const issue = parsed.issues[0];
    throw new GatewayError(
      'INVALID_REQUEST',
      `${issue?.field ?? 'peer'} ${issue?.message ?? 'is not a peer address'}`,
      { issues: parsed.issues },
    );
  }

  /** list() gets keys back from the cache; they parse as bare `host[:port][/path]`. */
  #referenceOrKey(key: string): PeerReference {
    const parsed = parsePeerReference(key);
    return parsed.ok
      ? parsed.value
      : { key, host: key, port: undefined, path: '', scheme: undefined };
  }

  async #read(ref: PeerReference): Promise<CapabilityEntry | undefined> {
    const entry = validEntry(await this.#options.cache.get(ref.key));
    if (entry !== undefined) this.#track(ref.key, entry);
    return entry;
  }

  #refreshInBackground(ref: PeerReference, entry: CapabilityEntry): void {
    const work = this.#flights.run(ref, entry, 'background').catch((error: unknown) => {
      this.#options.logger?.warn('background peer refresh failed', { peer: ref.key, error });
    });
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }

  #override(ref: PeerReference): DialectId | undefined {
    const peers = this.#options.peers ?? [];
    const exact = peers.find((p) => p.host === peerHostPort(ref));
    return (exact ?? peers.find((p) => p.host === ref.host))?.dialect;
  }

  #resolved(
    ref: PeerReference,
    capabilities: PeerCapabilities,
    source: ResolvedPeer['source'],
  ): ResolvedPeer {
    const choice = chooseDialect({
      peer: capabilities.dialects,
      ours: this.#ourDialects,
      override: this.#override(ref),
    });
    return {
      peer: ref,
      capabilities,
      dialect: choice.ok ? choice.dialect : undefined,
      choice,
      source,
    };
  }

  #status(ref: PeerReference, entry: CapabilityEntry): PeerStatus {
    return peerStatus(ref.key, entry, {
      now: this.#options.clock(),
      circuitThreshold: this.#options.policy.circuitThreshold,
      ourDialects: this.#ourDialects,
      override: this.#override(ref),
    });
  }

  #statusAfter(ref: PeerReference, entry: CapabilityEntry | undefined): PeerStatus {
    if (entry === undefined) {
      throw new GatewayError('UNAVAILABLE', `discovery of ${ref.key} gave no answer; try again`, {
        retryAfterSeconds: 1,
      });
    }
    return this.#status(ref, entry);
  }

  #failureError(ref: PeerReference, entry: CapabilityEntry | undefined, now: number): GatewayError {
    const failure = entry?.value.lastError;
    const retryAt = entry?.value.retryAt ?? now;
    return new GatewayError(
      failure?.code ?? 'UPSTREAM_UNREACHABLE',
      failure?.message ?? `discovery of ${ref.key} failed`,
      { retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) },
    );
  }

  #track(key: string, entry: CapabilityEntry): void {
    if ((entry.failures ?? 0) >= this.#options.policy.circuitThreshold) {
      this.#circuits.set(key, entry.expiresAt);
    } else this.#circuits.delete(key);
  }
}

export function createPeerCapabilitiesResolver(
  options: ResolvePeerCapabilitiesOptions,
): PeerCapabilitiesResolver {
  return new PeerCapabilitiesResolver(options);
}
