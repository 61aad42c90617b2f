/** The header section sent to the client: the backend's end-to-end headers, backend URLs mapped to public ones. */
import { withoutHopByHop } from './hop-by-hop.ts';
import { rewriteLocation } from './rewrite-location.ts';
import { rewriteSetCookie } from './rewrite-set-cookie.ts';
import type { UrlMapping } from './url-mapping.ts';

/**
 * Takes node's `headersDistinct` (every field as the list of its lines) so that repeated fields
 * such as `Set-Cookie` or `WWW-Authenticate` reach the client as separate lines, as sent.
 * `Transfer-Encoding` goes too: node frames the response to the client itself.
 */
export function proxyResponseHeaders(
  headers: Readonly<Record<string, string[] | undefined>>,
  mapping: UrlMapping,
  backendHost: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(withoutHopByHop(headers))) {
    if (values === undefined) continue;
    if (name === 'location' || name === 'content-location') {
      result[name] = values.map((value) => rewriteLocation(value, mapping));
    } else if (name === 'set-cookie') {
      result[name] = values.map((value) => rewriteSetCookie(value, mapping, backendHost));
    } else {
      result[name] = values;
    }
  }
  return result;
}
