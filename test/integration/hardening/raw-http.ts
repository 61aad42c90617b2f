/** Raw-socket HTTP for the hardening tests: bytes exactly as written, responses read until close. */
import net from 'node:net';

export interface RawExchange {
  /** Everything the server sent before closing (or before the timeout). */
  readonly text: string;
  /** Status codes of every response in `text`, in order. */
  readonly statuses: readonly number[];
  /** True when the server closed the connection (false: it was still open at the timeout). */
  readonly closed: boolean;
}

/**
 * Sends `bytes` on a fresh loopback connection, half-closes after `endAfterMs` (so a server waiting
 * for more body gives up), and resolves on close or after `timeoutMs`.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  options: { endAfterMs?: number; timeoutMs?: number } = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(ender);
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ text, statuses: statusesIn(text), closed });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      settle(true);
    });
    socket.write(bytes);
    const ender = setTimeout(() => socket.end(), options.endAfterMs ?? 200);
    const timer = setTimeout(() => {
      settle(false);
    }, options.timeoutMs ?? 3_000);
  });
}

export function statusesIn(text: string): number[] {
  return [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
}

/** The body of the first response (after the first blank line). */
export function firstBody(text: string): string {
  const start = text.indexOf('\r\n\r\n');
  return start < 0 ? '' : text.slice(start + 4);
}

export interface RawResponse {
  readonly status: number;
  /** The header block, lower-cased. */
  readonly head: string;
  readonly body: string;
}

/** Splits pipelined responses by their framing (Content-Length, chunked, or until close). */
export function responsesIn(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const head = rest.slice(0, headEnd).toLowerCase();
    const status = Number(head.slice(9, 12));
    let after = rest.slice(headEnd + 4);
    let body: string;
    const length = /\r\ncontent-length: *(\d+)/.exec(head);
    if (length !== null) {
      body = after.slice(0, Number(length[1]));
      after = after.slice(body.length);
    } else if (/\r\ntransfer-encoding: *chunked/.test(head)) {
      body = '';
      for (;;) {
        const lineEnd = after.indexOf('\r\n');
        const size = lineEnd < 0 ? 0 : parseInt(after.slice(0, lineEnd), 16);
        after = after.slice(lineEnd + 2);
        if (!(size > 0)) {
          after = after.slice(2);
          break;
        }
        body += after.slice(0, size);
        after = after.slice(size + 2);
      }
    } else {
      body = status === 100 || status === 204 || status === 304 ? '' : after;
      after = status === 100 || status === 204 || status === 304 ? after : '';
    }
    responses.push({ status, head, body });
    rest = after;
  }
  return responses;
}
