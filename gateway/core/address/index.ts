/** Public surface of the address module: cloud IDs, OCM addresses, legacy `remote` URLs. */
export type { AddressResult } from './address-result.ts';
export { formatAuthority, parseAuthority, type Authority } from './authority.ts';
export {
  formatCloudId,
  parseCloudId,
  sameCloudId,
  type CloudId,
  type CloudIdOptions,
} from './cloud-id.ts';
export { parseOcmAddress } from './ocm-address.ts';
export { parseOwncloudAddress, type OwncloudAddress } from './owncloud-address.ts';
export { normalizeRemoteUrl, type RemoteUrl } from './remote-url.ts';
export {
  formatServerBase,
  formatServerForCloudId,
  formatServerUrl,
  parseServerLocation,
  sameServer,
  type ServerLocation,
  type ServerScheme,
} from './server-location.ts';
