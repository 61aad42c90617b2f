/**
 * The special-purpose address blocks (IANA IPv4/IPv6 Special-Purpose Address Registries,
 * RFC 6890 and successors) and the well-known cloud metadata endpoints, as data.
 */

/** What an address is, as far as "may the gateway connect to it for a peer" is concerned. */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'carrier-grade-nat'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'invalid';

/** A block whose class is fixed. */
export interface FixedRange {
  readonly cidr: string;
  readonly addressClass: AddressClass;
}

/** How an IPv6 block carries an IPv4 address (the host that is really reached). */
export type Ipv4Embedding = 'last-32' | '6to4' | 'teredo';

/**
 * A block that embeds an IPv4 address: the embedded address's class wins when it is not public;
 * `outer` is the class when it is (for example IPv4-compatible `::8.8.8.8` is not routable).
 */
export interface EmbeddingRange {
  readonly cidr: string;
  readonly embedding: Ipv4Embedding;
  readonly outer: AddressClass;
}

export const IPV4_RANGES: readonly FixedRange[] = [
  { cidr: '0.0.0.0/32', addressClass: 'unspecified' },
  { cidr: '0.0.0.0/8', addressClass: 'reserved' },
  { cidr: '10.0.0.0/8', addressClass: 'private' },
  { cidr: '100.64.0.0/10', addressClass: 'carrier-grade-nat' },
  { cidr: '127.0.0.0/8', addressClass: 'loopback' },
  { cidr: '169.254.0.0/16', addressClass: 'link-local' },
  { cidr: '172.16.0.0/12', addressClass: 'private' },
  // IETF protocol assignments; the two globally reachable anycast /32s in it are no peers.
  { cidr: '192.0.0.0/24', addressClass: 'reserved' },
  { cidr: '192.0.2.0/24', addressClass: 'documentation' },
  { cidr: '192.88.99.0/24', addressClass: 'reserved' },
  { cidr: '192.168.0.0/16', addressClass: 'private' },
  { cidr: '198.18.0.0/15', addressClass: 'benchmarking' },
  { cidr: '198.51.100.0/24', addressClass: 'documentation' },
  { cidr: '203.0.113.0/24', addressClass: 'documentation' },
  { cidr: '224.0.0.0/4', addressClass: 'multicast' },
  { cidr: '240.0.0.0/4', addressClass: 'reserved' },
  { cidr: '255.255.255.255/32', addressClass: 'broadcast' },
];

export const IPV6_RANGES: readonly FixedRange[] = [
  { cidr: '::/128', addressClass: 'unspecified' },
  { cidr: '::1/128', addressClass: 'loopback' },
  // Local-use NAT64 prefix (RFC 8215): where the IPv4 address sits is site-specific.
  { cidr: '64:ff9b:1::/48', addressClass: 'private' },
  { cidr: '100::/64', addressClass: 'reserved' },
  { cidr: '2001::/23', addressClass: 'reserved' },
  { cidr: '2001:2::/48', addressClass: 'benchmarking' },
  { cidr: '2001:db8::/32', addressClass: 'documentation' },
  { cidr: '3fff::/20', addressClass: 'documentation' },
  { cidr: '5f00::/16', addressClass: 'reserved' },
  { cidr: 'fc00::/7', addressClass: 'unique-local' },
  { cidr: 'fe80::/10', addressClass: 'link-local' },
  // Deprecated site-local (RFC 3879): still routed inside some old networks.
  { cidr: 'fec0::/10', addressClass: 'private' },
  { cidr: 'ff00::/8', addressClass: 'multicast' },
];

export const IPV6_EMBEDDING_RANGES: readonly EmbeddingRange[] = [
  { cidr: '::ffff:0:0/96', embedding: 'last-32', outer: 'public' },
  { cidr: '::/96', embedding: 'last-32', outer: 'reserved' },
  { cidr: '::ffff:0:0:0/96', embedding: 'last-32', outer: 'reserved' },
  { cidr: '64:ff9b::/96', embedding: 'last-32', outer: 'public' },
  { cidr: '2001::/32', embedding: 'teredo', outer: 'public' },
  { cidr: '2002::/16', embedding: '6to4', outer: 'public' },
];

/** Global unicast (RFC 4291 §2.4); everything else not listed above is unassigned. */
export const IPV6_GLOBAL_UNICAST = '2000::/3';

/**
 * Instance metadata services: reaching one from a peer URL leaks cloud credentials. Several sit
 * in blocks that are otherwise public (Azure's wire server) or merely "CGN" (Alibaba).
 */
export const METADATA_ADDRESSES: readonly string[] = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, Hetzner, Oracle, …
  '169.254.170.2', // AWS ECS task credentials
  '169.254.170.23', // AWS EKS pod identity
  '169.254.0.23', // Tencent Cloud
  '100.100.100.200', // Alibaba Cloud
  '168.63.129.16', // Azure wire server / host agent
  '192.0.0.192', // Oracle Cloud Classic
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23', // AWS EKS pod identity over IPv6
  'fd20:ce::254', // GCP metadata over IPv6
];
