/**
 * What a peer's HTTP answer to a share or notification means for the gateway (issue 9 item 2):
 * transient (retry later: 408, 425, 429, 5xx but 501/505) or a refusal, mapped to the error code the backend
 * gets back in its own dialect.
 */
import type { ErrorCode } from '../errors/error-catalog.ts';

export function isTransientStatus(status: number): boolean {
  // 501 and 505 say what the peer can never do: asking again changes nothing.
  if (status === 501 || status === 505) return false;
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** The gateway error code for a peer's non-success status. */
export function peerRefusalCode(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 409:
    case 422:
      return 'INVALID_REQUEST';
    // Our own credentials were refused: the backend cannot fix that, the operator can.
    case 401:
      return 'UPSTREAM_UNREACHABLE';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
    case 501:
      return 'NOT_IMPLEMENTED';
    case 410:
      return 'SHARE_GONE';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'UPSTREAM_TIMEOUT';
    default:
      return status >= 500 ? 'UPSTREAM_UNREACHABLE' : 'INVALID_REQUEST';
  }
}

/** Failures of the call itself (no answer): the GatewayError codes worth a retry. */
export function isTransientCode(code: ErrorCode): boolean {
  return code === 'UPSTREAM_UNREACHABLE' || code === 'UPSTREAM_TIMEOUT' || code === 'UNAVAILABLE';
}
