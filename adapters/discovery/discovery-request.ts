/**
 * One discovery GET through the guarded peer client, with its failure sorted into what the
 * discovery walk does next: stop (refused / out of time), try the next scheme, or the next URL.
 */
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { ErrorCode } from '../../gateway/core/errors/error-catalog.ts';
import type {
  PeerFailure,
  PeerHttpClient,
  PeerJsonResponse,
} from '../../gateway/ports/peer-http.ts';

export type RequestVerdict =
  /** The SSRF guard or URL rules said no: every other URL of this peer would be refused too. */
  | 'refused'
  /** The discovery budget (or the caller) ran out. */
  | 'out-of-time'
  /** The name does not resolve: no other scheme or path will help. */
  | 'no-such-host'
  /** Nothing answered on this scheme (connection, TLS): the next scheme may work. */
  | 'scheme-unreachable'
  /** The server answered but not usably for this URL (slow, too big, bad redirect): next URL. */
  | 'url-failed';

export type DiscoveryResponse =
  | { readonly ok: true; readonly response: PeerJsonResponse }
  | {
      readonly ok: false;
      readonly verdict: RequestVerdict;
      readonly failure: PeerFailure | undefined;
      readonly code: ErrorCode;
      readonly message: string;
    };

const REFUSED = new Set<PeerFailure>([
  'address-refused',
  'scheme-refused',
  'port-refused',
  'invalid-url',
]);
const UNREACHABLE = new Set<PeerFailure>(['connect-failed', 'tls-failed', 'connect-timeout']);

function failureOf(error: unknown): PeerFailure | undefined {
  if (typeof error !== 'object' || error === null || !('failure' in error)) return undefined;
  const failure = error.failure;
  return typeof failure === 'string' ? (failure as PeerFailure) : undefined;
}

export interface DiscoveryRequest {
  readonly client: PeerHttpClient;
  readonly url: string;
  readonly maxBytes: number;
  readonly signal: AbortSignal;
  readonly accept?: string;
}

export async function requestDiscoveryDocument(
  request: DiscoveryRequest,
): Promise<DiscoveryResponse> {
  try {
    const response = await request.client.request({
      url: request.url,
      expect: 'json',
      maxBytes: request.maxBytes,
      signal: request.signal,
      headers: { Accept: request.accept ?? 'application/json' },
    });
    return { ok: true, response };
  } catch (error) {
    const failure = failureOf(error);
    const gatewayError = error instanceof GatewayError ? error : undefined;
    const message = gatewayError?.message ?? 'the request failed';
    const code = gatewayError?.code ?? 'UPSTREAM_UNREACHABLE';
    let verdict: RequestVerdict = 'url-failed';
    if (request.signal.aborted) verdict = 'out-of-time';
    else if (failure !== undefined && REFUSED.has(failure)) verdict = 'refused';
    else if (failure === 'dns-failed') verdict = 'no-such-host';
    else if (failure !== undefined && UNREACHABLE.has(failure)) verdict = 'scheme-unreachable';
    return { ok: false, verdict, failure, code, message };
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
