/**
 * The guarded HTTP client for calls to peers. Every hop is checked by the SSRF guard and
 * connected to the checked address; redirects stay on the peer's site (core/network).
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import {
  decideRedirect,
  headersForRedirect,
  isRedirectStatus,
} from '../../gateway/core/network/index.ts';
import { checkSchemeAndPort, describeTarget } from './check-peer-target.ts';
import { defaultPeerLookup } from './default-peer-lookup.ts';
import { PeerAgentPool } from './peer-agent-pool.ts';
import { toPeerHttpSettings } from './peer-http-settings.ts';
import type {
  PeerExpect,
  PeerHttpClient,
  PeerHttpClientOptions,
  PeerRequest,
  PeerRequestBody,
  PeerResponseBase,
  PeerResponseByExpect,
} from './peer-http-types.ts';
import { PeerRequestError, peerAbortError, type PeerAbortReason } from './peer-request-error.ts';
import {
  cappedStream,
  checkDeclaredLength,
  decodeText,
  parseTolerantJson,
  readCappedBody,
} from './read-capped-body.ts';
import { sendPeerHop, type PeerHopContext } from './send-peer-hop.ts';

type Headers = Readonly<Record<string, string | readonly string[]>>;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new PeerRequestError('invalid-url', 'the peer URL is not a valid absolute URL');
  }
  const origin = `${url.protocol}//${url.host}`;
  if (url.username !== '' || url.password !== '') {
    throw new PeerRequestError('invalid-url', 'credentials belong in headers, not in the URL', {
      origin,
    });
  }
  url.hash = '';
  return url;
}

/** Caller headers minus Host (the URL decides it), plus our User-Agent unless one is given. */
function initialHeaders(headers: Headers | undefined, userAgent: string): Headers {
  const out: Record<string, string | readonly string[]> = {};
  let agentGiven = false;
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'host') continue;
    if (lower === 'user-agent') agentGiven = true;
    out[name] = value;
  }
  if (!agentGiven) out['User-Agent'] = userAgent;
  return out;
}

function toOutgoing(
  headers: Headers,
  body: Uint8Array | Readable | undefined,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = typeof value === 'string' ? value : [...value];
  }
  const hasLength = Object.keys(out).some((n) => n.toLowerCase() === 'content-length');
  if (body instanceof Uint8Array && !hasLength) out['Content-Length'] = String(body.byteLength);
  return out;
}

