/**
 * Flow 3 (DESIGN §3, issue 9 item 3): the backend reads a share it received from a peer, through
 * the facade `/peers/<host>/public.php/webdav/…` or, for early-OCM backends, through the forward
 * proxy at the peer's own `…/public.php/webdav/…`. The Basic user it sends is the share's secret;
 * the request goes to the share's real WebDAV location with the auth the peer demands, streamed
 * both ways, with 207 hrefs mapped back under the path the backend used.
 */
import type { Readable } from 'node:stream';
import { readPublicWebdavAuth } from '../core/dialects/ocs-common/public-webdav-auth.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { chooseShareAccess } from '../core/peer-webdav/choose-share-access.ts';
import { samePeerHost } from '../core/peer-webdav/same-peer-host.ts';
import { resolveShareLocation } from '../core/peer-webdav/share-location.ts';
import { shareTargetUrl } from '../core/peer-webdav/share-target.ts';
import {
  headersToPeer,
  headerValue,
  type HeaderRecord,
  type OutHeaders,
} from '../core/peer-webdav/webdav-headers.ts';
import type { KeySet } from '../core/signatures/key-set.ts';
import type { Clock } from '../ports/clock.ts';
import type { ShareLedger, ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerCapabilities, PeerReference } from '../ports/peer-discovery.ts';
import type { PeerHttpClient, PeerStreamResponse } from '../ports/peer-http.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import { parsePeerReference, peerHostPort } from './peer-reference.ts';
import { sendWithShareAccess } from './read-peer-share-access.ts';
import { mapDestination, peerAnswerToBackend } from './read-peer-share-answer.ts';
import { readSmallBody } from './read-peer-share-body.ts';
import { PeerShareTokens } from './read-peer-share-token.ts';

export interface ReadPeerShareDeps {
  readonly ledger: Pick<ShareLedger, 'findBySecret'>;
  /** `createPeerCapabilitiesResolver(…)`: discovery of the peer, cached. */
  readonly peers: {
    resolve(peer: string | PeerReference): Promise<{ readonly capabilities: PeerCapabilities }>;
  };
  /** The guarded peer client (SSRF checks, timeouts). */
  readonly client: PeerHttpClient;
  /** Exchanged tokens and remembered auth forms, shared by replicas. */
  readonly shortLived: ShortLivedStore;
  readonly keySet: () => KeySet | Promise<KeySet>;
  /** GATEWAY_PUBLIC_URL: `client_id` of token exchanges and the name of our keys. */
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options?: ReadPeerShareOptions;
}

export interface ReadPeerShareOptions {
  /** Try an exchange the peer offers though the share does not require it (I-D-05 MAY). Default true. */
  readonly tryOptionalExchange?: boolean;
  /** Request bodies up to this size are held in memory so a 401 can be retried. Default 64 KiB. */
  readonly replayableBodyBytes?: number;
  /** Longest unfinished href element held back while rewriting a 207. Default 64 KiB. */
  readonly maxHrefCarry?: number;
  /** Until the peer's answer head, for requests with a streamed body (uploads). Default 1 h. */
  readonly uploadTimeoutMs?: number;
}

export interface PeerShareRequest {
  /** The peer as the door names it (`/peers/<host>/` or the proxied request's authority). */
  readonly peerHost: string;
  readonly method: string;
  /** Raw path below the mount (`''`, `/`, `/dir/a%20b.txt`). */
  readonly path: string;
  /** `''` or the raw query starting with `?`. */
  readonly query: string;
  readonly headers: HeaderRecord;
  /** Undefined when the request has no body. */
  readonly body: Readable | undefined;
  /** The body's Content-Length when given (bodies up to the replay cap are read into memory). */
  readonly bodyLength: number | undefined;
  /** The mount as the backend addressed it, e.g. `/peers/cloud.example.org/public.php/webdav`. */
  readonly mountPath: string;
  /** Aborted when the backend goes away. */
  readonly signal?: AbortSignal;
}

export interface PeerShareResponse {
  readonly status: number;
  readonly headers: OutHeaders;
  /** Streamed; always consume or destroy it. */
  readonly body: Readable;
}

export type ReadPeerShare = (request: PeerShareRequest) => Promise<PeerShareResponse>;

const XML_METHODS = new Set(['PROPFIND', 'REPORT', 'PROPPATCH', 'SEARCH']);

/** No active incoming share of this peer has the token (the peer was not contacted). */
export class UnknownShareError extends GatewayError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
    this.name = 'UnknownShareError';
  }
}

function unauthenticated(message: string): GatewayError {
  return new UnknownShareError(message);
}

/** Discovery of the sender's server: its address may carry an install sub-path the host lacks. */
function peerReferenceOf(record: ShareRecord): string | PeerReference {
  const parsed = parsePeerReference(record.sender, 'sender');
  if (parsed.ok && samePeerHost(peerHostPort(parsed.value), record.peerHost)) return parsed.value;
  return record.peerHost;
}

