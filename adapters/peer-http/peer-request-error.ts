/**
 * Why a call to a peer failed, as a GatewayError with a stable `failure` discriminator.
 * Messages name the peer's origin and the reason, never a path, query, header or body.
 */
import type { AddressClass } from '../../gateway/core/network/index.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { ErrorCode } from '../../gateway/core/errors/error-catalog.ts';

export type PeerFailure =
  | 'invalid-url'
  | 'scheme-refused'
  | 'port-refused'
  | 'address-refused'
  | 'redirect-refused'
  | 'too-many-redirects'
  | 'dns-failed'
  | 'connect-failed'
  | 'tls-failed'
  | 'connect-timeout'
  | 'timeout'
  | 'response-too-large'
  | 'invalid-response'
  | 'aborted'
  | 'client-closed';

const CODES: Record<PeerFailure, ErrorCode> = {
  'invalid-url': 'INVALID_REQUEST',
  'scheme-refused': 'FORBIDDEN',
  'port-refused': 'FORBIDDEN',
  'address-refused': 'FORBIDDEN',
  'redirect-refused': 'FORBIDDEN',
  'too-many-redirects': 'UPSTREAM_UNREACHABLE',
  'dns-failed': 'UPSTREAM_UNREACHABLE',
  'connect-failed': 'UPSTREAM_UNREACHABLE',
  'tls-failed': 'UPSTREAM_UNREACHABLE',
  'connect-timeout': 'UPSTREAM_TIMEOUT',
  timeout: 'UPSTREAM_TIMEOUT',
  'response-too-large': 'UPSTREAM_UNREACHABLE',
  'invalid-response': 'UPSTREAM_UNREACHABLE',
  aborted: 'UPSTREAM_UNREACHABLE',
  'client-closed': 'UPSTREAM_UNREACHABLE',
};

export interface PeerRequestErrorDetails {
  /** `scheme://host:port` of the hop that failed (no path: it may carry tokens). */
  readonly origin?: string;
  /** For address refusals: the class, also named in the message. */
  readonly addressClass?: AddressClass;
  /**
   * For address refusals: the refused IP. Kept out of the message, which may reach the peer,
   * so internal DNS answers are not leaked; log it for the operator.
   */
  readonly address?: string;
  readonly cause?: unknown;
}

export class PeerRequestError extends GatewayError {
  readonly failure: PeerFailure;
  readonly origin: string | undefined;
  readonly addressClass: AddressClass | undefined;
  readonly address: string | undefined;

  constructor(failure: PeerFailure, message: string, details: PeerRequestErrorDetails = {}) {
    const where = details.origin === undefined ? '' : `peer ${details.origin}: `;
    super(CODES[failure], `${where}${message}`, { cause: details.cause });
    this.name = 'PeerRequestError';
    this.failure = failure;
    this.origin = details.origin;
    this.addressClass = details.addressClass;
    this.address = details.address;
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
  'ETIMEDOUT',
]);

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return '';
}

/** Maps a Node socket/TLS/parser error to a PeerRequestError, naming only the error code. */
export function peerErrorFromNode(error: unknown, origin: string): PeerRequestError {
  if (error instanceof PeerRequestError) return error;
  const code = errorCode(error);
  const details = { origin, cause: error };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'ENODATA') {
    return new PeerRequestError('dns-failed', `the host name did not resolve (${code})`, details);
  }
  if (CONNECT_CODES.has(code)) {
    return new PeerRequestError('connect-failed', `the connection failed (${code})`, details);
  }
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/.test(code)) {
    return new PeerRequestError('tls-failed', `the TLS handshake failed (${code})`, details);
  }
  if (code.startsWith('HPE_')) {
    return new PeerRequestError(
      'invalid-response',
      `the response is not valid HTTP (${code})`,
      details,
    );
  }
  if (code === 'ABORT_ERR' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new PeerRequestError('aborted', 'the call was aborted', details);
  }
  const name = code === '' ? 'unknown error' : code;
  return new PeerRequestError('connect-failed', `the exchange failed (${name})`, details);
}

/** Why the whole call was cut: set as an AbortSignal reason, turned into an error per hop. */
export interface PeerAbortReason {
  readonly failure: 'timeout' | 'aborted';
  readonly message: string;
}

function isAbortReason(value: unknown): value is PeerAbortReason {
  return typeof value === 'object' && value !== null && 'failure' in value && 'message' in value;
}

/** The error for an aborted signal, naming the origin of the hop that was cut. */
export function peerAbortError(signal: AbortSignal, origin: string): PeerRequestError {
  const reason: unknown = signal.reason;
  if (reason instanceof PeerRequestError) return reason;
  if (isAbortReason(reason))
    return new PeerRequestError(reason.failure, reason.message, { origin });
  return new PeerRequestError('aborted', 'the call was aborted', { origin });
}
