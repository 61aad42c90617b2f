/**
 * The SSRF guard for CONNECT tunnels: the same port and address rules as every call to a peer
 * (adapters/peer-http), so a tunnel never reaches what the peer client would refuse.
 */
import {
  checkPeerAddresses,
  describeTarget,
  type PeerTarget,
} from '../../../adapters/peer-http/check-peer-target.ts';
import { defaultPeerLookup } from '../../../adapters/peer-http/default-peer-lookup.ts';
import { toPeerHttpSettings } from '../../../adapters/peer-http/peer-http-settings.ts';
import type {
  PeerHttpClientOptions,
  ResolvedAddress,
} from '../../../adapters/peer-http/peer-http-types.ts';
import { PeerRequestError } from '../../../adapters/peer-http/peer-request-error.ts';
import { isBadPort } from '../../core/network/index.ts';
import type { ConnectAuthority } from './proxy-target.ts';

/** Resolves and judges a tunnel target; rejects with a PeerRequestError (FORBIDDEN when refused). */
export type TunnelGuard = (authority: ConnectAuthority) => Promise<readonly ResolvedAddress[]>;

export function createTunnelGuard(options: PeerHttpClientOptions): TunnelGuard {
  const settings = toPeerHttpSettings(options);
  const lookup = settings.lookup ?? defaultPeerLookup;
  return async (authority) => {
    const host = authority.hostname.includes(':') ? `[${authority.hostname}]` : authority.hostname;
    const target: PeerTarget = describeTarget(new URL(`https://${host}:${authority.port}/`));
    if (isBadPort(authority.port)) {
      throw new PeerRequestError('port-refused', `port ${authority.port} is never tunnelled`, {
        origin: target.origin,
      });
    }
    return checkPeerAddresses(target, settings, lookup);
  };
}
