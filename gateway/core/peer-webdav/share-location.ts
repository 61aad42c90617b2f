/**
 * Where an incoming share's WebDAV lives (ocm-versions §3.2 `webdav.uri`, §5): a relative uri is a
 * key below the peer's discovered WebDAV root, an absolute one is taken as is but only on the
 * peer's own hosts; a legacy share (no uri) is the WebDAV root itself (legacy-protocols §1.10).
 */
import type { AddressResult } from '../address/index.ts';
import { samePeerHost } from './same-peer-host.ts';

/** What discovery and the share record say about the peer. */
export interface ShareLocationInput {
  /** `webdav.uri` as the peer sent it; undefined for a legacy `options` share. */
  readonly webdavUri: string | undefined;
  /** The peer's WebDAV root as an absolute URL (discovery `resourceTypes[file].protocols.webdav`). */
  readonly webdavRoot: string;
  /** `host[:port]` the share is recorded under. */
  readonly peerHost: string;
  /**
   * Other absolute URLs of the same peer (discovery base URL, `endPoint`): their hosts may serve
   * the share too. Sub-domains of the peer host are accepted as well.
   */
  readonly peerUrls: readonly string[];
}

export interface ShareLocation {
  /** Absolute URL of the share root, without a trailing slash (unless it is the origin root). */
  readonly base: string;
  /** `legacy`: no `webdav.uri` (Basic with the secret); `uri`: a 1.1+ share (Bearer). */
  readonly style: 'legacy' | 'uri';
}

const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

function asUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function fail(message: string): AddressResult<ShareLocation> {
  return { ok: false, issues: [{ field: 'protocol.webdavUri', message }] };
}

/** True when `host` is the peer, one of its advertised hosts, or a sub-domain of the peer. */
export function isPeerOwnHost(url: URL, peerHost: string, peerUrls: readonly string[]): boolean {
  const authority = url.host.toLowerCase();
  if (samePeerHost(authority, peerHost)) return true;
  for (const other of peerUrls) {
    const parsed = asUrl(other);
    if (parsed !== undefined && parsed.host.toLowerCase() === authority) return true;
  }
  const peerName = peerHost.replace(/:\d+$/, '').toLowerCase();
  // A sub-domain of the peer (files.cloud.example.org for cloud.example.org) is the same site;
  // IP literals have no sub-domains.
  return !peerName.startsWith('[') && !/^[\d.]+$/.test(peerName)
    ? url.hostname.toLowerCase().endsWith(`.${peerName}`)
    : false;
}

export function resolveShareLocation(input: ShareLocationInput): AddressResult<ShareLocation> {
  const root = asUrl(input.webdavRoot);
  if (root === undefined || (root.protocol !== 'https:' && root.protocol !== 'http:')) {
    return {
      ok: false,
      issues: [{ field: 'webdavRoot', message: 'is not an absolute http(s) URL' }],
    };
  }
  root.search = '';
  root.hash = '';
  const rootText = `${root.origin}${trimSlashes(root.pathname)}`;
  const uri = input.webdavUri?.trim();
  if (uri === undefined || uri === '')
    return { ok: true, value: { base: rootText, style: 'legacy' } };
  if (HAS_SCHEME.test(uri)) {
    const absolute = asUrl(uri);
    if (absolute === undefined) return fail('is not a valid URI');
    if (absolute.protocol !== 'https:' && absolute.protocol !== 'http:') {
      return fail('must be an http(s) URL');
    }
    if (absolute.username !== '' || absolute.password !== '') {
      return fail('must not carry credentials');
    }
    if (!isPeerOwnHost(absolute, input.peerHost, [input.webdavRoot, ...input.peerUrls])) {
      return fail(`points to ${absolute.host}, which is not a host of peer ${input.peerHost}`);
    }
    // Sub-paths are appended to the uri's path: a query would end up in the middle.
    if (absolute.search !== '') return fail('must not have a query');
    return {
      ok: true,
      value: { base: `${absolute.origin}${trimSlashes(absolute.pathname)}`, style: 'uri' },
    };
  }
  if (/[?#\\]/.test(uri)) return fail('must be a path key without query, fragment or backslash');
  const rootPath = trimSlashes(root.pathname);
  // A uri that already names the full path on the peer (`/webdav/<key>`) is taken from the origin;
  // anything else is a key below the root (pre-1.2: "a key appended to the discovery path").
  const path =
    uri.startsWith('/') && rootPath !== '' && (uri === rootPath || uri.startsWith(`${rootPath}/`))
      ? uri
      : `${rootPath}/${uri.replace(/^\/+/, '')}`;
  const resolved = asUrl(`${root.origin}${path}`);
  if (resolved === undefined) return fail('does not form a valid URL below the WebDAV root');
  const resolvedPath = trimSlashes(resolved.pathname);
  if (resolvedPath !== rootPath && !resolvedPath.startsWith(`${rootPath}/`)) {
    return fail('leaves the peer WebDAV root');
  }
  return { ok: true, value: { base: `${root.origin}${resolvedPath}`, style: 'uri' } };
}
