/**
 * Normalises the legacy `remote` form field (legacy-protocols.md §1.3, §5): senders put
 * `getAbsoluteURL('/')` there — scheme + host + port + sub-path + trailing slash.
 */
import { addressFail, addressOk, type AddressResult } from './address-result.ts';
import { formatServerUrl, parseServerLocation, type ServerLocation } from './server-location.ts';

export interface RemoteUrl {
  readonly server: ServerLocation;
  /** Canonical `remote`: `https://host[:port][/sub]/` (https assumed when no scheme was given). */
  readonly url: string;
}

export function normalizeRemoteUrl(input: unknown, field = 'remote'): AddressResult<RemoteUrl> {
  if (typeof input !== 'string') return addressFail(field, 'must be a URL string');
  const text = input.trim();
  if (text === '') return addressFail(field, 'is empty');
  const server = parseServerLocation(text, field, { dropQuery: true });
  if (!server.ok) return server;
  return addressOk({ server: server.value, url: formatServerUrl(server.value) });
}
