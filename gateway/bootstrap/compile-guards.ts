/** Peer policy and trusted proxies, checked beyond the schema (host bits, host syntax); used at start and on reload. */
import type { GatewayConfig } from '../../config/gateway-config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { parseCidrList, type IpNetwork } from '../core/network/cidr.ts';
import { compilePeerPolicy, type PeerPolicy } from '../core/policy/peer-policy.ts';

export interface Guards {
  readonly policy: PeerPolicy;
  readonly trustedProxies: readonly IpNetwork[];
}

/** Throws ConfigError listing every problem. */
export function compileGuards(config: GatewayConfig): Guards {
  const compiled = compilePeerPolicy({ ...config.policy, peers: config.peers });
  const proxies = parseCidrList(config.proxy.trustedProxies, 'proxy.trustedProxies');
  const issues = [...(compiled.ok ? [] : compiled.issues), ...proxies.issues];
  if (!compiled.ok || issues.length > 0) {
    throw new ConfigError(
      issues.map((issue) => ({
        where: `${config.configFile ?? 'configuration'}: ${issue.field}`,
        problem: issue.message,
        fix: 'a host (`peer.example.org`, `*.example.org`, optional `:port`) or a CIDR network',
      })),
    );
  }
  return { policy: compiled.policy, trustedProxies: proxies.networks };
}
