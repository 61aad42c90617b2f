/** Public surface of the network module: IP parsing, address classes, CIDR lists, the SSRF rules. */
export {
  classifyAddress,
  classifyIp,
  embeddedIpv4,
  isPublicAddress,
  type AddressClass,
} from './address-class.ts';
export { isBadPort } from './bad-ports.ts';
export {
  anyNetworkContains,
  formatNetwork,
  networkContains,
  parseCidr,
  parseCidrList,
  type CidrResult,
  type IpNetwork,
} from './cidr.ts';
export { canonicalHost, hostListMatches, parseHostList, type HostPattern } from './host-list.ts';
export {
  formatIpAddress,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
  unmapIpv4,
  type IpAddress,
  type ParseIpOptions,
} from './ip-address.ts';
export { parseLegacyIpv4 } from './legacy-ipv4.ts';
export {
  evaluatePeerAddress,
  evaluatePeerAddresses,
  type AddressRefusalRule,
  type AddressVerdict,
  type PeerAddressPolicy,
} from './peer-address-policy.ts';
export {
  decideRedirect,
  headersForRedirect,
  isRedirectStatus,
  isSameSite,
  type RedirectDecision,
} from './redirect-policy.ts';
