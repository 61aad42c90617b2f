/**
 * ownCloud 10's `Address` rule (legacy-protocols.md §5): split at the last `@` of the whole
 * string; the origin is lower-cased (path included) and loses `?query`, `#frag`, `/index.php…`
 * and trailing `/`.
 */
import { addressFail, addressOk, type AddressResult } from './address-result.ts';
import type { CloudId } from './cloud-id.ts';
import { parseServerLocation } from './server-location.ts';

export interface OwncloudAddress extends CloudId {
  /** The origin as ownCloud stores it: lower-cased, scheme kept if given, no trailing slash. */
  readonly origin: string;
}

const CONTROL = /\p{Cc}/u;

export function parseOwncloudAddress(
  input: unknown,
  field = 'cloudId',
): AddressResult<OwncloudAddress> {
  if (typeof input !== 'string' || input === '') {
    return addressFail(field, 'must be a non-empty string like user@host');
  }
  if (CONTROL.test(input)) return addressFail(field, 'contains control characters');
  const at = input.lastIndexOf('@');
  if (at < 0) return addressFail(field, 'needs "user@host": there is no "@"');
  const user = input.slice(0, at);
  if (user === '') return addressFail(field, 'the user part before "@" is empty');
  let origin = input.slice(at + 1);
  const queryAt = origin.search(/[?#]/);
  if (queryAt >= 0) origin = origin.slice(0, queryAt);
  const index = origin.indexOf('/index.php');
  if (index >= 0) origin = origin.slice(0, index);
  origin = origin.replace(/\/+$/, '').toLowerCase();
  const server = parseServerLocation(origin, field);
  if (!server.ok) return server;
  return addressOk({ user, server: server.value, origin });
}
