/** Public surface of the peer policy module: allow/deny evaluation, per-peer settings, caller identity. */
export { claimedPeerHost } from './claimed-peer-host.ts';
export { resolveClientAddress } from './client-address.ts';
export {
  anyHostPatternMatches,
  hostPatternMatches,
  parseHostPatterns,
  parsePeerHost,
  type HostPattern,
  type PeerHost,
} from './host-pattern.ts';
export {
  compilePeerOverrides,
  peerSettingsFor,
  type PeerOverride,
  type PeerOverrideConfig,
  type PeerSettings,
} from './peer-overrides.ts';
export {
  compilePeerPolicy,
  evaluatePeerPolicy,
  type PeerCaller,
  type PeerDenyReason,
  type PeerPolicy,
  type PeerPolicyCompileResult,
  type PeerPolicyConfig,
  type PeerVerdict,
  type RateLimitSetting,
  type SignatureMode,
} from './peer-policy.ts';
