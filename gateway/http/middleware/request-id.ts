/** Gives every request an id: X-Request-Id if sane, else the W3C traceparent trace id, else a new UUID. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && SANE_ID.test(given)) return given;
  const trace = headers.traceparent;
  const match = typeof trace === 'string' ? TRACEPARENT.exec(trace.trim()) : null;
  if (match?.[1] !== undefined && !/^0+$/.test(match[1])) return match[1];
  return randomUUID();
}

/** Echoes the request's id to the caller and rewrites the header so it travels upstream. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdFrom(req.headers);
  req.headers['x-request-id'] = id;
  res.setHeader('X-Request-Id', id);
  return id;
}

/** assignRequestId, kept in res.locals.requestId for the handlers and logs after it. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId = assignRequestId(req, res);
    next();
  };
}
