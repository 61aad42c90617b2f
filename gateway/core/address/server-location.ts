/**
 * The server half of a federated cloud ID or legacy `remote` URL (legacy-protocols.md §5):
 * scheme (https by default, as Nextcloud's ensureDefaultProtocol), host, port, sub-path.
 */
import { addressFail, addressOk, type AddressResult } from './address-result.ts';
import { formatAuthority, parseAuthority } from './authority.ts';

export type ServerScheme = 'https' | 'http';

export interface ServerLocation {
  readonly scheme: ServerScheme;
  /** False when the input carried no scheme and https was assumed. */
  readonly schemeExplicit: boolean;
  /** Lower-cased host, IPv6 in brackets. */
  readonly host: string;
  readonly port: number | undefined;
  /** `''` or a sub-path like `/nextcloud`: no trailing slash, `/index.php…` cut off, case kept. */
  readonly path: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// Whitespace, C0/C1 controls and DEL never occur in a usable server address.
const FORBIDDEN = /[\s\p{Cc}]/u;

export interface ServerLocationOptions {
  /** Drop `?query` / `#fragment` instead of refusing them (ownCloud 10 Address, legacy `remote`). */
  readonly dropQuery?: boolean;
}

export function parseServerLocation(
  raw: string,
  field: string,
  options: ServerLocationOptions = {},
): AddressResult<ServerLocation> {
  let text = raw.replaceAll('\\', '/');
  const queryAt = text.search(/[?#]/);
  if (queryAt >= 0) {
    if (options.dropQuery !== true) {
      return addressFail(field, 'a server address cannot contain "?" or "#"');
    }
    text = text.slice(0, queryAt);
  }
  if (FORBIDDEN.test(text)) return addressFail(field, 'contains whitespace or control characters');
  let scheme: ServerScheme = 'https';
  let schemeExplicit = false;
  const schemeMatch = SCHEME.exec(text);
  if (schemeMatch) {
    const name = (schemeMatch[1] ?? '').toLowerCase();
    if (name !== 'https' && name !== 'http') {
      return addressFail(field, `the scheme "${name}" is not http or https`);
    }
    scheme = name;
    schemeExplicit = true;
    text = text.slice(schemeMatch[0].length);
  }
  const slash = text.indexOf('/');
  const authorityText = slash < 0 ? text : text.slice(0, slash);
  if (authorityText.includes('@')) {
    return addressFail(field, 'user info ("…@") is not allowed in a server address');
  }
  const authority = parseAuthority(authorityText, field);
  if (!authority.ok) return authority;
  const path = cleanPath(slash < 0 ? '' : text.slice(slash));
  return addressOk({ scheme, schemeExplicit, ...authority.value, path });
}

/** Cuts `/index.php…` (front controller, share links) and trailing slashes, as both servers do. */
function cleanPath(path: string): string {
  const index = path.indexOf('/index.php');
  const cut = index >= 0 ? path.slice(0, index) : path;
  return cut.replace(/\/+$/, '');
}

/** `https://host:port/sub` — base URL without trailing slash (OCM `endPoint` style). */
export function formatServerBase(location: ServerLocation): string {
  return `${location.scheme}://${formatAuthority(location)}${location.path}`;
}

/** `https://host:port/sub/` — the legacy `remote` form (`getAbsoluteURL('/')`, trailing slash). */
export function formatServerUrl(location: ServerLocation): string {
  return `${formatServerBase(location)}/`;
}

/** Server part of a displayed cloud id: `https://` is implied and dropped, `http://` is kept. */
export function formatServerForCloudId(location: ServerLocation): string {
  const prefix = location.scheme === 'http' ? 'http://' : '';
  return `${prefix}${formatAuthority(location)}${location.path}`;
}

const DEFAULT_PORT: Record<ServerScheme, number> = { https: 443, http: 80 };

/** Same server? Compares scheme, host, port (an explicit default port equals none) and path. */
export function sameServer(a: ServerLocation, b: ServerLocation): boolean {
  return (
    a.scheme === b.scheme &&
    a.host === b.host &&
    (a.port ?? DEFAULT_PORT[a.scheme]) === (b.port ?? DEFAULT_PORT[b.scheme]) &&
    a.path === b.path
  );
}
