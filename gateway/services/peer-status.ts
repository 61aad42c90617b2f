/** What the operator (and `peers show|list`) sees of one cached peer: state, circuit, dialect, last error. */
import { chooseDialect, type DialectChoice } from '../core/capabilities/choose-dialect.ts';
import { freshnessOf } from '../core/capabilities/freshness.ts';
import type { DialectId } from '../core/model/dialect-id.ts';
import type { PeerCapabilities } from '../ports/peer-discovery.ts';
import type { CapabilityEntry, RecordedFailure } from './capability-record.ts';

export type PeerCacheState =
  /** Served as is. */
  | 'fresh'
  /** Served while a background refresh runs. */
  | 'stale'
  /** A remembered failure, answered without asking the peer. */
  | 'negative'
  /** A remembered failure whose wait is over: the next lookup asks the peer again. */
  | 'retry-due';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface PeerStatus {
  readonly peer: string;
  readonly state: PeerCacheState;
  readonly circuit: CircuitState;
  readonly capabilities?: PeerCapabilities;
  /** The dialect the gateway would use now (config overrides applied at read time). */
  readonly dialect?: DialectId;
  readonly dialectChoice?: DialectChoice;
  readonly fetchedAt: number;
  readonly staleAt: number;
  readonly expiresAt: number;
  readonly failures: number;
  readonly retryAt?: number;
  readonly lastError?: RecordedFailure;
}

export interface StatusContext {
  readonly now: number;
  readonly circuitThreshold: number;
  readonly ourDialects: readonly DialectId[];
  readonly override: DialectId | undefined;
}

export function circuitOf(entry: CapabilityEntry, now: number, threshold: number): CircuitState {
  if ((entry.failures ?? 0) < threshold) return 'closed';
  return (entry.value.retryAt ?? 0) > now ? 'open' : 'half-open';
}

export function peerStatus(
  peer: string,
  entry: CapabilityEntry,
  context: StatusContext,
): PeerStatus {
  const { now } = context;
  const capabilities = entry.value.capabilities;
  let state: PeerCacheState;
  if (capabilities === undefined) state = now < entry.staleAt ? 'negative' : 'retry-due';
  else state = freshnessOf(entry, now) === 'fresh' ? 'fresh' : 'stale';
  const choice =
    capabilities === undefined
      ? undefined
      : chooseDialect({
          peer: capabilities.dialects,
          ours: context.ourDialects,
          override: context.override,
        });
  return {
    peer,
    state,
    circuit: circuitOf(entry, now, context.circuitThreshold),
    ...(capabilities !== undefined && { capabilities }),
    ...(choice?.ok === true && { dialect: choice.dialect }),
    ...(choice !== undefined && { dialectChoice: choice }),
    fetchedAt: entry.fetchedAt,
    staleAt: entry.staleAt,
    expiresAt: entry.expiresAt,
    failures: entry.failures ?? 0,
    ...(entry.value.retryAt !== undefined && { retryAt: entry.value.retryAt }),
    ...(entry.value.lastError !== undefined && { lastError: entry.value.lastError }),
  };
}
