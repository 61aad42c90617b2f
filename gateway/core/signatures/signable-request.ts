/**
 * The plain-data view of an HTTP request that signing and verification work on (RFC 9421 §2,
 * draft-cavage-http-signatures-12 §2.3): no framework objects, so both directions share it.
 */

export type HeaderValue = string | readonly string[] | undefined;

/** Header names in any case; a repeated header may be given as an array of its lines. */
export type HeaderMap = Readonly<Record<string, HeaderValue>>;

export interface SignableRequest {
  readonly method: string;
  /**
   * The absolute target URI as the sender addressed it (`https://receiver.example.org/ocm/shares`).
   * A verifier behind a TLS-terminating proxy must rebuild it from its public URL, not from the
   * socket, or `@target-uri` will not match what the peer signed.
   */
  readonly targetUri: string;
  readonly headers: HeaderMap;
  readonly body: Uint8Array;
}

/**
 * A header's value as RFC 9421 §2.1 canonicalises it: each line trimmed, repeated lines joined
 * with ", ". Names are matched case-insensitively. Undefined when the header is absent.
 */
export function readHeader(headers: HeaderMap, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const lines: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') lines.push(value.trim());
    else for (const line of value) lines.push(line.trim());
  }
  return lines.length === 0 ? undefined : lines.join(', ');
}

/** The headers with `added` laid over them, replacing any same-named header whatever its case. */
export function withHeaders(
  headers: HeaderMap,
  added: Readonly<Record<string, string>>,
): HeaderMap {
  const replaced = new Set(Object.keys(added).map((name) => name.toLowerCase()));
  const merged: Record<string, HeaderValue> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!replaced.has(key.toLowerCase())) merged[key] = value;
  }
  return { ...merged, ...added };
}
