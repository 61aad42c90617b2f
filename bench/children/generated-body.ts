/** A body of an exact length made on the fly from one reused block, so neither side holds it in memory. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = randomBytes(64 * 1024);

/** `bytes` bytes of pseudo-random content, respecting backpressure; costs no copy per chunk. */
export function generatedBody(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    highWaterMark: BLOCK.length,
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const chunk = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
      left -= chunk.length;
      this.push(chunk);
    },
  });
}
