/**
 * Who may call the federation endpoints (issue 6 item 4): deny and allow lists by peer host and by
 * the caller's network, compiled once from config and evaluated per request without I/O.
 *
 * Rules, in order: a caller in `denyNetworks` or whose host is in `denyHosts` is refused (deny
 * always wins). When `allowHosts` or `allowNetworks` is non-empty they form one allowlist: the
 * caller must match either (host listed OR address in a listed network). Hosts are matched on the
 * canonical spelling (lower case, punycode, no trailing dot); `*.example.org` matches subdomains.
 */
import type { ValidationIssue } from '../errors/validation-issue.ts';
import { anyNetworkContains, parseCidrList, type IpNetwork } from '../network/cidr.ts';
import { parseIpAddress } from '../network/ip-address.ts';
import {
  anyHostPatternMatches,
  parseHostPatterns,
  parsePeerHost,
  type HostPattern,
  type PeerHost,
} from './host-pattern.ts';
import {
  compilePeerOverrides,
  type PeerOverride,
  type PeerOverrideConfig,
} from './peer-overrides.ts';

export type SignatureMode = 'require' | 'prefer' | 'ignore';

export interface RateLimitSetting {
  readonly requests: number;
  readonly windowSeconds: number;
}

/** The config's `policy` section plus its `peers` list, as the operator wrote them. */
export interface PeerPolicyConfig {
  readonly allowHosts: readonly string[];
  readonly denyHosts: readonly string[];
  readonly allowNetworks: readonly string[];
  readonly denyNetworks: readonly string[];
  readonly signatures: SignatureMode;
  /** All callers together. */
  readonly rateLimit: RateLimitSetting;
  /** Each caller (peer host, or address when the host is unknown) unless its peer entry says otherwise. */
  readonly perPeerRateLimit: RateLimitSetting;
  /**
   * Each client address, over every peer host it claims: a claim is not proof, and one address
   * must not spend the global bucket alone by claiming made-up hosts. Default: twice
   * perPeerRateLimit.
   */
  readonly perAddressRateLimit?: RateLimitSetting | undefined;
  readonly peers: readonly PeerOverrideConfig[];
}

export interface PeerPolicy {
  readonly allowHosts: readonly HostPattern[];
  readonly denyHosts: readonly HostPattern[];
  readonly allowNetworks: readonly IpNetwork[];
  readonly denyNetworks: readonly IpNetwork[];
  readonly signatures: SignatureMode;
  readonly rateLimit: RateLimitSetting;
  readonly perPeerRateLimit: RateLimitSetting;
  readonly perAddressRateLimit: RateLimitSetting;
  /** Keyed by canonical `host` or `host:port`. */
  readonly peers: ReadonlyMap<string, PeerOverride>;
}

export type PeerPolicyCompileResult =
  | { readonly ok: true; readonly policy: PeerPolicy }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export function compilePeerPolicy(config: PeerPolicyConfig): PeerPolicyCompileResult {
  const allowHosts = parseHostPatterns(config.allowHosts, 'policy.allowHosts');
  const denyHosts = parseHostPatterns(config.denyHosts, 'policy.denyHosts');
  const allowNetworks = parseCidrList(config.allowNetworks, 'policy.allowNetworks');
  const denyNetworks = parseCidrList(config.denyNetworks, 'policy.denyNetworks');
  const peers = compilePeerOverrides(config.peers);
  const issues = [
    ...allowHosts.issues,
    ...denyHosts.issues,
    ...allowNetworks.issues,
    ...denyNetworks.issues,
    ...peers.issues,
  ];
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    policy: {
      allowHosts: allowHosts.patterns,
      denyHosts: denyHosts.patterns,
      allowNetworks: allowNetworks.networks,
      denyNetworks: denyNetworks.networks,
      signatures: config.signatures,
      rateLimit: config.rateLimit,
      perPeerRateLimit: config.perPeerRateLimit,
      perAddressRateLimit: config.perAddressRateLimit ?? {
        requests: config.perPeerRateLimit.requests * 2,
        windowSeconds: config.perPeerRateLimit.windowSeconds,
      },
      peers: peers.overrides,
    },
  };
}

export interface PeerCaller {
  /** The host the caller claims (`host[:port]`), undefined while unknown (before the body is read). */
  readonly host: string | undefined;
  /** The caller's IP address (after trusted-proxy resolution). */
  readonly address: string | undefined;
}

export type PeerDenyReason = 'denied-network' | 'denied-host' | 'not-allowed';

export type PeerVerdict =
  | { readonly kind: 'allow' }
  | {
      readonly kind: 'deny';
      readonly reason: PeerDenyReason;
      /** Names the rule and the host/address; for logs (the caller gets a generic message). */
      readonly detail: string;
    }
  /** The answer depends on a host list and the host is not known yet: decide again once it is. */
  | { readonly kind: 'needs-host' };

export function evaluatePeerPolicy(caller: PeerCaller, policy: PeerPolicy): PeerVerdict {
  const address = caller.address === undefined ? undefined : parseIpAddress(caller.address);
  const peer: PeerHost | undefined =
    caller.host === undefined ? undefined : parsePeerHost(caller.host);
  if (address !== undefined && anyNetworkContains(policy.denyNetworks, address)) {
    return deny('denied-network', `address ${caller.address ?? ''} is in policy.denyNetworks`);
  }
  if (peer !== undefined && anyHostPatternMatches(policy.denyHosts, peer)) {
    return deny('denied-host', `host ${peer.host} is in policy.denyHosts`);
  }
  const hostStillMatters = peer === undefined && policy.denyHosts.length > 0;
  const gated = policy.allowHosts.length > 0 || policy.allowNetworks.length > 0;
  if (!gated) return hostStillMatters ? { kind: 'needs-host' } : { kind: 'allow' };
  const byNetwork = address !== undefined && anyNetworkContains(policy.allowNetworks, address);
  const byHost = peer !== undefined && anyHostPatternMatches(policy.allowHosts, peer);
  if (byNetwork || byHost) return hostStillMatters ? { kind: 'needs-host' } : { kind: 'allow' };
  if (peer === undefined && policy.allowHosts.length > 0) return { kind: 'needs-host' };
  const who = peer === undefined ? `address ${caller.address ?? 'unknown'}` : `host ${peer.host}`;
  return deny('not-allowed', `${who} is in neither policy.allowHosts nor policy.allowNetworks`);
}

function deny(reason: PeerDenyReason, detail: string): PeerVerdict {
  return { kind: 'deny', reason, detail };
}
