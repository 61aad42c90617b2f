/**
 * The caller's IP address behind reverse proxies: `X-Forwarded-For` is believed only when the
 * direct peer is a trusted proxy, and only back to the first hop that is not one (the rightmost
 * untrusted entry), so a client cannot choose its own address by sending the header itself.
 */
import { anyNetworkContains, type IpNetwork } from '../network/cidr.ts';
import { formatIpAddress, parseIpAddress, unmapIpv4 } from '../network/ip-address.ts';

/** Canonical text of the caller's address; undefined only when the socket address is unknown. */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: readonly IpNetwork[],
): string | undefined {
  const direct = socketAddress === undefined ? undefined : parseIpAddress(socketAddress);
  if (direct === undefined) return undefined;
  let client = direct;
  if (trustedProxies.length > 0 && forwardedFor !== undefined) {
    const list = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor)
      .join(',')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    for (let i = list.length - 1; i >= 0 && anyNetworkContains(trustedProxies, client); i -= 1) {
      const hop = parseIpAddress(stripPort(list[i] ?? ''));
      // A hop a trusted proxy could not have written: stop at the last address we can vouch for.
      if (hop === undefined) break;
      client = hop;
    }
  }
  return formatIpAddress(unmapIpv4(client));
}

/** `192.0.2.1:1234` and `[2001:db8::1]:1234` are written by some proxies; the port is not ours. */
function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed !== null) return bracketed[1] ?? '';
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4WithPort?.[1] ?? entry;
}
