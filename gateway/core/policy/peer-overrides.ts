/**
 * Per-peer settings from the config's `peers[]` (issue 6 item 4): a forced dialect, a signature
 * mode and a rate limit for one host, falling back to the global policy for everything unset.
 */
import type { ValidationIssue } from '../errors/validation-issue.ts';
import type { DialectId } from '../model/dialect-id.ts';
import { parsePeerHost } from './host-pattern.ts';
import type { PeerPolicy, RateLimitSetting, SignatureMode } from './peer-policy.ts';

export interface PeerOverrideConfig {
  /** Exact `host` or `host:port`; no wildcards, so one entry is never shadowed by another. */
  readonly host: string;
  readonly dialect?: DialectId | undefined;
  readonly signatures?: SignatureMode | undefined;
  readonly rateLimit?: RateLimitSetting | undefined;
}

export type PeerOverride = Omit<PeerOverrideConfig, 'host'>;

/** What applies to one caller once defaults are filled in. */
export interface PeerSettings {
  /** Undefined: choose from the peer's discovery. */
  readonly dialect: DialectId | undefined;
  readonly signatures: SignatureMode;
  readonly rateLimit: RateLimitSetting;
  /** The `peers[]` key that applied, or undefined when only defaults applied. */
  readonly entry: string | undefined;
}

export function compilePeerOverrides(entries: readonly PeerOverrideConfig[]): {
  readonly overrides: ReadonlyMap<string, PeerOverride>;
  readonly issues: readonly ValidationIssue[];
} {
  const overrides = new Map<string, PeerOverride>();
  const issues: ValidationIssue[] = [];
  entries.forEach((entry, index) => {
    const peer = parsePeerHost(entry.host);
    if (peer === undefined) {
      issues.push({ field: `peers.${index}.host`, message: 'not a valid host[:port]' });
      return;
    }
    const key = peerKey(peer.host, peer.port);
    if (overrides.has(key)) {
      issues.push({ field: `peers.${index}.host`, message: `peer ${key} is listed twice` });
      return;
    }
    overrides.set(key, {
      dialect: entry.dialect,
      signatures: entry.signatures,
      rateLimit: entry.rateLimit,
    });
  });
  return { overrides, issues };
}

/**
 * Settings for a claimed `host[:port]`: the entry for that exact host and port first, then the
 * entry for the host without a port (a port-less claim also finds a `host:443` entry).
 */
export function peerSettingsFor(host: string | undefined, policy: PeerPolicy): PeerSettings {
  const peer = host === undefined ? undefined : parsePeerHost(host);
  const candidates =
    peer === undefined
      ? []
      : peer.port === undefined
        ? [peer.host, peerKey(peer.host, 443)]
        : [peerKey(peer.host, peer.port), peer.host];
  for (const key of candidates) {
    const override = policy.peers.get(key);
    if (override !== undefined) {
      return {
        dialect: override.dialect,
        signatures: override.signatures ?? policy.signatures,
        rateLimit: override.rateLimit ?? policy.perPeerRateLimit,
        entry: key,
      };
    }
  }
  return {
    dialect: undefined,
    signatures: policy.signatures,
    rateLimit: policy.perPeerRateLimit,
    entry: undefined,
  };
}

function peerKey(host: string, port: number | undefined): string {
  return port === undefined ? host : `${host}:${port}`;
}
