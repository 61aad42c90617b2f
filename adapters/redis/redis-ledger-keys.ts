/**
 * Key layout of everything the gateway keeps in Redis, designed for Redis Cluster. `P` is
 * GATEWAY_REDIS_KEY_PREFIX (default `ocmgw:`; braces refused, so the prefix never is a tag).
 * Cluster hashes only the text inside the first `{...}` of a key; keys that one Lua script or
 * MULTI touches together carry the same tag, so they live in one slot.
 *
 * | key                                   | type   | touched together by                   |
 * | ------------------------------------- | ------ | ------------------------------------- |
 * | P{ledger}:share:<uuid>                | hash   | CREATE_SHARE (with the 4 below)       |
 * | P{ledger}:share-alias-seq             | string | CREATE_SHARE (INCR)                   |
 * | P{ledger}:share-by-alias              | hash   | CREATE_SHARE                          |
 * | P{ledger}:share-by-key                | hash   | CREATE_SHARE                          |
 * | P{ledger}:share-by-secret             | hash   | CREATE_SHARE                          |
 * | P{ledger}:invite:<token index>        | hash   | CREATE_INVITE, TRANSITION_INVITE      |
 * | P{ledger}:outbox:ready                | zset   | every outbox script (all 7 keys)      |
 * | P{ledger}:outbox:{body,attempts,...}  | hash   | every outbox script                   |
 * | P{cap}:peer:<peer key>                | string | MULTI with P{cap}:index; MGET batches |
 * | P{cap}:index                          | zset   | MULTI with the entry                  |
 * | P{tok,nonce,lock,rate}:<key>          | string | one key per command/script, no tag    |
 *
 * The ledger is one slot on purpose: the alias sequence and the three indexes must change
 * atomically with the share record (idempotent create), and the outbox claim moves items between
 * seven keys. It is small (one record per federated share), so one master serves it. The
 * short-lived keys (tokens, replay nonces, locks, rate buckets) are the hot ones: they carry no
 * tag and spread over every slot; the caller's text in them is brace-escaped
 * (clusterSafeKeyPart) so a peer cannot pick their slot. Two fleets with different prefixes on
 * one Cluster share the {ledger} and {cap} slots but never a key.
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
