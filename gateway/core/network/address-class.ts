/**
 * Classifies an IP address for the SSRF guard: public, or which kind of non-public block it is in.
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by
 * the IPv4 host they lead to, so `::ffff:10.0.0.1` is as private as `10.0.0.1`.
 */
import { networkContains, parseCidr, type IpNetwork } from './cidr.ts';
import { parseIpAddress, type IpAddress } from './ip-address.ts';
import {
  IPV4_RANGES,
  IPV6_EMBEDDING_RANGES,
  IPV6_GLOBAL_UNICAST,
  IPV6_RANGES,
  METADATA_ADDRESSES,
  type AddressClass,
  type Ipv4Embedding,
} from './special-ranges.ts';

export type { AddressClass } from './special-ranges.ts';

interface Rule {
  readonly network: IpNetwork;
  readonly addressClass: AddressClass;
  readonly embedding?: Ipv4Embedding;
}

function network(cidr: string): IpNetwork {
  const parsed = parseCidr(cidr);
  // The tables are constants checked by the tests; a typo there is a bug, not an input error.
  if (!parsed.ok) throw new Error(`special-ranges table: ${cidr}: ${parsed.message}`);
  return parsed.network;
}

const byLongestPrefix = (a: Rule, b: Rule): number =>
  b.network.prefixLength - a.network.prefixLength;

const IPV4_RULES: readonly Rule[] = IPV4_RANGES.map((r) => ({
  network: network(r.cidr),
  addressClass: r.addressClass,
})).sort(byLongestPrefix);

const IPV6_RULES: readonly Rule[] = [
  ...IPV6_RANGES.map((r) => ({ network: network(r.cidr), addressClass: r.addressClass })),
  ...IPV6_EMBEDDING_RANGES.map((r) => ({
    network: network(r.cidr),
    addressClass: r.outer,
    embedding: r.embedding,
  })),
].sort(byLongestPrefix);

const GLOBAL_UNICAST = network(IPV6_GLOBAL_UNICAST);
const METADATA: readonly IpNetwork[] = METADATA_ADDRESSES.map(network);

function extract(bytes: readonly number[], embedding: Ipv4Embedding): IpAddress {
  switch (embedding) {
    case 'last-32':
      return { family: 4, bytes: bytes.slice(12, 16) };
    case '6to4':
      return { family: 4, bytes: bytes.slice(2, 6) };
    case 'teredo':
      // RFC 4380 §4: the client's public address is stored with every bit inverted.
      return { family: 4, bytes: bytes.slice(12, 16).map((b) => b ^ 0xff) };
  }
}

function matchRule(rules: readonly Rule[], address: IpAddress): Rule | undefined {
  return rules.find((rule) => networkContains(rule.network, address));
}

/** The IPv4 address an IPv6 address leads to (mapped, compatible, NAT64, 6to4, Teredo), if any. */
export function embeddedIpv4(address: IpAddress): IpAddress | undefined {
  if (address.family === 4) return undefined;
  const rule = matchRule(IPV6_RULES, address);
  return rule?.embedding === undefined ? undefined : extract(address.bytes, rule.embedding);
}

export function classifyIp(address: IpAddress): AddressClass {
  if (address.bytes.length !== (address.family === 4 ? 4 : 16)) return 'invalid';
  if (METADATA.some((m) => m.address.family === address.family && networkContains(m, address))) {
    return 'metadata';
  }
  if (address.family === 4) return matchRule(IPV4_RULES, address)?.addressClass ?? 'public';
  const rule = matchRule(IPV6_RULES, address);
  if (rule === undefined) return networkContains(GLOBAL_UNICAST, address) ? 'public' : 'reserved';
  if (rule.embedding === undefined) return rule.addressClass;
  const inner = classifyIp(extract(address.bytes, rule.embedding));
  return inner === 'public' ? rule.addressClass : inner;
}

/**
 * Classifies IP address text. Accepts what a resolver or URL parser could hand over: dotted quads,
 * IPv6 (bracketed or with a zone) and the legacy IPv4 spellings (`127.1`, `0177.0.0.1`,
 * `2130706433`), each judged by the address it really denotes. Anything else is `'invalid'`.
 */
export function classifyAddress(ip: string): AddressClass {
  const address = parseIpAddress(ip, { legacyIpv4: true });
  return address === undefined ? 'invalid' : classifyIp(address);
}

/** True for the one class a peer may be on without an operator's explicit permission. */
export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === 'public';
}
