/** Hop-by-hop header removal for a forwarding proxy (RFC 9110 §7.6.1, RFC 9112 §9.6). */

/**
 * Headers that describe one connection, never the message. `Proxy-Connection` is not standard but
 * old clients send it; `Proxy-Authenticate`/`Proxy-Authorization` address this proxy, not the backend.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The header names a `Connection` header lists as hop-by-hop, lower-cased. */
export function connectionTokens(connection: string | readonly string[] | undefined): string[] {
  if (connection === undefined) return [];
  const values = typeof connection === 'string' ? [connection] : connection;
  return values
    .flatMap((value) => value.split(','))
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

export interface HopByHopPolicy {
  /** Hop-by-hop names to keep anyway (e.g. `transfer-encoding`, which node re-frames itself). */
  readonly keep?: ReadonlySet<string>;
  /**
   * Names a `Connection` header may not remove: headers the gateway itself vouches for. Without
   * this, a client could send `Connection: x-request-id` to strip a header set by our middleware.
   */
  readonly protect?: ReadonlySet<string>;
}

/** Returns a copy of `headers` (lower-case keys) without hop-by-hop fields. */
export function withoutHopByHop<T>(
  headers: Readonly<Record<string, T>>,
  policy: HopByHopPolicy = {},
): Record<string, T> {
  const listed = connectionTokens(asStrings(headers.connection));
  const result: Record<string, T> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (policy.keep?.has(name) === true) {
      result[name] = value;
      continue;
    }
    if (HOP_BY_HOP_HEADERS.has(name)) continue;
    if (listed.includes(name) && policy.protect?.has(name) !== true) continue;
    result[name] = value;
  }
  return result;
}

function asStrings(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}
