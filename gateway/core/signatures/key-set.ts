/**
 * The gateway's own signing keys and their rotation states: `next` (published, not signing yet),
 * `active` (signing), `retired` (published until `retiredUntil`, no longer signing). Publishing a
 * key before it signs and after it stops lets peers with cached key sets follow a rotation.
 */
import type { KeyObject } from 'node:crypto';
import type { KeyFamily } from './signing-key.ts';

export type KeyState = 'next' | 'active' | 'retired';

export interface KeyRecord {
  /** Local id, unique in the set; the published key id is derived from it and the public URL. */
  readonly kid: string;
  readonly family: KeyFamily;
  readonly state: KeyState;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds; only for `retired` keys. */
  readonly retiredUntil?: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface KeySet {
  readonly keys: readonly KeyRecord[];
}

export const KEY_FAMILIES: readonly KeyFamily[] = ['ed25519', 'rsa'];

export function activeKey(set: KeySet, family: KeyFamily): KeyRecord | undefined {
  return set.keys.find((key) => key.family === family && key.state === 'active');
}

/** Keys peers should still be able to find: next, active, and retired ones not yet expired. */
export function publishedKeys(set: KeySet, family: KeyFamily, now: number): KeyRecord[] {
  return set.keys.filter(
    (key) => key.family === family && (key.state !== 'retired' || (key.retiredUntil ?? 0) > now),
  );
}

/** Problems that make a set unusable (each family needs exactly one active key). */
export function keySetProblems(set: KeySet): string[] {
  const problems: string[] = [];
  for (const family of KEY_FAMILIES) {
    const active = set.keys.filter((key) => key.family === family && key.state === 'active');
    if (active.length !== 1) problems.push(`${family}: ${active.length} active keys, expected 1`);
  }
  const kids = set.keys.map((key) => key.kid);
  if (new Set(kids).size !== kids.length) problems.push('two keys share a kid');
  return problems;
}

/**
 * One rotation step per family in `fresh` (the newly generated keys, one per family, which become
 * the new `next`): next → active, active → retired until `now + overlapMs`. A family without a
 * `next` key promotes nothing: its fresh key becomes active directly.
 */
export function rotateKeySet(
  set: KeySet,
  fresh: readonly KeyRecord[],
  now: number,
  overlapMs: number,
): KeySet {
  const rotated = new Set(fresh.map((key) => key.family));
  const keys: KeyRecord[] = [];
  for (const key of set.keys) {
    if (!rotated.has(key.family)) keys.push(key);
    else if (key.state === 'active') {
      keys.push({ ...key, state: 'retired', retiredUntil: now + overlapMs });
    } else if (key.state === 'next') keys.push({ ...key, state: 'active' });
    else keys.push(key);
  }
  for (const key of fresh) {
    const promoted = keys.some((other) => other.family === key.family && other.state === 'active');
    keys.push({ ...key, state: promoted ? 'next' : 'active' });
  }
  return { keys };
}

/** Drops retired keys whose publication time is over. */
export function pruneKeySet(set: KeySet, now: number): KeySet {
  return {
    keys: set.keys.filter((key) => key.state !== 'retired' || (key.retiredUntil ?? 0) > now),
  };
}
