/**
 * Where a proxied request is going: parsed from an absolute-form request target (RFC 9112 §3.2.2)
 * or a CONNECT authority (RFC 9110 §9.3.6) plus the inner request's origin-form path.
 */
import { GatewayError } from '../../core/errors/gateway-error.ts';

export interface ProxyTarget {
  readonly scheme: 'http' | 'https';
  /** Lower-case, without brackets or a trailing dot: what DNS, SNI and certificates use. */
  readonly hostname: string;
  readonly port: number;
  /** URL authority: host, brackets for IPv6, `:port` only when not the scheme's default. */
  readonly authority: string;
  readonly pathname: string;
  /** `?…` or empty. */
  readonly search: string;
}

export interface ConnectAuthority {
  readonly hostname: string;
  readonly port: number;
}

const AUTHORITY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})$/;

function invalid(field: string, message: string): GatewayError {
  return new GatewayError('INVALID_REQUEST', `forward proxy: ${field} ${message}`, {
    issues: [{ field, message }],
  });
}

function bareHost(hostname: string): string {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return (bare.endsWith('.') ? bare.slice(0, -1) : bare).toLowerCase();
}

function fromUrl(url: URL): ProxyTarget {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  return {
    scheme,
    hostname: bareHost(url.hostname),
    port: url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port),
    authority: url.host.toLowerCase(),
    pathname: url.pathname,
    search: url.search,
  };
}

/** True for `http://…` / `https://…` request targets (a proxy request), false for `/path`. */
export function isAbsoluteForm(requestTarget: string | undefined): boolean {
  return requestTarget !== undefined && /^https?:\/\//i.test(requestTarget);
}

export function parseAbsoluteForm(requestTarget: string): ProxyTarget {
  let url: URL;
  try {
    url = new URL(requestTarget);
  } catch {
    throw invalid('request-target', 'is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('request-target', 'must be an http or https URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('request-target', 'must not carry credentials');
  }
  if (url.hostname === '') throw invalid('request-target', 'has no host');
  return fromUrl(url);
}

/** `host:port` as CONNECT sends it; the port is required. */
export function parseConnectAuthority(text: string | undefined): ConnectAuthority {
  const match = AUTHORITY.exec(text ?? '');
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port >= 1 && port <= 65535)) {
    throw invalid('authority', 'must be host:port (IPv6 in brackets)');
  }
  let url: URL;
  try {
    url = new URL(`https://${match[1]}:${port}/`);
  } catch {
    throw invalid('authority', 'is not a valid host');
  }
  return { hostname: bareHost(url.hostname), port };
}

/** The target of a request read inside an intercepted (or plain) CONNECT tunnel. */
export function tunnelTarget(
  authority: ConnectAuthority,
  scheme: 'http' | 'https',
  requestTarget: string | undefined,
): ProxyTarget {
  const host = authority.hostname.includes(':') ? `[${authority.hostname}]` : authority.hostname;
  const base = new URL(`${scheme}://${host}:${authority.port}/`);
  // The tunnel fixes the authority; a Host header or absolute target inside it cannot change it.
  let path: URL;
  try {
    path = new URL(requestTarget ?? '/', 'http://placeholder');
  } catch {
    throw invalid('request-target', 'is not a valid path');
  }
  base.pathname = path.pathname;
  base.search = path.search;
  return fromUrl(base);
}
