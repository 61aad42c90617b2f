/**
 * Where a peer lives on the internal listener (DESIGN §3 "facade"): `<facade base>/peers/<host[:port]>/`,
 * the URL given to the backend as the legacy `remote` of every share a peer sends it.
 */
import type { AddressResult } from '../address/index.ts';
import { normalisePeerHost } from './peer-host.ts';

export const FACADE_PEERS_SEGMENT = 'peers';

const SUB_PATH = /^(?:\/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*\/?$/;

/**
 * `<facade base>/peers/<host[:port]>[/<sub-path>]/`: lower-cased host, IPv6 bracketed, trailing
 * slash. `peerPath` is a peer's install sub-path (`/nextcloud`): the facade serves the peer's
 * calls below it and discovers the peer there.
 */
export function facadeUrlFor(
  peerHost: string,
  facadeBaseUrl: string,
  peerPath = '',
): AddressResult<string> {
  const host = normalisePeerHost(peerHost);
  if (!host.ok) return host;
  const path = peerPath.replace(/\/+$/, '');
  if (
    !SUB_PATH.test(path) ||
    path.split('/').some((segment) => segment === '.' || segment === '..')
  ) {
    return { ok: false, issues: [{ field: 'peerPath', message: 'must be a plain /sub/path' }] };
  }
  const base = facadeBaseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(base)) {
    return {
      ok: false,
      issues: [{ field: 'facadeBaseUrl', message: 'must be an absolute http(s) URL' }],
    };
  }
  return { ok: true, value: `${base}/${FACADE_PEERS_SEGMENT}/${host.value}${path}/` };
}

export interface FacadePath {
  /** Normalised `host[:port]`. */
  readonly peerHost: string;
  /** The rest of the path after the host, starting with `/` (`/` for the facade root). */
  readonly rest: string;
}

/**
 * Splits an internal-listener path `/peers/<host[:port]>/<rest>` (below an optional base path);
 * undefined when it is not a facade path or the host is not a valid `host[:port]`.
 */
export function matchFacadePath(pathname: string, basePath = ''): FacadePath | undefined {
  const base = basePath.replace(/\/+$/, '');
  const prefix = `${base}/${FACADE_PEERS_SEGMENT}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const tail = pathname.slice(prefix.length);
  const slash = tail.indexOf('/');
  const rawHost = slash < 0 ? tail : tail.slice(0, slash);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawHost);
  } catch {
    return undefined;
  }
  const host = normalisePeerHost(decoded);
  if (!host.ok) return undefined;
  return { peerHost: host.value, rest: slash < 0 ? '/' : tail.slice(slash) };
}
