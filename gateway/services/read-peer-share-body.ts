/**
 * Bodies crossing the facade (flow 3): small request bodies (PROPFIND XML) are read into memory up
 * to a cap so a request can be sent again after a 401; everything else streams. A 207 answer is
 * streamed through the href rewriter, the only body the gateway changes.
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';
import { HrefStreamRewriter } from '../core/peer-webdav/href-stream-rewriter.ts';

/** The body, or undefined when it turned out longer than `maxBytes` (then `stream` is spent). */
export async function readSmallBody(
  stream: Readable,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > maxBytes) {
      stream.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** A Transform applying `map` to every href of a UTF-8 Multi-Status body, memory bounded by `maxCarry`. */
export function hrefRewritingStream(
  map: (href: string) => string | undefined,
  maxCarry: number,
  onEnd?: (stats: { rewritten: number; overflowed: number }) => void,
): Transform {
  const decoder = new StringDecoder('utf8');
  const rewriter = new HrefStreamRewriter(map, maxCarry);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const text = rewriter.push(decoder.write(chunk));
      callback(null, text === '' ? undefined : Buffer.from(text, 'utf8'));
    },
    flush(callback) {
      const text = rewriter.push(decoder.end()) + rewriter.end();
      onEnd?.({ rewritten: rewriter.rewritten, overflowed: rewriter.overflowed });
      callback(null, text === '' ? undefined : Buffer.from(text, 'utf8'));
    },
  });
}
