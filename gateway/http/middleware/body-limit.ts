/**
 * Reads a federation request body with a byte ceiling (issue 6 item 4): a declared Content-Length
 * over the limit is refused before reading, a chunked body is counted as it arrives and refused
 * the moment it passes the limit, and a body that trickles in too slowly is cut off (408).
 * The bytes are kept for the route (`rawBodyOf`): signature digests need them exactly as sent.
 * Never mount it in front of the pass-through, which streams bodies of any size.
 */
import type { Request, RequestHandler, Response } from 'express';
import { GatewayError } from '../../core/errors/gateway-error.ts';

export interface BodyLimitOptions {
  /** How long the whole body may take to arrive once the handler starts reading. Default 30 s. */
  readonly timeoutMs?: number;
}

const bodies = new WeakMap<Request, Buffer>();

/** The body bodyLimit read; undefined when bodyLimit did not run for this request. */
export function rawBodyOf(req: Request): Buffer | undefined {
  return bodies.get(req);
}

/** True when the request had a body that bodyLimit consumed from the socket. */
export function bodyWasConsumed(req: Request): boolean {
  return bodies.has(req) && hasBody(req);
}

/** `limit` may be a function: read per request, so a config reload changes it live. */
export function bodyLimit(
  limit: number | (() => number),
  options: BodyLimitOptions = {},
): RequestHandler {
  const limitOf = typeof limit === 'number' ? () => limit : limit;
  const initial = limitOf();
  if (!Number.isSafeInteger(initial) || initial < 0) {
    throw new RangeError(`bodyLimit: maxBytes must be a non-negative integer, got ${initial}`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`bodyLimit: timeoutMs must be a positive integer, got ${timeoutMs}`);
  }
  return (req, res, next) => {
    const maxBytes = limitOf();
    if (bodies.has(req)) {
      next();
      return;
    }
    if (!hasBody(req)) {
      bodies.set(req, Buffer.alloc(0));
      next();
      return;
    }
    // node has already refused a malformed or duplicated Content-Length, so this is one number.
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) {
      next(tooLarge(res, maxBytes));
      return;
    }
    readBody(req, res, maxBytes, timeoutMs, next);
  };
}

function readBody(
  req: Request,
  res: Response,
  maxBytes: number,
  timeoutMs: number,
  next: (error?: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: GatewayError | undefined) => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    if (error !== undefined) {
      // Stop reading: whatever else is on the wire is dropped with the connection.
      req.pause();
      next(error);
      return;
    }
    bodies.set(req, Buffer.concat(chunks, received));
    next();
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) finish(tooLarge(res, maxBytes));
    else chunks.push(chunk);
  };
  const onEnd = () => {
    finish(undefined);
  };
  // The client went away before the end: nobody is left to answer.
  const onClose = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', onEnd);
  };
  const timer = setTimeout(() => {
    res.setHeader('Connection', 'close');
    finish(
      new GatewayError(
        'REQUEST_TIMEOUT',
        `The request body did not arrive within ${timeoutMs} ms.`,
      ),
    );
  }, timeoutMs);
  req.on('data', onData);
  req.once('end', onEnd);
  req.once('close', onClose);
  // Errors end in 'close'; a listener keeps an aborted request from throwing.
  req.on('error', () => undefined);
}

function tooLarge(res: Response, maxBytes: number): GatewayError {
  // The rest of the body is never read, so the connection cannot carry another request.
  res.setHeader('Connection', 'close');
  return new GatewayError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${maxBytes} bytes.`,
  );
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
