/**
 * The JSON form of a capability cache entry in Redis. `v` versions the shape so replicas of a newer
 * gateway can tell an old entry (and treat it as a miss) during a rolling upgrade. The value itself
 * is trusted as T: only gateway replicas write these keys.
 */
import type { CachedCapabilities } from '../../gateway/ports/capability-cache.ts';

const VERSION = 1;

export function encodeCachedCapabilities(entry: CachedCapabilities): string {
  return JSON.stringify({ v: VERSION, ...entry });
}

/** The entry, or undefined if `raw` is not a well-formed entry of this version. */
export function decodeCachedCapabilities<T>(raw: string): CachedCapabilities<T> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const { v, value, fetchedAt, staleAt, expiresAt, negative, failures } = record;
  if (v !== VERSION) return undefined;
  if (![fetchedAt, staleAt, expiresAt].every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return undefined;
  }
  if (negative !== undefined && typeof negative !== 'boolean') return undefined;
  if (failures !== undefined && typeof failures !== 'number') return undefined;
  return {
    value: value as T,
    fetchedAt: fetchedAt as number,
    staleAt: staleAt as number,
    expiresAt: expiresAt as number,
    ...(negative === undefined ? {} : { negative }),
    ...(failures === undefined ? {} : { failures }),
  };
}
