/**
 * A refusal by the backend → the GatewayError the peer gets (legacy-protocols §1.2 v1/v2 status
 * rules, §1.3 and §3.1 error answers). OCS status codes count over the HTTP status (v1 always
 * answers HTTP 200); the backend's own words are kept, with its internal URL replaced by the public one.
 */
import { GatewayError } from '../errors/gateway-error.ts';
import type { ErrorCode } from '../errors/error-catalog.ts';
import type { ValidationIssue } from '../errors/validation-issue.ts';
import { OCS_STATUS } from '../dialects/ocs-envelope/index.ts';

export interface BackendFailure {
  readonly httpStatus: number;
  /** `meta.statuscode` when the answer was an OCS envelope. */
  readonly ocsStatuscode?: number;
  /** The backend's message (OCS `meta.message`, OCM `message`), unscrubbed. */
  readonly message?: string | null;
  /** OCM `validationErrors`. */
  readonly issues?: readonly ValidationIssue[];
  /** From a numeric Retry-After header. */
  readonly retryAfterSeconds?: number;
}

export interface BackendUrls {
  readonly backendUrl: string;
  readonly publicUrl: string;
}

/** Sender-side wait when a 503 names none: long enough for a restart, short enough for a retry job. */
export const DEFAULT_BACKEND_RETRY_AFTER_SECONDS = 30;
const MAX_MESSAGE = 200;

/** The status the failure stands for: the OCS code when it is one of HTTP's, else v2's mapping. */
export function backendFailureStatus(failure: BackendFailure): number {
  const code = failure.ocsStatuscode;
  if (code === undefined) return failure.httpStatus;
  if (code === OCS_STATUS.serverError || code === OCS_STATUS.unknownError) return 500;
  if (code === OCS_STATUS.unauthorised) return 403;
  if (code === OCS_STATUS.notFound) return 404;
  if (Number.isInteger(code) && code >= 400 && code < 600) return code;
  return 400;
}

function codeFor(status: number): ErrorCode {
  // A redirect on a federation call means GATEWAY_BACKEND_URL points at the wrong place.
  if (status >= 300 && status < 400) return 'UPSTREAM_UNREACHABLE';
  if (status === 401 || status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 410) return 'SHARE_GONE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 501) return 'NOT_IMPLEMENTED';
  if (status === 502) return 'UPSTREAM_UNREACHABLE';
  if (status === 503) return 'UNAVAILABLE';
  if (status === 504) return 'UPSTREAM_TIMEOUT';
  // The backend failed, not the gateway: a peer hears 502 Bad Gateway (and may retry), never 500.
  if (status >= 500) return 'UPSTREAM_UNREACHABLE';
  return 'INVALID_REQUEST';
}

const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  INVALID_REQUEST: 'The backend refused the request.',
  FORBIDDEN: 'The backend refused the request: not allowed.',
  NOT_FOUND: 'The backend has no such share.',
  SHARE_GONE: 'The share no longer exists on the backend.',
  NOT_IMPLEMENTED: 'The backend does not support this.',
  UNAVAILABLE: 'The backend is temporarily unavailable.',
  UPSTREAM_UNREACHABLE: 'The backend failed to process the request.',
};

/** Replaces the backend's internal base URL (and origin) with the public one; trims and caps. */
export function scrubBackendMessage(message: string, urls: BackendUrls): string {
  const publicBase = urls.publicUrl.replace(/\/+$/, '');
  const backendBase = urls.backendUrl.replace(/\/+$/, '');
  let origin = backendBase;
  try {
    origin = new URL(backendBase).origin;
  } catch {
    // not a URL: only the literal base is replaced
  }
  const text = message
    .split(backendBase)
    .join(publicBase)
    .split(origin)
    .join(publicBase)
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

export function backendFailureToGatewayError(
  failure: BackendFailure,
  urls: BackendUrls,
): GatewayError {
  const status = backendFailureStatus(failure);
  const code = codeFor(status);
  const said = failure.message == null ? '' : scrubBackendMessage(failure.message, urls);
  const message =
    said !== '' ? said : (DEFAULT_MESSAGES[code] ?? 'The backend refused the request.');
  const retryAfterSeconds =
    code === 'UNAVAILABLE' || code === 'RATE_LIMITED'
      ? (failure.retryAfterSeconds ?? DEFAULT_BACKEND_RETRY_AFTER_SECONDS)
      : undefined;
  return new GatewayError(code, message, {
    issues: (failure.issues ?? []).map((i) => ({
      field: i.field,
      message: scrubBackendMessage(i.message, urls),
    })),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}
