/**
 * OCM Address in its strict I-D-05 form (ocm-versions.md §1): `identifier "@" host [":" port]`,
 * split on the last `@`, no scheme and no path. Peers that send scheme or path need `parseCloudId`.
 */
import { addressFail, addressOk, type AddressResult } from './address-result.ts';
import { parseAuthority } from './authority.ts';
import type { CloudId } from './cloud-id.ts';

const CONTROL = /\p{Cc}/u;

export function parseOcmAddress(input: unknown, field = 'address'): AddressResult<CloudId> {
  if (typeof input !== 'string' || input === '') {
    return addressFail(field, 'must be a non-empty string like user@host');
  }
  if (CONTROL.test(input)) return addressFail(field, 'contains control characters');
  const at = input.lastIndexOf('@');
  if (at < 0) return addressFail(field, 'needs "identifier@host": there is no "@"');
  const user = input.slice(0, at);
  if (user === '') return addressFail(field, 'the identifier before "@" is empty');
  const hostPart = input.slice(at + 1);
  if (/[/?#\s\\]/.test(hostPart)) {
    return addressFail(field, 'an OCM address has no scheme, path, query or whitespace after "@"');
  }
  const authority = parseAuthority(hostPart, field);
  if (!authority.ok) return authority;
  return addressOk({
    user,
    server: { scheme: 'https', schemeExplicit: false, ...authority.value, path: '' },
  });
}
