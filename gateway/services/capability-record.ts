/**
 * What the capability cache keeps per peer, and the pure rules that build it: freshness bounded
 * by the peer's max-age, the short negative TTL, and the circuit breaker's exponential backoff.
 * The failure count lives in the entry (`failures`) so every replica sees the same circuit.
 */
import type { CachedCapabilities } from '../ports/capability-cache.ts';
import type {
  DiscoveryFailure,
  DiscoveryFailureReason,
  PeerCapabilities,
} from '../ports/peer-discovery.ts';
import type { ErrorCode } from '../core/errors/error-catalog.ts';

/** Bumped when the shape changes: an entry of another shape is a miss (rolling upgrades). */
export const RECORD_SCHEMA = 1;

export interface RecordedFailure {
  readonly reason: DiscoveryFailureReason;
  readonly code: ErrorCode;
  readonly message: string;
  /** Epoch ms. */
  readonly at: number;
}

export interface CapabilityRecord {
  readonly schema: typeof RECORD_SCHEMA;
  /** The last good discovery result; absent in a negative entry. */
  readonly capabilities?: PeerCapabilities;
  /** The most recent failure, while the failure streak lasts. */
  readonly lastError?: RecordedFailure;
  /** No new discovery before this (negative TTL, or the open circuit's backoff). */
  readonly retryAt?: number;
}

export type CapabilityEntry = CachedCapabilities<CapabilityRecord>;

export interface CapabilityCachePolicy {
  /** Success is served without refreshing for this long (`freshSeconds`), at most. */
  readonly freshMs: number;
  /** …then served while a background refresh runs (`staleSeconds`). */
  readonly staleMs: number;
  /** A failure is remembered and answered without asking the peer for this long. */
  readonly negativeMs: number;
  /** A peer's own max-age below this is raised to it (`minMaxAgeSeconds`). */
  readonly minMaxAgeMs: number;
  /** Consecutive failures after which the circuit opens and the wait grows. Default 3. */
  readonly circuitThreshold: number;
  /** The longest wait between attempts while the circuit is open. */
  readonly maxBackoffMs: number;
}

/** How long a success stays fresh: the peer's max-age within [minMaxAge, fresh], else fresh. */
export function freshForMs(
  policy: CapabilityCachePolicy,
  maxAgeSeconds: number | undefined,
): number {
  if (maxAgeSeconds === undefined) return policy.freshMs;
  const floor = Math.min(policy.minMaxAgeMs, policy.freshMs);
  return Math.min(Math.max(maxAgeSeconds * 1000, floor), policy.freshMs);
}

/** The wait after the n-th consecutive failure: the negative TTL, doubling once the circuit opens. */
export function backoffMs(policy: CapabilityCachePolicy, failures: number): number {
  if (failures < policy.circuitThreshold) return policy.negativeMs;
  const base = Math.max(policy.negativeMs, 1_000);
  const exponent = Math.min(failures - policy.circuitThreshold + 1, 30);
  return Math.max(policy.negativeMs, Math.min(base * 2 ** exponent, policy.maxBackoffMs));
}

export function successEntry(
  capabilities: PeerCapabilities,
  now: number,
  policy: CapabilityCachePolicy,
  maxAgeSeconds: number | undefined,
): CapabilityEntry {
  const fresh = freshForMs(policy, maxAgeSeconds);
  return {
    value: { schema: RECORD_SCHEMA, capabilities },
    fetchedAt: now,
    staleAt: now + fresh,
    expiresAt: now + fresh + Math.max(0, policy.staleMs),
    failures: 0,
  };
}

/**
 * After a failed discovery. A last good result that has not expired is kept (served stale, as
 * HTTP's stale-if-error); otherwise a negative entry answers for the backoff and then lets one
 * probe through (half-open), and is remembered a while longer so the streak can grow.
 */
export function failureEntry(
  previous: CapabilityEntry | undefined,
  failure: DiscoveryFailure,
  now: number,
  policy: CapabilityCachePolicy,
): CapabilityEntry {
  const failures = (previous?.failures ?? 0) + 1;
  const wait = backoffMs(policy, failures);
  const lastError: RecordedFailure = { ...failure, at: now };
  const retryAt = now + wait;
  const kept = previous?.value.capabilities;
  if (previous !== undefined && kept !== undefined && now < previous.expiresAt) {
    return { ...previous, value: { ...previous.value, lastError, retryAt }, failures };
  }
  return {
    value: { schema: RECORD_SCHEMA, lastError, retryAt },
    negative: true,
    fetchedAt: now,
    staleAt: retryAt,
    expiresAt: retryAt + Math.max(wait, policy.negativeMs, 60_000),
    failures,
  };
}

/** The entry if it is one this version wrote, else undefined (treated as a miss). */
export function validEntry(entry: CachedCapabilities | undefined): CapabilityEntry | undefined {
  if (entry === undefined) return undefined;
  const value = entry.value;
  if (typeof value !== 'object' || value === null) return undefined;
  if ((value as { schema?: unknown }).schema !== RECORD_SCHEMA) return undefined;
  return entry as CapabilityEntry;
}

/** Orders what two replicas may have written: the later fetch or the later failure wins. */
export function entryVersion(entry: CapabilityEntry | undefined): number {
  if (entry === undefined) return Number.NEGATIVE_INFINITY;
  return Math.max(entry.fetchedAt, entry.value.lastError?.at ?? Number.NEGATIVE_INFINITY);
}

export function isNewer(candidate: CapabilityEntry, than: CapabilityEntry | undefined): boolean {
  return entryVersion(candidate) > entryVersion(than);
}
