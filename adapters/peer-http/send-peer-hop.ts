/**
 * One request/response exchange with a peer, no redirects: guard (resolve + check), connect to
 * the checked address only, send, and hand back the response head. The connect timeout covers
 * resolution, TCP and the TLS handshake; `signal` (total deadline, caller abort) covers it all.
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { checkPeerAddresses, type PeerTarget } from './check-peer-target.ts';
import type { PeerAgentPool } from './peer-agent-pool.ts';
import type { PeerHttpSettings } from './peer-http-settings.ts';
import type { PeerLookup } from './peer-http-types.ts';
import { PeerRequestError, peerAbortError, peerErrorFromNode } from './peer-request-error.ts';
import { pinnedLookup } from './pinned-lookup.ts';

export interface PeerHop {
  readonly target: PeerTarget;
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Uint8Array | Readable | undefined;
  /** Aborted with a PeerAbortReason (total deadline, caller gave up). */
  readonly signal: AbortSignal;
}

export interface PeerHopContext {
  readonly settings: PeerHttpSettings;
  readonly lookup: PeerLookup;
  readonly agents: PeerAgentPool;
}

export interface PeerHopResponse {
  readonly res: IncomingMessage;
  readonly remoteAddress: string;
}

export async function sendPeerHop(context: PeerHopContext, hop: PeerHop): Promise<PeerHopResponse> {
  const { target, signal } = hop;
  const { origin } = target;
  if (signal.aborted) throw peerAbortError(signal, origin);
  const ms = context.settings.connectTimeoutMs;
  const connectTimeout = new PeerRequestError('connect-timeout', `no connection within ${ms} ms`, {
    origin,
  });
  let cancel: (error: PeerRequestError) => void = () => undefined;
  let timer = setTimeout(() => cancel(connectTimeout), ms);
  const onAbort = (): void => cancel(peerAbortError(signal, origin));
  signal.addEventListener('abort', onAbort, { once: true });
  const done = (): void => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  };

  let addresses;
  try {
    addresses = await new Promise<Awaited<ReturnType<typeof checkPeerAddresses>>>(
      (resolve, reject) => {
        cancel = reject;
        checkPeerAddresses(target, context.settings, context.lookup).then(resolve, reject);
      },
    );
  } catch (error) {
    done();
    throw error;
  }

  const secure = target.url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const options = {
    protocol: target.url.protocol,
    hostname: target.hostname,
    port: target.port,
    path: `${target.url.pathname}${target.url.search}`,
    method: hop.method,
    headers: hop.headers,
    agent: context.agents.agentFor(origin, secure),
    lookup: pinnedLookup(target.hostname, addresses),
  };
  const body = hop.body;
  const replayable = body === undefined || body instanceof Uint8Array;

  return new Promise<PeerHopResponse>((resolve, reject) => {
    const attempt = (mayRetry: boolean): void => {
      if (signal.aborted) {
        done();
        reject(peerAbortError(signal, origin));
        return;
      }
      let req;
      try {
        req = send(options);
      } catch (error) {
        // Header values with control characters and the like are refused synchronously.
        done();
        reject(
          new PeerRequestError('invalid-url', 'the request could not be built (bad header?)', {
            origin,
            cause: error,
          }),
        );
        return;
      }
      const sent = req;
      let answered = false;
      cancel = (error) => sent.destroy(error);
      sent.once('socket', (socket) => {
        if (sent.reusedSocket) {
          clearTimeout(timer);
          return;
        }
        socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
      });
      sent.once('response', (res) => {
        answered = true;
        done();
        resolve({ res, remoteAddress: res.socket.remoteAddress ?? '' });
      });
      sent.on('error', (error) => {
        if (!answered && mayRetry && sent.reusedSocket && isStaleSocketError(error)) {
          // The peer closed a pooled connection just as it was reused: nothing reached it.
          clearTimeout(timer);
          timer = setTimeout(() => cancel(connectTimeout), ms);
          attempt(false);
          return;
        }
        done();
        reject(peerErrorFromNode(error, origin));
      });
      if (body === undefined) sent.end();
      else if (body instanceof Uint8Array) sent.end(body);
      else {
        pipeline(body, sent, (error) => {
          if (error) sent.destroy(error);
        });
      }
    };
    attempt(replayable && IDEMPOTENT.has(hop.method));
  });
}

// RFC 9110 §9.2.2: only these may be sent again without asking the caller.
const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function isStaleSocketError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}
