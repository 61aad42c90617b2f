/**
 * Reads a peer's response body under a byte cap, enforced while the bytes arrive (a declared
 * Content-Length above the cap fails at once), and decodes it as UTF-8 text or tolerant JSON.
 */
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import type { JsonValue } from '../../gateway/core/model/json-value.ts';
import { PeerRequestError, peerErrorFromNode } from './peer-request-error.ts';

function tooLarge(origin: string, maxBytes: number): PeerRequestError {
  return new PeerRequestError(
    'response-too-large',
    `the response is larger than the ${maxBytes}-byte limit`,
    { origin },
  );
}

/** Fails early when the peer announces more than the cap. */
export function checkDeclaredLength(res: IncomingMessage, maxBytes: number, origin: string): void {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(origin, maxBytes);
}

export function readCappedBody(
  res: IncomingMessage,
  maxBytes: number,
  origin: string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(peerErrorFromNode(error, origin));
      res.destroy();
    };
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        fail(tooLarge(origin, maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    res.on('error', fail);
    res.once('close', () => {
      if (!res.complete) {
        fail(
          new PeerRequestError('invalid-response', 'the peer closed the connection mid-response', {
            origin,
          }),
        );
      }
    });
  });
}

/** UTF-8 text; a byte-order mark is dropped, invalid sequences become U+FFFD. */
export function decodeText(body: Uint8Array): string {
  return new TextDecoder('utf-8').decode(body);
}

/**
 * The body as JSON whatever its Content-Type (old servers send JSON as text/html or text/json),
 * or undefined when it is not JSON.
 */
export function parseTolerantJson(text: string): JsonValue | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * Passes a streamed body on under a byte cap and an inactivity limit; both end the stream with
 * a PeerRequestError and close the connection.
 */
export function cappedStream(
  res: IncomingMessage,
  options: { readonly maxBytes: number; readonly idleTimeoutMs: number; readonly origin: string },
): Readable {
  let received = 0;
  const { origin, maxBytes } = options;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      idle.refresh();
      if (received > maxBytes) callback(tooLarge(origin, maxBytes));
      else callback(null, chunk);
    },
  });
  const idle = setTimeout(() => {
    out.destroy(
      new PeerRequestError('timeout', `the peer sent nothing for ${options.idleTimeoutMs} ms`, {
        origin,
      }),
    );
  }, options.idleTimeoutMs);
  const stop = (): void => {
    clearTimeout(idle);
    if (!res.complete) res.destroy();
  };
  out.once('close', stop);
  res.on('error', (error) => out.destroy(peerErrorFromNode(error, origin)));
  res.once('close', () => {
    if (!res.complete) {
      out.destroy(
        new PeerRequestError('invalid-response', 'the peer closed the connection mid-response', {
          origin,
        }),
      );
    }
  });
  res.pipe(out);
  return out;
}
