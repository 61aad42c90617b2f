/**
 * Which headers cross the facade (RFC 9110 §7.6.1 hop-by-hop, RFC 4918 WebDAV headers): the
 * backend's credentials, cookies and anything naming internal hosts stay behind; WebDAV and
 * range headers (Depth, Destination, Overwrite, If, Range, If-Range, Lock-Token, OC-*) go on; the
 * peer's answer comes back with ETag, Content-Range, DAV and the rest, minus its cookies and auth.
 */

export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;
export type OutHeaders = Record<string, string | string[]>;

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Never sent to the peer: our own auth replaces the backend's, internal names must not leak. */
const NOT_TO_PEER = new Set([
  ...HOP_BY_HOP,
  'host',
  'authorization',
  'proxy-authorization',
  'cookie',
  'forwarded',
  'via',
  'origin',
  'referer',
  'x-real-ip',
  'x-request-id',
  // The backend's product and version are its own business; the peer client sends ours.
  'user-agent',
  'expect',
  'destination',
]);

/** Never returned to the backend: the peer's cookies and challenges are not the facade's. */
const NOT_TO_BACKEND = new Set([
  ...HOP_BY_HOP,
  'proxy-authenticate',
  'www-authenticate',
  'set-cookie',
  'strict-transport-security',
  'alt-svc',
]);

function connectionTokens(headers: HeaderRecord): Set<string> {
  const value = headers.connection ?? headers.Connection;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    String(text)
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== ''),
  );
}

function copy(headers: HeaderRecord, drop: (name: string) => boolean): OutHeaders {
  const listed = connectionTokens(headers);
  const out: OutHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || drop(lower) || listed.has(lower)) continue;
    out[lower] = typeof value === 'string' ? value : [...value];
  }
  return out;
}

/** The backend's request headers fit for the peer (Destination is mapped separately). */
export function headersToPeer(headers: HeaderRecord): OutHeaders {
  return copy(headers, (name) => NOT_TO_PEER.has(name) || name.startsWith('x-forwarded-'));
}

/** The peer's response headers fit for the backend. */
export function headersToBackend(headers: HeaderRecord): OutHeaders {
  return copy(headers, (name) => NOT_TO_BACKEND.has(name));
}

/** The first value of a header, case-insensitively. */
export function headerValue(headers: HeaderRecord, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}
