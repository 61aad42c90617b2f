/**
 * Single-flight discovery: one discovery per peer at a time in this process (others await the same
 * promise) and across replicas (a short-lived-store lock; followers poll the shared cache for the
 * leader's result instead of fetching, and take over if the lock expires with the leader).
 */
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { CapabilityCache } from '../ports/capability-cache.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type {
  DiscoveryOutcome,
  PeerDiscovery,
  PeerDiscoveryMetrics,
  PeerReference,
} from '../ports/peer-discovery.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import {
  failureEntry,
  isNewer,
  successEntry,
  validEntry,
  type CapabilityCachePolicy,
  type CapabilityEntry,
} from './capability-record.ts';

export interface DiscoveryFlightOptions {
  readonly cache: CapabilityCache;
  readonly locks: ShortLivedStore;
  readonly discovery: PeerDiscovery;
  readonly clock: Clock;
  readonly policy: CapabilityCachePolicy;
  /** Longer than one whole discovery, so a live leader never loses its lock. */
  readonly lockTtlMs: number;
  /** How long a follower waits for the leader before giving up (UNAVAILABLE). */
  readonly followerWaitMs: number;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly metrics?: PeerDiscoveryMetrics | undefined;
  readonly logger?: Logger | undefined;
  /** Told about every entry this process wrote or received from a leader. */
  readonly onEntry: (peerKey: string, entry: CapabilityEntry) => void;
}

/** `wait`: the caller needs the answer. `background`: refresh if nobody else is already doing it. */
export type FlightMode = 'wait' | 'background';

type LockState = 'held' | 'taken' | 'no-lock';

export class DiscoveryFlights {
  readonly #options: DiscoveryFlightOptions;
  readonly #inFlight = new Map<string, Promise<CapabilityEntry | undefined>>();

  constructor(options: DiscoveryFlightOptions) {
    this.#options = options;
  }

  /** Peers being discovered by this process right now. */
  get active(): number {
    return this.#inFlight.size;
  }

  /**
   * The new entry for the peer; undefined only in background mode when another replica is
   * already refreshing. `previous` is what the caller saw: anything newer is the answer.
   */
  run(
    peer: PeerReference,
    previous: CapabilityEntry | undefined,
    mode: FlightMode,
  ): Promise<CapabilityEntry | undefined> {
    const running = this.#inFlight.get(peer.key);
    if (running !== undefined) {
      if (mode === 'background') return Promise.resolve(undefined);
      // A background flight may end without an answer (another replica refreshes): ask again.
      return running.then((entry) => entry ?? this.run(peer, previous, mode));
    }
    const flight = this.#start(peer, previous, mode).finally(() => {
      this.#inFlight.delete(peer.key);
    });
    this.#inFlight.set(peer.key, flight);
    return flight;
  }

  async #start(
    peer: PeerReference,
    previous: CapabilityEntry | undefined,
    mode: FlightMode,
  ): Promise<CapabilityEntry | undefined> {
    const owner = globalThis.crypto.randomUUID();
    const lock = await this.#acquire(peer, owner);
    if (lock !== 'taken') return this.#lead(peer, previous, owner, lock);
    if (mode === 'background') return undefined;
    return this.#follow(peer, previous, owner);
  }

  async #follow(
    peer: PeerReference,
    previous: CapabilityEntry | undefined,
    owner: string,
  ): Promise<CapabilityEntry> {
    const { followerWaitMs, pollMinMs, pollMaxMs, sleep } = this.#options;
    let interval = pollMinMs;
    // Waited time is summed from the sleeps, not read from the clock: the loop stays bounded
    // even with a clock that does not move (tests) or jumps.
    for (let waited = 0; waited < followerWaitMs;) {
      await sleep(interval);
      waited += interval;
      interval = Math.min(interval * 2, pollMaxMs);
      const current = validEntry(await this.#options.cache.get(peer.key));
      if (current !== undefined && isNewer(current, previous)) {
        this.#options.onEntry(peer.key, current);
        return current;
      }
      // The leader released without a result we can see, or died and its lock expired.
      const lock = await this.#acquire(peer, owner);
      if (lock !== 'taken') return this.#lead(peer, previous, owner, lock);
    }
    throw new GatewayError(
      'UNAVAILABLE',
      `discovery of ${peer.key} is running on another replica and has not finished; try again`,
      { retryAfterSeconds: Math.max(1, Math.ceil(followerWaitMs / 1000)) },
    );
  }

  async #lead(
    peer: PeerReference,
    previous: CapabilityEntry | undefined,
    owner: string,
    lock: LockState,
  ): Promise<CapabilityEntry> {
    const { cache, clock, policy } = this.#options;
    try {
      let known = previous;
      if (lock === 'held') {
        // Another replica may have finished between our read and our lock: use its answer.
        const current = validEntry(await cache.get(peer.key));
        if (current !== undefined && isNewer(current, previous)) {
          this.#options.onEntry(peer.key, current);
          return current;
        }
        known = current ?? previous;
      }
      const outcome = await this.#discover(peer);
      const now = clock();
      const entry = outcome.ok
        ? successEntry(outcome.capabilities, now, policy, outcome.maxAgeSeconds)
        : failureEntry(known, outcome.failure, now, policy);
      await cache.put(peer.key, entry);
      this.#options.onEntry(peer.key, entry);
      return entry;
    } finally {
      if (lock === 'held') await this.#release(peer, owner);
    }
  }

  async #discover(peer: PeerReference): Promise<DiscoveryOutcome> {
    const started = performance.now();
    const outcome = await this.#options.discovery.discover(peer);
    const seconds = (performance.now() - started) / 1000;
    const label = outcome.ok ? outcome.capabilities.family : outcome.failure.reason;
    this.#options.metrics?.discovered(label, seconds);
    if (outcome.ok) {
      this.#options.logger?.info('peer discovered', {
        peer: peer.key,
        family: outcome.capabilities.family,
        dialects: outcome.capabilities.dialects,
        from: outcome.capabilities.sources.dialects,
      });
    } else {
      this.#options.logger?.warn('peer discovery failed', {
        peer: peer.key,
        reason: outcome.failure.reason,
        error: outcome.failure.message,
        tried: outcome.attempts.map((a) => `${a.url} ${a.status ?? a.outcome}`),
      });
    }
    return outcome;
  }

  async #acquire(peer: PeerReference, owner: string): Promise<LockState> {
    try {
      const got = await this.#options.locks.acquireLock(
        lockKey(peer),
        owner,
        this.#options.lockTtlMs,
      );
      return got ? 'held' : 'taken';
    } catch (error) {
      // No shared store: coordinate within this process only rather than refuse discovery.
      this.#options.logger?.warn('discovery lock unavailable; discovering without it', {
        peer: peer.key,
        error,
      });
      return 'no-lock';
    }
  }

  async #release(peer: PeerReference, owner: string): Promise<void> {
    try {
      await this.#options.locks.releaseLock(lockKey(peer), owner);
    } catch {
      // The lock expires by itself.
    }
  }
}

function lockKey(peer: PeerReference): string {
  return `peer-discovery:${peer.key}`;
}
