/**
 * The SSRF rule for outgoing calls to peers: which resolved addresses the gateway may connect to.
 * Every address a name resolves to must pass; one refused address refuses the name.
 */
import { anyNetworkContains, type IpNetwork } from './cidr.ts';
import { classifyIp, embeddedIpv4, type AddressClass } from './address-class.ts';
import { formatIpAddress, parseIpAddress } from './ip-address.ts';

export interface PeerAddressPolicy {
  /** GATEWAY_ALLOW_PRIVATE_PEERS: labs and tests where peers live on private/loopback addresses. */
  readonly allowPrivatePeers: boolean;
  /** The operator listed this host by name: it may be on a private address. */
  readonly hostAllowlisted: boolean;
  /** Non-public networks peers may be on (an internal partner network). */
  readonly allowNetworks: readonly IpNetwork[];
  /** Never connected to, whatever else says; wins over every allowance. */
  readonly denyNetworks: readonly IpNetwork[];
}

export type AddressRefusalRule =
  'deny-network' | 'never-connectable' | 'metadata' | 'non-public' | 'no-address';

export type AddressVerdict =
  | { readonly allowed: true; readonly address: string; readonly addressClass: AddressClass }
  | {
      readonly allowed: false;
      readonly address: string;
      readonly addressClass: AddressClass;
      readonly rule: AddressRefusalRule;
      /** Names the address and its class; safe to log and to show to the caller. */
      readonly reason: string;
    };

// Nothing sensible listens there for a peer: 0.0.0.0 even reaches the local host on Linux.
const NEVER_CONNECTABLE: ReadonlySet<AddressClass> = new Set([
  'invalid',
  'unspecified',
  'multicast',
  'broadcast',
]);

function refuse(
  address: string,
  addressClass: AddressClass,
  rule: AddressRefusalRule,
  why: string,
): AddressVerdict {
  return {
    allowed: false,
    address,
    addressClass,
    rule,
    reason: `${address} (${addressClass}) ${why}`,
  };
}

export function evaluatePeerAddress(ip: string, policy: PeerAddressPolicy): AddressVerdict {
  const parsed = parseIpAddress(ip, { legacyIpv4: true });
  if (parsed === undefined)
    return refuse(ip, 'invalid', 'never-connectable', 'is not an IP address');
  const address = formatIpAddress(parsed);
  const addressClass = classifyIp(parsed);
  const inner = embeddedIpv4(parsed);
  if (
    anyNetworkContains(policy.denyNetworks, parsed) ||
    (inner !== undefined && anyNetworkContains(policy.denyNetworks, inner))
  ) {
    return refuse(address, addressClass, 'deny-network', 'is in a denied network');
  }
  if (NEVER_CONNECTABLE.has(addressClass)) {
    return refuse(address, addressClass, 'never-connectable', 'is never a peer address');
  }
  // No allowance unlocks metadata endpoints: no peer lives there, and a wide allowNetworks entry
  // (0.0.0.0/0) must not quietly expose cloud credentials.
  if (addressClass === 'metadata') {
    return refuse(address, addressClass, 'metadata', 'is a cloud metadata endpoint');
  }
  if (addressClass === 'public') return { allowed: true, address, addressClass };
  if (policy.allowPrivatePeers || policy.hostAllowlisted) {
    return { allowed: true, address, addressClass };
  }
  if (anyNetworkContains(policy.allowNetworks, parsed)) {
    return { allowed: true, address, addressClass };
  }
  return refuse(address, addressClass, 'non-public', 'is not a public address');
}

/**
 * Judges every address a name resolved to. All must pass: a name that mixes public and internal
 * addresses is a misconfiguration or a rebinding attempt, and refusing it does not depend on the
 * order the resolver happened to return.
 */
export function evaluatePeerAddresses(
  addresses: readonly string[],
  policy: PeerAddressPolicy,
): AddressVerdict {
  if (addresses.length === 0) {
    return refuse('(none)', 'invalid', 'no-address', 'the name resolved to no address');
  }
  let first: AddressVerdict | undefined;
  for (const ip of addresses) {
    const verdict = evaluatePeerAddress(ip, policy);
    if (!verdict.allowed) return verdict;
    first ??= verdict;
  }
  return first ?? refuse('(none)', 'invalid', 'no-address', 'the name resolved to no address');
}
