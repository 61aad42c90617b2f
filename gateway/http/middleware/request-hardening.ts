/**
 * First middleware of the public listener (issue 6 item 5): refuses what must never reach a route
 * or the backend, and gives every path one spelling. Node's parser already refuses duplicate or
 * malformed Content-Length, Content-Length with Transfer-Encoding, transfer codings not ending in
 * `chunked`, bad header characters, bare LF/CR, unknown methods and oversize headers; these checks
 * repeat the framing ones (cheap, and the gateway stays safe if a parser is made lenient) and add
 * what node lets through: absolute-form / asterisk-form targets, HTTP versions other than 1.0/1.1
 * (node reads `GET /` as HTTP/0.9), Transfer-Encoding on HTTP/1.0, a coding list such as
 * `gzip, chunked`, duplicate or malformed Host, TRACE/TRACK, and the path rules of
 * request-hardening-path.ts. CONNECT never reaches express: start-listener answers it.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { Logger } from '../../ports/logger.ts';
import { sendErrorInDialect } from '../ocs-error-responder.ts';
import { normaliseRequestTarget } from './request-hardening-path.ts';

export interface RequestHardeningOptions {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

/** The parts of a request the checks read; an IncomingMessage has them all. */
export interface InspectedRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly rawHeaders: readonly string[];
}

export type Inspection =
  | { readonly ok: true; readonly target: string }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly code: 'INVALID_REQUEST' | 'METHOD_NOT_ALLOWED';
      readonly message: string;
    };

const REFUSED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** What a 405 must list (RFC 9110 §15.5.6): the methods the pass-through relays. */
export const ALLOWED_METHODS =
  'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK, REPORT, SEARCH';
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// reg-name / IPv4 or an IPv6 literal, then an optional port (RFC 9110 §7.2, RFC 3986 §3.2.2).
const HOST = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=%]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

const originalTargets = new WeakMap<IncomingMessage, string>();

/** The request target exactly as the client sent it, when hardening rewrote it (else undefined). */
export function originalTargetOf(req: IncomingMessage): string | undefined {
  return originalTargets.get(req);
}

/** Gives the request the target inspectRequest normalised, remembering the one the client sent. */
export function adoptTarget(req: IncomingMessage, target: string): void {
  const sent = req.url ?? '';
  if (target === sent) return;
  originalTargets.set(req, sent);
  req.url = target;
}

export function inspectRequest(req: InspectedRequest): Inspection {
  if (req.httpVersionMajor !== 1 || (req.httpVersionMinor !== 0 && req.httpVersionMinor !== 1)) {
    return invalid('bad-version', 'Only HTTP/1.0 and HTTP/1.1 are spoken here.');
  }
  const method = req.method ?? '';
  if (REFUSED_METHODS.has(method)) {
    return {
      ok: false,
      reason: 'method',
      code: 'METHOD_NOT_ALLOWED',
      message: `${method} is not allowed on this server.`,
    };
  }
  const framing = inspectFraming(req);
  if (framing !== undefined) return framing;
  const url = req.url ?? '';
  if (!url.startsWith('/')) {
    if (url === '*') return invalid('asterisk-form', 'The request target "*" is not served here.');
    if (ABSOLUTE_FORM.test(url)) {
      return invalid('absolute-form', 'This is not a proxy: send the path only, not a full URL.');
    }
    return invalid('bad-target', 'The request target must be a path starting with "/".');
  }
  const path = normaliseRequestTarget(url);
  if (!path.ok) return invalid(path.reason, `Refused path: ${path.message}.`);
  return { ok: true, target: path.target };
}

function inspectFraming(req: InspectedRequest): Inspection | undefined {
  const hosts: string[] = [];
  const lengths: string[] = [];
  const codings: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'host') hosts.push(value);
    else if (name === 'content-length') lengths.push(value);
    else if (name === 'transfer-encoding') codings.push(value);
  }
  if (hosts.length > 1) return invalid('duplicate-host', 'More than one Host header.');
  const host = hosts[0];
  if (host !== undefined && !HOST.test(host)) return invalid('bad-host', 'Malformed Host header.');
  if (lengths.length > 1) {
    return invalid('duplicate-content-length', 'More than one Content-Length header.');
  }
  if (lengths.length === 1 && !/^[0-9]+$/.test(lengths[0]?.trim() ?? '')) {
    return invalid('bad-content-length', 'Content-Length is not a number.');
  }
  if (codings.length === 0) return undefined;
  if (lengths.length > 0) {
    return invalid(
      'content-length-and-transfer-encoding',
      'Both Content-Length and Transfer-Encoding.',
    );
  }
  if (req.httpVersionMinor === 0) {
    // RFC 9112 §6.1: HTTP/1.0 has no chunked framing; such a message's framing is faulty.
    return invalid('transfer-encoding-http10', 'Transfer-Encoding is not defined for HTTP/1.0.');
  }
  const list = codings
    .join(',')
    .split(',')
    .map((coding) => coding.trim().toLowerCase());
  if (list.length !== 1 || list[0] !== 'chunked') {
    return invalid('transfer-coding', 'Only "Transfer-Encoding: chunked" is accepted.');
  }
  return undefined;
}

function invalid(reason: string, message: string): Inspection {
  return { ok: false, reason, code: 'INVALID_REQUEST', message };
}

export function requestHardening(options: RequestHardeningOptions): RequestHandler {
  return (req, res, next) => {
    const inspection = inspectRequest(req);
    if (inspection.ok) {
      if (inspection.target !== req.url) {
        adoptTarget(req, inspection.target);
        req.originalUrl = inspection.target;
      }
      next();
      return;
    }
    options.metrics.requestsRefused.inc({ guard: 'hardening', reason: inspection.reason });
    // The target is left out: it is attacker-chosen and may carry share tokens.
    options.logger.info('request refused by hardening', {
      reason: inspection.reason,
      method: req.method,
      httpVersion: req.httpVersion,
      remoteAddress: req.socket.remoteAddress,
    });
    // Whatever follows on this connection cannot be trusted to be framed as we think.
    res.setHeader('Connection', 'close');
    if (inspection.code === 'METHOD_NOT_ALLOWED') res.setHeader('Allow', ALLOWED_METHODS);
    sendErrorInDialect(req, res, new GatewayError(inspection.code, inspection.message));
  };
}
