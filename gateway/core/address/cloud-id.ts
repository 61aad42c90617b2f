/**
 * Federated cloud IDs, split the ownCloud ≥ 8.1 `splitUserRemote` / Nextcloud
 * `CloudIdManager::resolveCloudId` way (legacy-protocols.md §5): at the last `@` before the first
 * `/` or `:`. So `john@example.org@cloud.example.com` and `bob@https://nc.example.org/nextcloud` work.
 */
import { addressFail, addressOk, type AddressResult } from './address-result.ts';
import {
  formatServerForCloudId,
  parseServerLocation,
  sameServer,
  type ServerLocation,
} from './server-location.ts';

export interface CloudId {
  /** The user part exactly as sent: case-sensitive, may contain `@`. */
  readonly user: string;
  readonly server: ServerLocation;
}

export interface CloudIdOptions {
  /** Tolerate surrounding whitespace and a `?query` / `#fragment` (pasted share links). */
  readonly lenient?: boolean;
}

const CONTROL = /\p{Cc}/u;

export function parseCloudId(
  input: unknown,
  field = 'cloudId',
  options: CloudIdOptions = {},
): AddressResult<CloudId> {
  if (typeof input !== 'string') return addressFail(field, 'must be a string like user@host');
  const lenient = options.lenient === true;
  const text = input.trim();
  if (text === '') return addressFail(field, 'is empty');
  if (!lenient && text !== input) return addressFail(field, 'has surrounding whitespace');
  if (CONTROL.test(text)) return addressFail(field, 'contains control characters');
  const id = text.replaceAll('\\', '/');
  const slash = id.indexOf('/');
  const colon = id.indexOf(':');
  const firstDelimiter = Math.min(slash < 0 ? id.length : slash, colon < 0 ? id.length : colon);
  const at = firstDelimiter === 0 ? -1 : id.lastIndexOf('@', firstDelimiter - 1);
  if (at < 0) {
    return addressFail(field, 'needs "user@host": no "@" before the first "/" or ":"');
  }
  const user = id.slice(0, at);
  if (user === '') return addressFail(field, 'the user part before "@" is empty');
  const server = parseServerLocation(id.slice(at + 1), field, { dropQuery: lenient });
  if (!server.ok) return server;
  return addressOk({ user, server: server.value });
}

/** `user@host[:port][/path]`, with `http://` kept and `https://` implied (Nextcloud display form). */
export function formatCloudId(cloudId: CloudId): string {
  return `${cloudId.user}@${formatServerForCloudId(cloudId.server)}`;
}

/** Same account? The user part is compared exactly (case-sensitive), the server by `sameServer`. */
export function sameCloudId(a: CloudId, b: CloudId): boolean {
  return a.user === b.user && sameServer(a.server, b.server);
}
