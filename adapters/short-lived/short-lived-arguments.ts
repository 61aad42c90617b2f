/**
 * Argument checks shared by every ShortLivedStore adapter, so a bad TTL or limit is refused the
 * same way everywhere (a programming error: RangeError naming the argument, never a silent clamp).
 */

export function checkKey(name: string, key: string): void {
  if (key.length === 0) throw new RangeError(`${name} must not be empty`);
}

export function checkTtl(name: string, ms: number): void {
  if (!Number.isInteger(ms) || ms < 1) {
    throw new RangeError(`${name} must be a positive integer of milliseconds, got ${String(ms)}`);
  }
}

export function checkRate(limit: number, windowMs: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  checkTtl('windowMs', windowMs);
}
