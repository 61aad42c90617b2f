/**
 * Who is calling, as the federation guards see it before the body is read: the claimed peer host
 * (signature key id) and the client address (X-Forwarded-For only from trusted proxies).
 * Computed once per request and shared by peerPolicy and rateLimit.
 */
import type { Request } from 'express';
import type { IpNetwork } from '../../core/network/cidr.ts';
import { claimedPeerHost } from '../../core/policy/claimed-peer-host.ts';
import { resolveClientAddress } from '../../core/policy/client-address.ts';
import type { PeerCaller } from '../../core/policy/peer-policy.ts';

const callers = new WeakMap<Request, PeerCaller>();

export function callerOf(req: Request, trustedProxies: readonly IpNetwork[]): PeerCaller {
  const known = callers.get(req);
  if (known !== undefined) return known;
  const caller: PeerCaller = {
    host: claimedPeerHost(req.headers),
    address: resolveClientAddress(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
      trustedProxies,
    ),
  };
  callers.set(req, caller);
  return caller;
}
