/** Maps URLs and request targets between the public side (what clients see) and the backend (RFC 3986 path-prefix mapping). */

/** One side of the mapping: an origin and a path prefix without trailing slash ('' for the root). */
export interface UrlBase {
  readonly origin: string;
  readonly prefix: string;
}

export interface UrlMapping {
  readonly public: UrlBase;
  readonly backend: UrlBase;
}

export function createUrlMapping(publicUrl: URL, backendUrl: URL): UrlMapping {
  return { public: toBase(publicUrl), backend: toBase(backendUrl) };
}

function toBase(url: URL): UrlBase {
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/**
 * Replaces the `from` prefix of a path-absolute reference (path, query, fragment) by `to`.
 * Undefined when the reference is not under `from`; the prefix only matches whole segments.
 */
export function mapPathPrefix(reference: string, from: string, to: string): string | undefined {
  if (!reference.startsWith('/') || reference.startsWith('//')) return undefined;
  if (!reference.startsWith(from)) return undefined;
  const rest = reference.slice(from.length);
  if (rest !== '' && !'/?#'.includes(rest.charAt(0))) return undefined;
  const mapped = to + rest;
  return mapped.startsWith('/') ? mapped : `/${mapped}`;
}

// Splits an absolute URL into "scheme://authority" and the rest without re-serialising the rest:
// a WHATWG URL round trip would normalise dot segments and percent-encoding, which must reach the
// other side exactly as the client or the backend wrote them.
const ABSOLUTE_URL = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/is;

/**
 * Rewrites a URL reference that points into `from` so that it points into `to`.
 * Absolute URLs must carry `from`'s origin; path-absolute references keep their form.
 * Undefined when the reference points elsewhere (another host, outside the prefix, unparsable).
 */
export function mapUrlReference(reference: string, from: UrlBase, to: UrlBase): string | undefined {
  if (reference.startsWith('/')) return mapPathPrefix(reference, from.prefix, to.prefix);
  const match = ABSOLUTE_URL.exec(reference);
  if (match === null) return undefined;
  const authority = match[1] ?? '';
  const rest = match[2] ?? '';
  if (originOf(authority) !== from.origin) return undefined;
  const path = rest.startsWith('/') ? rest : `/${rest}`;
  const mapped = mapPathPrefix(path, from.prefix, to.prefix);
  return mapped === undefined ? undefined : to.origin + mapped;
}

function originOf(schemeAndAuthority: string): string | undefined {
  try {
    return new URL(schemeAndAuthority).origin;
  } catch {
    return undefined;
  }
}