function toBody(body: PeerRequestBody | undefined): Uint8Array | Readable | undefined {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Per-call overrides come from our own code, but a NaN cap would silently mean "no cap". */
function checkCallLimits(request: PeerRequest): void {
  const { maxBytes, totalTimeoutMs } = request;
  if (maxBytes !== undefined && !(maxBytes > 0)) {
    throw new PeerRequestError('invalid-url', 'maxBytes must be a positive number');
  }
  if (
    totalTimeoutMs !== undefined &&
    !(Number.isInteger(totalTimeoutMs) && totalTimeoutMs > 0 && totalTimeoutMs <= 3_600_000)
  ) {
    throw new PeerRequestError('invalid-url', 'totalTimeoutMs must be 1–3600000 ms');
  }
}

export function createPeerHttpClient(options: PeerHttpClientOptions): PeerHttpClient {
  const settings = toPeerHttpSettings(options);
  const agents = new PeerAgentPool(settings);
  const context: PeerHopContext = {
    settings,
    lookup: settings.lookup ?? defaultPeerLookup,
    agents,
  };
  let closed = false;

  async function run<E extends PeerExpect>(
    request: PeerRequest<E>,
    signal: AbortSignal,
    onHeaders: () => void,
  ): Promise<PeerResponseByExpect[E]> {
    const original = parseUrl(request.url);
    let method = (request.method ?? 'GET').toUpperCase();
    if (!TOKEN.test(method)) throw new PeerRequestError('invalid-url', 'the method is not a token');
    let url = original;
    let headers = initialHeaders(request.headers, settings.userAgent);
    let body = toBody(request.body);
    const maxBytes =
      request.maxBytes ??
      (request.expect === 'stream' ? Number.POSITIVE_INFINITY : settings.maxResponseBytes);

    for (let redirects = 0; ; redirects += 1) {
      const target = describeTarget(url);
      checkSchemeAndPort(target, settings);
      const { res, remoteAddress } = await sendPeerHop(context, {
        target,
        method,
        headers: toOutgoing(headers, body),
        body,
        signal,
      });
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (request.followRedirects !== false && isRedirectStatus(status) && location !== undefined) {
        res.destroy();
        if (redirects >= settings.maxRedirects) {
          throw new PeerRequestError(
            'too-many-redirects',
            `more than ${settings.maxRedirects} redirects`,
            { origin: target.origin },
          );
        }
        const decision = decideRedirect({ original, current: url, status, location, method });
        if (!decision.follow) {
          throw new PeerRequestError('redirect-refused', decision.reason, {
            origin: target.origin,
          });
        }
        if (decision.keepBody && body !== undefined && !(body instanceof Uint8Array)) {
          throw new PeerRequestError('redirect-refused', 'a streamed body cannot be resent', {
            origin: target.origin,
          });
        }
        headers = headersForRedirect(headers, {
          original,
          next: decision.url,
          keepBody: decision.keepBody,
        });
        body = decision.keepBody ? body : undefined;
        method = decision.method;
        url = decision.url;
        continue;
      }
      const base: PeerResponseBase = {
        status,
        headers: res.headers,
        url: url.href,
        redirects,
        remoteAddress,
      };
      return (await finish(
        request.expect,
        res,
        base,
        maxBytes,
        signal,
        onHeaders,
      )) as PeerResponseByExpect[E];
    }
  }

  async function finish(
    expect: PeerExpect,
    res: IncomingMessage,
    base: PeerResponseBase,
    maxBytes: number,
    signal: AbortSignal,
    onHeaders: () => void,
  ): Promise<PeerResponseByExpect[PeerExpect]> {
    const origin = new URL(base.url).origin;
    try {
      checkDeclaredLength(res, maxBytes, origin);
    } catch (error) {
      res.destroy();
      throw error;
    }
    if (expect === 'stream') {
      onHeaders();
      const body = cappedStream(res, { maxBytes, idleTimeoutMs: settings.totalTimeoutMs, origin });
      return { ...base, kind: 'stream', body };
    }
    const onAbort = (): void => {
      res.destroy(peerAbortError(signal, origin));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const text = decodeText(await readCappedBody(res, maxBytes, origin));
      return expect === 'json'
        ? { ...base, kind: 'json', json: parseTolerantJson(text), text }
        : { ...base, kind: 'text', text };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    async request<E extends PeerExpect>(request: PeerRequest<E>): Promise<PeerResponseByExpect[E]> {
      if (closed) throw new PeerRequestError('client-closed', 'the peer HTTP client is closed');
      checkCallLimits(request);
      const totalMs = request.totalTimeoutMs ?? settings.totalTimeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(() => {
        const reason: PeerAbortReason = {
          failure: 'timeout',
          message: `no complete answer within ${totalMs} ms`,
        };
        controller.abort(reason);
      }, totalMs);
      const onCallerAbort = (): void => {
        const reason: PeerAbortReason = { failure: 'aborted', message: 'the caller gave up' };
        controller.abort(reason);
      };
      const callerSignal = request.signal;
      if (callerSignal?.aborted === true) onCallerAbort();
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      // A stream outlives this call: from its headers on, only its idle limit applies.
      const stopTotal = (): void => {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
      };
      try {
        return await run(request, controller.signal, stopTotal);
      } finally {
        stopTotal();
      }
    },
    close(): void {
      closed = true;
      agents.close();
    },
  };
}