function webdavRootOf(peer: PeerCapabilities): string {
  if (peer.webdavUrl !== undefined) return peer.webdavUrl;
  const base = peer.baseUrl.replace(/\/+$/, '');
  return `${base}${peer.legacy?.webdavPath ?? '/public.php/webdav'}`;
}

export function createPeerShareReader(deps: ReadPeerShareDeps): ReadPeerShare {
  const options = deps.options ?? {};
  const replayCap = options.replayableBodyBytes ?? 64 * 1024;
  const tokens = new PeerShareTokens({
    client: deps.client,
    store: deps.shortLived,
    keySet: deps.keySet,
    publicUrl: deps.publicUrl,
    clock: deps.clock,
    logger: deps.logger,
  });

  async function findShare(request: PeerShareRequest): Promise<ShareRecord> {
    const credentials = readPublicWebdavAuth(headerValue(request.headers, 'authorization'));
    if (credentials === undefined) {
      throw unauthenticated('Basic credentials with the share token as user are required.');
    }
    const record = await deps.ledger.findBySecret(credentials.token);
    // A secret opens only the share it belongs to, and only under its own peer.
    if (
      record?.direction !== 'incoming' ||
      !samePeerHost(record.peerHost, request.peerHost) ||
      record.state === 'declined' ||
      record.state === 'unshared'
    ) {
      throw unauthenticated('No active share of this peer has that token.');
    }
    return record;
  }

  return async (request) => {
    const record = await findShare(request);
    const { capabilities: peer } = await deps.peers.resolve(peerReferenceOf(record));
    const location = resolveShareLocation({
      webdavUri: record.protocol?.webdavUri,
      webdavRoot: webdavRootOf(peer),
      peerHost: record.peerHost,
      peerUrls: [peer.baseUrl, peer.endPoint],
    });
    if (!location.ok) {
      throw new GatewayError(
        'UPSTREAM_UNREACHABLE',
        'The peer gave this share an unusable location.',
        {
          issues: location.issues,
        },
      );
    }
    const access = chooseShareAccess({
      style: location.value.style,
      requirements: record.protocol?.requirements ?? [],
      hasCode: record.protocol?.code !== undefined,
      recordTokenEndPoint: record.protocol?.tokenEndPoint,
      peerCapabilities: peer.capabilities,
      peerTokenEndPoint: peer.tokenEndPoint,
      peerEndPoint: peer.endPoint,
      tryOptionalExchange: options.tryOptionalExchange ?? true,
    });
    if (access.kind === 'refuse') {
      throw new GatewayError(
        'UPSTREAM_UNREACHABLE',
        `This share cannot be read: ${access.reason}.`,
      );
    }
    const peerBase = location.value.base;
    const target = shareTargetUrl(peerBase, request.path, request.query);
    if (!target.ok) {
      throw new GatewayError('INVALID_REQUEST', 'The path cannot be mapped to the share.', {
        issues: target.issues,
      });
    }
    const method = request.method.toUpperCase();
    const headers = headersToPeer(request.headers);
    const destination = headerValue(request.headers, 'destination');
    if (destination !== undefined)
      headers.destination = mapDestination(destination, request.mountPath, peerBase);
    // Hrefs can only be rewritten in a body that is not compressed.
    if (XML_METHODS.has(method)) headers['accept-encoding'] = 'identity';

    let body: Buffer | Readable | undefined = request.body;
    if (
      request.body !== undefined &&
      request.bodyLength !== undefined &&
      request.bodyLength <= replayCap
    ) {
      body = await readSmallBody(request.body, replayCap);
      if (body === undefined)
        throw new GatewayError('INVALID_REQUEST', 'The body is longer than its Content-Length.');
    }
    const streamed = body !== undefined && !(body instanceof Uint8Array);
    const send = (authorization: string): Promise<PeerStreamResponse> =>
      deps.client.request({
        method,
        url: target.value,
        headers: { ...headers, authorization },
        ...(body !== undefined && { body }),
        expect: 'stream',
        followRedirects: !streamed,
        ...(streamed && { totalTimeoutMs: options.uploadTimeoutMs ?? 3_600_000 }),
        ...(request.signal !== undefined && { signal: request.signal }),
      });
    const response = await sendWithShareAccess(
      { tokens, store: deps.shortLived, logger: deps.logger },
      { record, access, peer, replayable: !streamed, send },
    );
    deps.logger.debug('peer share request', {
      shareId: record.id,
      peerHost: record.peerHost,
      method,
      status: response.status,
      access: access.kind,
    });
    return peerAnswerToBackend(
      response,
      { record, peerBase, mountPath: request.mountPath, method },
      { logger: deps.logger, maxHrefCarry: options.maxHrefCarry ?? 64 * 1024 },
    );
  };
}
