/**
 * Which backend a public request is for (issue 8 item 1): by its Host header, then the longest
 * public-URL path prefix among the backends on that host, then — for an OCM share on a host several
 * backends share — by the domain of the recipient's address (`shareWith`). Pure: no I/O.
 */

export interface RoutableBackend {
  readonly id: string;
  /** Lower-case `host[:port]` without default port. */
  readonly publicHosts: readonly string[];
  /** Path of its public URL without trailing slash ('' at the root). */
  readonly publicPath: string;
  /** Lower-case domains of its users' addresses. */
  readonly userDomains: readonly string[];
}

/** `host[:port]` as a Host header names it: lower case, no trailing dot, no default port. */
export function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.(?=(:\d+)?$)/, '')
    .replace(/:(80|443)$/, '');
}

/** The backends that may serve this host and path, best first (config order among equals). */
export function backendsFor<T extends RoutableBackend>(
  backends: readonly T[],
  hostHeader: string | undefined,
  path: string,
): T[] {
  if (hostHeader === undefined || hostHeader === '') return [];
  const host = normaliseHost(hostHeader);
  const onHost = backends.filter((b) => b.publicHosts.includes(host));
  const under = (b: T) =>
    b.publicPath === '' || path === b.publicPath || path.startsWith(`${b.publicPath}/`);
  const matching = onHost.filter(under);
  if (matching.length === 0) return onHost.filter((b) => b.publicPath === '');
  const longest = Math.max(...matching.map((b) => b.publicPath.length));
  return matching.filter((b) => b.publicPath.length === longest);
}

/** The domain of an OCM address `user@domain` (the part after the last `@`), normalised. */
export function recipientDomain(shareWith: unknown): string | undefined {
  if (typeof shareWith !== 'string') return undefined;
  const at = shareWith.lastIndexOf('@');
  if (at < 1 || at === shareWith.length - 1) return undefined;
  return normaliseHost(shareWith.slice(at + 1));
}

/** Among backends sharing a host, the one whose users' domain the recipient's address names. */
export function backendForRecipient<T extends RoutableBackend>(
  candidates: readonly T[],
  shareWith: unknown,
): T | undefined {
  const domain = recipientDomain(shareWith);
  if (domain === undefined) return undefined;
  return (
    candidates.find((b) => b.userDomains.includes(domain)) ??
    candidates.find((b) => b.publicHosts.includes(domain))
  );
}
