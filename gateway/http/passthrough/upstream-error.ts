/** What the client gets when the backend fails before answering (RFC 9110 §15.6.3 502, §15.6.4 503, §15.6.5 504). */

export type UpstreamFailure = 'unreachable' | 'bad-response' | 'timeout';

/** `code` of the error we destroy a backend socket with when connecting takes too long. */
export const CONNECT_TIMEOUT_CODE = 'GATEWAY_CONNECT_TIMEOUT';
/** `code` of the error we destroy a backend request with when the backend stays silent too long. */
export const RESPONSE_TIMEOUT_CODE = 'GATEWAY_RESPONSE_TIMEOUT';

export class UpstreamTimeoutError extends Error {
  readonly code: typeof CONNECT_TIMEOUT_CODE | typeof RESPONSE_TIMEOUT_CODE;

  constructor(code: typeof CONNECT_TIMEOUT_CODE | typeof RESPONSE_TIMEOUT_CODE, ms: number) {
    const what = code === CONNECT_TIMEOUT_CODE ? 'connect to the backend' : 'backend response';
    super(`${what} timed out after ${ms} ms`);
    this.name = 'UpstreamTimeoutError';
    this.code = code;
  }
}

// Failures that prove the request never reached the backend (no connection was made).
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  CONNECT_TIMEOUT_CODE,
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
]);

export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return 'UNKNOWN';
}

export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const code = errorCodeOf(error);
  if (code === RESPONSE_TIMEOUT_CODE) return 'timeout';
  return UNREACHABLE_CODES.has(code) ? 'unreachable' : 'bad-response';
}

export interface UpstreamErrorResponse {
  readonly status: 502 | 503 | 504;
  readonly retryAfterSeconds: number | undefined;
  readonly body: { readonly message: string; readonly detail: string };
}

/**
 * 503 + Retry-After when no connection could be made: the backend is down or restarting, nothing
 * reached it, so any method is safe to retry later; sync clients (ownCloud/Nextcloud desktop) treat
 * 503 as "server in maintenance" and back off instead of failing files. 502 when a connection was
 * made but the answer broke: the request may have had effects, so no retry hint. 504 when the
 * backend accepted the request and stayed silent. Details never name the backend's address
 * (DESIGN §3: internal hostnames never leak).
 */
export function upstreamErrorResponse(
  failure: UpstreamFailure,
  limits: { readonly retryAfterSeconds: number; readonly responseTimeoutMs: number },
): UpstreamErrorResponse {
  switch (failure) {
    case 'unreachable':
      return {
        status: 503,
        retryAfterSeconds: limits.retryAfterSeconds,
        body: {
          message: 'BACKEND_UNREACHABLE',
          detail: `The server behind this gateway could not be reached and the request was not delivered; retry in ${limits.retryAfterSeconds} seconds.`,
        },
      };
    case 'bad-response':
      return {
        status: 502,
        retryAfterSeconds: undefined,
        body: {
          message: 'BACKEND_BAD_RESPONSE',
          detail:
            'The server behind this gateway closed the connection or sent an invalid response; the request may or may not have been processed.',
        },
      };
    case 'timeout':
      return {
        status: 504,
        retryAfterSeconds: undefined,
        body: {
          message: 'BACKEND_TIMEOUT',
          detail: `The server behind this gateway did not answer within ${formatSeconds(limits.responseTimeoutMs)}; the request may or may not have been processed.`,
        },
      };
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
