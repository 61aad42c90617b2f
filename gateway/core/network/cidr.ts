/**
 * CIDR networks (RFC 4632 for IPv4, RFC 4291 §2.3 for IPv6) for the operator's allow/deny lists.
 * An IPv4 network also matches the IPv4-mapped IPv6 form of its addresses (`::ffff:10.0.0.1`),
 * because a dual-stack socket reaches the same host either way.
 */
import type { ValidationIssue } from '../errors/validation-issue.ts';
import { formatIpAddress, parseIpAddress, unmapIpv4, type IpAddress } from './ip-address.ts';

export interface IpNetwork {
  readonly address: IpAddress;
  readonly prefixLength: number;
}

export type CidrResult =
  | { readonly ok: true; readonly network: IpNetwork }
  | { readonly ok: false; readonly message: string };

const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

function prefixMatches(a: readonly number[], b: readonly number[], prefixLength: number): boolean {
  const full = Math.floor(prefixLength / 8);
  for (let i = 0; i < full; i += 1) if (a[i] !== b[i]) return false;
  const rest = prefixLength % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[full] ?? 0) & mask) === ((b[full] ?? 0) & mask);
}

function hasHostBits(network: IpNetwork): boolean {
  const masked = networkOf(network).address.bytes;
  return network.address.bytes.some((byte, i) => byte !== masked[i]);
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (a one-address network). Host bits must be zero. */
export function parseCidr(text: string): CidrResult {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const address = parseIpAddress(addressText);
  if (address === undefined) {
    return { ok: false, message: `"${addressText}" is not an IPv4 or IPv6 address` };
  }
  const maxPrefix = address.family === 4 ? 32 : 128;
  let prefixLength = maxPrefix;
  if (slash >= 0) {
    const prefixText = trimmed.slice(slash + 1);
    if (!PREFIX.test(prefixText))
      return { ok: false, message: 'the prefix length is not a number' };
    prefixLength = Number(prefixText);
    if (prefixLength > maxPrefix) {
      return { ok: false, message: `the prefix length must be 0–${maxPrefix} for this address` };
    }
  }
  const network = { address, prefixLength };
  if (hasHostBits(network)) {
    return {
      ok: false,
      message: `host bits are set; did you mean ${formatNetwork(networkOf(network))}?`,
    };
  }
  return { ok: true, network };
}

function networkOf(network: IpNetwork): IpNetwork {
  const bytes = network.address.bytes.map((byte, i) => {
    const bitsBefore = i * 8;
    if (bitsBefore + 8 <= network.prefixLength) return byte;
    if (bitsBefore >= network.prefixLength) return 0;
    return byte & (0xff << (8 - (network.prefixLength - bitsBefore))) & 0xff;
  });
  return { address: { family: network.address.family, bytes }, prefixLength: network.prefixLength };
}

export function formatNetwork(network: IpNetwork): string {
  return `${formatIpAddress(network.address)}/${network.prefixLength}`;
}

/** Parses a configured list; every bad entry is reported with its index, none is skipped silently. */
export function parseCidrList(
  entries: readonly string[],
  field: string,
): { readonly networks: readonly IpNetwork[]; readonly issues: readonly ValidationIssue[] } {
  const networks: IpNetwork[] = [];
  const issues: ValidationIssue[] = [];
  entries.forEach((entry, index) => {
    const result = parseCidr(entry);
    if (result.ok) networks.push(result.network);
    else issues.push({ field: `${field}.${index}`, message: result.message });
  });
  return { networks, issues };
}

/** True when `address` lies in `network` (mapped IPv4 and plain IPv4 are the same address). */
export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  const candidate = network.address.family === 4 ? unmapIpv4(address) : address;
  let bytes = candidate.bytes;
  if (network.address.family === 6 && candidate.family === 4) {
    bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...candidate.bytes];
  } else if (network.address.family !== candidate.family) {
    return false;
  }
  return prefixMatches(network.address.bytes, bytes, network.prefixLength);
}

export function anyNetworkContains(networks: readonly IpNetwork[], address: IpAddress): boolean {
  return networks.some((network) => networkContains(network, address));
}
