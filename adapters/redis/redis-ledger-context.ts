/** What the share, invite and outbox parts of one Redis ledger share, and how they read hashes. */
import type { RedisClient } from './redis-connection.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { SecretBox } from '../ledger-crypto/secret-box.ts';
import type { RedisLedgerKeys } from './redis-ledger-keys.ts';
import type { LedgerDurability } from './ledger-write.ts';

export interface RedisLedgerContext {
  readonly client: RedisClient;
  readonly keys: RedisLedgerKeys;
  readonly box: SecretBox;
  readonly clock: Clock;
  /** Writes wait for this many replicas (ledger-write.ts); unset: acknowledged by the master. */
  readonly durability?: LedgerDurability | undefined;
}

export const LEDGER = 'ledger';

export type RedisHash = Readonly<Record<string, string>>;

/** A Lua HGETALL reply (flat [field, value, ...]) as a record. */
export function hashFromReply(reply: unknown): RedisHash {
  if (!Array.isArray(reply)) throw corrupt('hash reply');
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field: unknown = reply[i];
    const value: unknown = reply[i + 1];
    if (typeof field !== 'string' || typeof value !== 'string') throw corrupt('hash reply');
    hash[field] = value;
  }
  return hash;
}

export function field(hash: RedisHash, name: string): string {
  const value = hash[name];
  if (value === undefined) throw corrupt(name);
  return value;
}

export function numberField(hash: RedisHash, name: string): number {
  const value = Number(field(hash, name));
  if (!Number.isSafeInteger(value)) throw corrupt(name);
  return value;
}

export function corrupt(what: string): Error {
  return new Error(`ledger record field ${what} is missing or malformed in Redis`);
}
