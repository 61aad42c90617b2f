/** The header section sent to the backend: end-to-end headers of the client, URLs mapped, this hop added. */
import type { IncomingHttpHeaders } from 'node:http';
import { FORWARDED_HEADER_NAMES, forwardedHeaders } from './forwarded-headers.ts';
import { withoutHopByHop } from './hop-by-hop.ts';
import { rewriteDestination, rewriteIfHeader } from './rewrite-destination.ts';
import type { UrlMapping } from './url-mapping.ts';

export interface ProxyRequestContext {
  readonly clientAddress: string | undefined;
  readonly publicUrl: URL;
  readonly mapping: UrlMapping;
}

// node's client re-applies chunked framing itself when it sees this header, and a DELETE or
// OPTIONS with a chunked body would otherwise be sent with `Content-Length: 0` by httpxy.
const KEEP: ReadonlySet<string> = new Set(['transfer-encoding']);
const PROTECT: ReadonlySet<string> = new Set(['x-request-id', 'host', ...FORWARDED_HEADER_NAMES]);

export function proxyRequestHeaders(
  headers: IncomingHttpHeaders,
  context: ProxyRequestContext,
): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = withoutHopByHop(headers, { keep: KEEP, protect: PROTECT });
  // node's server already answered `100 Continue` on the client's hop before the request reached
  // express, so the body is coming anyway; forwarding the expectation would only make node's
  // client flush the request head at once, and httpxy then skips the hook that arms our timeouts.
  delete result.expect;
  if (typeof result.destination === 'string') {
    result.destination = rewriteDestination(result.destination, context.mapping);
  }
  if (typeof result.if === 'string') result.if = rewriteIfHeader(result.if, context.mapping);
  return { ...result, ...forwardedHeaders(headers, context) };
}
