/**
 * Which redirects a peer call follows (Fetch Standard §4.4 method rules) and what it forwards.
 * Same-site rule, without a public-suffix list: the target host must be the original host with a
 * leading `www.` removed, or a subdomain of that. IP-literal hosts only redirect to themselves.
 */
import { parseIpAddress } from './ip-address.ts';

export type RedirectDecision =
  | {
      readonly follow: true;
      readonly url: URL;
      readonly method: string;
      /** False when the method changed to GET: the body is dropped with its headers. */
      readonly keepBody: boolean;
    }
  | { readonly follow: false; readonly reason: string };

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Credentials and request signatures are bound to one origin; they never follow a redirect away. */
const ORIGIN_BOUND_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'signature',
  'signature-input',
];
const BODY_HEADERS = ['content-type', 'content-length', 'content-digest', 'digest'];

export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

function bareHost(hostname: string): string {
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return host.toLowerCase();
}

function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || parseIpAddress(host) !== undefined;
}

/** True when `target` is on the same site as the original request's host (rule in the header). */
export function isSameSite(originalHost: string, targetHost: string): boolean {
  const original = bareHost(originalHost);
  const target = bareHost(targetHost);
  if (original === target) return true;
  if (isIpLiteral(original) || isIpLiteral(target)) return false;
  const root = original.startsWith('www.') ? original.slice(4) : original;
  // A bare "www." host (no dot in the rest) would make a TLD the root.
  if (!root.includes('.')) return false;
  return target === root || target.endsWith(`.${root}`);
}

export function decideRedirect(input: {
  readonly original: URL;
  readonly current: URL;
  readonly status: number;
  readonly location: string | undefined;
  readonly method: string;
}): RedirectDecision {
  if (input.location === undefined || input.location.trim() === '') {
    return { follow: false, reason: 'the redirect has no Location' };
  }
  let url: URL;
  try {
    url = new URL(input.location.trim(), input.current);
  } catch {
    return { follow: false, reason: 'the redirect Location is not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { follow: false, reason: `the redirect goes to a ${url.protocol} URL` };
  }
  if (input.current.protocol === 'https:' && url.protocol === 'http:') {
    return { follow: false, reason: 'the redirect downgrades https to http' };
  }
  if (url.username !== '' || url.password !== '') {
    return { follow: false, reason: 'the redirect Location carries credentials' };
  }
  if (!isSameSite(input.original.hostname, url.hostname)) {
    return { follow: false, reason: `the redirect leaves the peer's site (to ${url.hostname})` };
  }
  url.hash = '';
  const method = input.method.toUpperCase();
  const toGet =
    (input.status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((input.status === 301 || input.status === 302) && method === 'POST');
  return toGet
    ? { follow: true, url, method: 'GET', keepBody: false }
    : { follow: true, url, method, keepBody: true };
}

/** The request headers for the next hop: origin-bound ones only if it stays on the original origin. */
export function headersForRedirect(
  headers: Readonly<Record<string, string | readonly string[]>>,
  options: { readonly original: URL; readonly next: URL; readonly keepBody: boolean },
): Record<string, string | readonly string[]> {
  const sameOrigin = options.original.origin === options.next.origin;
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!sameOrigin && ORIGIN_BOUND_HEADERS.includes(lower)) continue;
    if (!options.keepBody && BODY_HEADERS.includes(lower)) continue;
    out[name] = value;
  }
  return out;
}
