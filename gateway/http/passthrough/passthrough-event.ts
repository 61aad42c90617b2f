/** What the pass-through reports to its caller (who logs and counts it); carries no secrets and no query strings. */
import type { UpstreamFailure } from './upstream-error.ts';

export interface PassthroughRequestInfo {
  readonly method: string;
  /** The public path, without the query string (queries may carry tokens). */
  readonly path: string;
  /** The `x-request-id` the request carried toward the backend, if any. */
  readonly requestId: string | undefined;
}

export interface UpstreamErrorEvent extends PassthroughRequestInfo {
  /**
   * `unreachable`: no connection (refused, DNS, connect timeout); `bad-response`: the connection
   * broke or the answer was invalid; `timeout`: no response headers within responseTimeoutMs.
   */
  readonly kind: UpstreamFailure;
  /** node's error code (`ECONNREFUSED`, `ECONNRESET`, `GATEWAY_CONNECT_TIMEOUT`, …). */
  readonly errorCode: string;
  /** For the operator's log only: may name the backend's address. */
  readonly errorMessage: string;
  /** The status sent to the client; undefined when the response had begun and the connection was cut. */
  readonly status: 502 | 503 | 504 | undefined;
}

export interface ClientAbortedEvent extends PassthroughRequestInfo {
  /** The client went away before the response was complete; the backend request was aborted. */
  readonly kind: 'client-aborted';
}

export type PassthroughEvent = UpstreamErrorEvent | ClientAbortedEvent;

/** A PassthroughEvent before the request's identity is attached. */
export type PassthroughOutcome =
  | Omit<UpstreamErrorEvent, keyof PassthroughRequestInfo>
  | Omit<ClientAbortedEvent, keyof PassthroughRequestInfo>;
