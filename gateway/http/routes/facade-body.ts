/**
 * Reads the backend's request body on the facade, capped (both doors: the facade routes and the
 * forward proxy's intercepted calls arrive with the body unread). Legacy senders post forms;
 * ownCloud 10.1+ and recent Nextcloud may post JSON, which the codecs read as a record too.
 */
import type { Request } from 'express';
import { GatewayError } from '../../core/errors/gateway-error.ts';

export async function readFacadeBody(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new GatewayError('PAYLOAD_TOO_LARGE', 'Request body too large.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new GatewayError('PAYLOAD_TOO_LARGE', 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function isJson(req: Request): boolean {
  return /\bjson\b/i.test(req.headers['content-type'] ?? '');
}

/** The body for the OCS codecs: form text, or the decoded JSON record. */
export function formOrJson(req: Request, body: Buffer): unknown {
  const text = body.toString('utf8');
  if (!isJson(req)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GatewayError('INVALID_REQUEST', 'The request body is not valid JSON.');
  }
}

/** The same call as a form string (what is passed on to legacy peers). */
export function asFormText(value: unknown): string {
  if (typeof value === 'string') return value;
  const form = new URLSearchParams();
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' || typeof item === 'number') form.append(key, String(item));
    }
  }
  return form.toString();
}

export function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new GatewayError('INVALID_REQUEST', 'The request body is not valid JSON.');
  }
}
