/**
 * The guarded outgoing HTTP client for calls to peers, as services see it (types only). Mirrors
 * adapters/peer-http/peer-http-types.ts so services never import the adapter.
 */
import type { Readable } from 'node:stream';
import type { JsonValue } from '../core/model/json-value.ts';

export type PeerExpect = 'json' | 'text' | 'stream';

export type PeerRequestBody = string | Uint8Array | Readable;

export interface PeerRequest<E extends PeerExpect = PeerExpect> {
  /** Default GET. */
  readonly method?: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** A Readable is sent as it comes and cannot be replayed, so 307/308 with it fail. */
  readonly body?: PeerRequestBody;
  readonly expect: E;
  /** Body cap for this call; default: the client's cap (json/text) or unlimited (stream). */
  readonly maxBytes?: number;
  /** Overrides the client's total timeout for this call. */
  readonly totalTimeoutMs?: number;
  /** Default true. When false a 3xx is returned as it is. */
  readonly followRedirects?: boolean;
  readonly signal?: AbortSignal;
}

export interface PeerResponseBase {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly redirects: number;
  /** The checked IP address the final hop was connected to. */
  readonly remoteAddress: string;
}

export interface PeerJsonResponse extends PeerResponseBase {
  readonly kind: 'json';
  /** The body parsed as JSON whatever the Content-Type said, or undefined if it is not JSON. */
  readonly json: JsonValue | undefined;
  readonly text: string;
}

export interface PeerTextResponse extends PeerResponseBase {
  readonly kind: 'text';
  readonly text: string;
}

export interface PeerStreamResponse extends PeerResponseBase {
  readonly kind: 'stream';
  readonly body: Readable;
}

export interface PeerResponseByExpect {
  readonly json: PeerJsonResponse;
  readonly text: PeerTextResponse;
  readonly stream: PeerStreamResponse;
}

/** Why a call failed: the `failure` field of the GatewayError the client rejects with. */
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

/** What a rejection carries besides the GatewayError fields (code, status, message). */
export interface PeerRequestFailure {
  readonly failure: PeerFailure;
  /** `scheme://host:port` of the hop that failed. */
  readonly origin: string | undefined;
}

export interface PeerHttpClient {
  /** Rejects only with a GatewayError carrying PeerRequestFailure; any HTTP status is a response. */
  request<E extends PeerExpect>(request: PeerRequest<E>): Promise<PeerResponseByExpect[E]>;
  close(): void;
}
