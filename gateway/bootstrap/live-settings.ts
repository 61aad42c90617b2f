/**
 * The settings a reload may swap while the gateway runs (issue 8 item 2). Consumers keep the
 * objects they were built with; those objects read through to the current config on every
 * access, so a swap reaches the next request without restarting a listener or touching a
 * request in flight (which already holds what it read).
 */
import type { GatewayConfig } from '../../config/gateway-config.ts';
import type { PeerPolicy } from '../core/policy/peer-policy.ts';

export interface LiveSettings {
  current(): GatewayConfig;
  /** The compiled peer policy, read through on every property access. */
  readonly policy: PeerPolicy;
  /** `base` with `policy`, `peers` and `limits` read through to the current config. */
  view(base: GatewayConfig): GatewayConfig;
  swap(config: GatewayConfig, policy: PeerPolicy): void;
}

export function createLiveSettings(config: GatewayConfig, compiled: PeerPolicy): LiveSettings {
  let current = config;
  let policy = compiled;
  const livePolicy: PeerPolicy = {
    get allowHosts() {
      return policy.allowHosts;
    },
    get denyHosts() {
      return policy.denyHosts;
    },
    get allowNetworks() {
      return policy.allowNetworks;
    },
    get denyNetworks() {
      return policy.denyNetworks;
    },
    get signatures() {
      return policy.signatures;
    },
    get rateLimit() {
      return policy.rateLimit;
    },
    get perPeerRateLimit() {
      return policy.perPeerRateLimit;
    },
    get perAddressRateLimit() {
      return policy.perAddressRateLimit;
    },
    get peers() {
      return policy.peers;
    },
  };
  return {
    current: () => current,
    policy: livePolicy,
    view(base) {
      const view = { ...base };
      for (const key of ['policy', 'peers', 'limits'] as const) {
        Object.defineProperty(view, key, { enumerable: true, get: () => current[key] });
      }
      return Object.freeze(view);
    },
    swap(next, nextPolicy) {
      current = next;
      policy = nextPolicy;
    },
  };
}
