/**
 * The outgoing HTTP client every call to a peer goes through (discovery, shares, notifications,
 * WebDAV, token exchange): its options, requests and responses.
 */
import type { Readable } from 'node:stream';
import type { JsonValue } from '../../gateway/core/model/json-value.ts';

/** One address a name resolved to, as the system resolver reports it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses (injected in tests; default: the system resolver). */
export type PeerLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface PeerHttpClientOptions {
  /** GATEWAY_ALLOW_PRIVATE_PEERS: peers may be on private/loopback addresses and plain http. */
  readonly allowPrivatePeers: boolean;
  /** `host` or `host:port`: allowed even when they resolve to non-public addresses. */
  readonly allowlistedHosts?: readonly string[];
  /** `host` or `host:port`: peers that may be called over plain http. */
  readonly allowHttpHosts?: readonly string[];
  /** CIDR networks peers may be on even though they are not public (an internal partner). */
  readonly allowNetworks?: readonly string[];
  /** CIDR networks never connected to; wins over every allowance. */
  readonly denyNetworks?: readonly string[];
  /** Resolution + TCP + TLS handshake, per hop. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Whole call including redirects and reading the body (for streams: until headers, then idle). Default 10000. */
  readonly totalTimeoutMs?: number;
  /** Body cap for `json` / `text` responses. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Default 3. */
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  /** Keep-alive sockets per origin (scheme, host, port). Default 8. */
  readonly maxSocketsPerOrigin?: number;
  /** Origins whose keep-alive agents are kept; idle ones beyond this are closed. Default 256. */
  readonly maxOrigins?: number;
  /** Extra PEM trust anchors added to Node's default roots (an organisation CA, tests). */
  readonly extraCaCerts?: readonly string[];
  readonly lookup?: PeerLookup;
}

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
  /** Body cap for this call; default maxResponseBytes (json/text) or unlimited (stream). */
  readonly maxBytes?: number;
  /** Overrides the client's totalTimeoutMs for this call. */
  readonly totalTimeoutMs?: number;
  /** Default true. When false a 3xx is returned as it is. */
  readonly followRedirects?: boolean;
  /** The caller gave up (for example the backend hung up). */
  readonly signal?: AbortSignal;
}

export interface PeerResponseBase {
  readonly status: number;
  /** Lower-case names, as Node reports them. */
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
  /** Consume or destroy it: the socket is held until then. Errors are PeerRequestError. */
  readonly body: Readable;
}

export interface PeerResponseByExpect {
  readonly json: PeerJsonResponse;
  readonly text: PeerTextResponse;
  readonly stream: PeerStreamResponse;
}

export interface PeerHttpClient {
  /** Rejects only with PeerRequestError; any HTTP status is a response. */
  request<E extends PeerExpect>(request: PeerRequest<E>): Promise<PeerResponseByExpect[E]>;
  /** Destroys every keep-alive agent (in-flight calls fail); later calls are refused. */
  close(): void;
}
