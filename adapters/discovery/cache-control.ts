/**
 * The freshness a peer asks for in `Cache-Control` (RFC 9111 §5.2.2): `max-age` in seconds;
 * `no-store` / `no-cache` count as 0 (the caller still applies its minimum).
 */

export function maxAgeSeconds(header: string | readonly string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join(',');
  let maxAge: number | undefined;
  for (const part of text.split(',')) {
    const [rawName = '', rawValue] = part.split('=', 2);
    const name = rawName.trim().toLowerCase();
    if (name === 'no-store' || name === 'no-cache') return 0;
    if (name !== 'max-age' || rawValue === undefined) continue;
    const value = rawValue.trim().replace(/^"(.*)"$/, '$1');
    // A malformed max-age is ignored, as RFC 9111 lets a cache treat it as absent.
    if (!/^\d{1,10}$/.test(value)) continue;
    const seconds = Number(value);
    maxAge = maxAge === undefined ? seconds : Math.min(maxAge, seconds);
  }
  return maxAge;
}
