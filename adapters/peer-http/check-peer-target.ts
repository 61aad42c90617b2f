/**
 * The SSRF guard for one hop: scheme, port, then every address the host resolves to. What it
 * returns is the only thing the hop may connect to (see pinned-lookup.ts).
 */
import {
  evaluatePeerAddresses,
  hostListMatches,
  isBadPort,
  parseIpAddress,
  formatIpAddress,
} from '../../gateway/core/network/index.ts';
import { PeerRequestError, peerErrorFromNode } from './peer-request-error.ts';
import type { PeerLookup, ResolvedAddress } from './peer-http-types.ts';
import type { PeerHttpSettings } from './peer-http-settings.ts';

export interface PeerTarget {
  readonly url: URL;
  /** Host name without brackets or trailing dot: what DNS, SNI and the certificate check use. */
  readonly hostname: string;
  readonly port: number;
  /** `scheme://host:port`, for messages and agent keys. */
  readonly origin: string;
}

export function describeTarget(url: URL): PeerTarget {
  const bare = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const hostname = bare.endsWith('.') ? bare.slice(0, -1) : bare;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { url, hostname, port, origin: `${url.protocol}//${url.host}` };
}

/** Scheme and port rules, before any DNS query is made. */
export function checkSchemeAndPort(target: PeerTarget, settings: PeerHttpSettings): void {
  const { url, origin } = target;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PeerRequestError('scheme-refused', `${url.protocol} URLs are not peer URLs`, {
      origin,
    });
  }
  if (
    url.protocol === 'http:' &&
    !settings.allowPrivatePeers &&
    !hostListMatches(settings.allowHttpHosts, url.hostname, target.port)
  ) {
    throw new PeerRequestError(
      'scheme-refused',
      'plain http is refused; peers must use https unless listed in allowHttpHosts',
      { origin },
    );
  }
  if (isBadPort(target.port)) {
    throw new PeerRequestError('port-refused', `port ${target.port} is never used for peers`, {
      origin,
    });
  }
}

async function resolve(
  target: PeerTarget,
  lookup: PeerLookup,
): Promise<readonly ResolvedAddress[]> {
  const literal = parseIpAddress(target.hostname);
  if (literal !== undefined) {
    return [{ address: formatIpAddress(literal), family: literal.family }];
  }
  try {
    return await lookup(target.hostname);
  } catch (error) {
    throw peerErrorFromNode(error, target.origin);
  }
}

/** Resolves once and judges every answer; returns the addresses the hop may connect to. */
export async function checkPeerAddresses(
  target: PeerTarget,
  settings: PeerHttpSettings,
  lookup: PeerLookup,
): Promise<readonly ResolvedAddress[]> {
  const addresses = await resolve(target, lookup);
  const verdict = evaluatePeerAddresses(
    addresses.map((a) => a.address),
    {
      allowPrivatePeers: settings.allowPrivatePeers,
      hostAllowlisted: hostListMatches(settings.allowlistedHosts, target.url.hostname, target.port),
      allowNetworks: settings.allowNetworks,
      denyNetworks: settings.denyNetworks,
    },
  );
  if (!verdict.allowed) {
    const message =
      verdict.rule === 'no-address'
        ? 'the host name resolved to no address'
        : `refused: the host resolves to a ${verdict.addressClass} address (${verdict.rule})`;
    throw new PeerRequestError('address-refused', message, {
      origin: target.origin,
      addressClass: verdict.addressClass,
      address: verdict.address,
    });
  }
  // Connect to the very strings that were judged, in canonical form.
  return addresses.map((a) => {
    const parsed = parseIpAddress(a.address, { legacyIpv4: true });
    return parsed === undefined ? a : { address: formatIpAddress(parsed), family: parsed.family };
  });
}
