/**
 * Key layout of the Redis ledger. Every key carries the hash tag {ledger}, so all of them live in
 * one Cluster slot and the Lua scripts may touch several atomically. The ledger is small (one
 * record per federated share), so one slot is a fair price for atomic idempotency.
 */
import { checkKeyPrefix } from './redis-key-prefix.ts';

export interface RedisLedgerKeys {
  share(id: string): string;
  readonly shareSequence: string;
  readonly shareByAlias: string;
  readonly shareByKey: string;
  readonly shareBySecret: string;
  invite(tokenIndex: string): string;
  /** In the order the outbox scripts expect as KEYS[1..7]. */
  readonly outbox: readonly [
    ready: string,
    body: string,
    attempts: string,
    dueAt: string,
    leaseOwner: string,
    leaseUntil: string,
    lastError: string,
  ];
}

export function redisLedgerKeys(keyPrefix: string): RedisLedgerKeys {
  const base = `${checkKeyPrefix(keyPrefix)}{ledger}:`;
  return {
    share: (id) => `${base}share:${id}`,
    shareSequence: `${base}share-alias-seq`,
    shareByAlias: `${base}share-by-alias`,
    shareByKey: `${base}share-by-key`,
    shareBySecret: `${base}share-by-secret`,
    invite: (tokenIndex) => `${base}invite:${tokenIndex}`,
    outbox: [
      `${base}outbox:ready`,
      `${base}outbox:body`,
      `${base}outbox:attempts`,
      `${base}outbox:due-at`,
      `${base}outbox:lease-owner`,
      `${base}outbox:lease-until`,
      `${base}outbox:last-error`,
    ],
  };
}
