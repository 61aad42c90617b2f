/**
 * Lua for the Redis ledger: idempotent share create with alias allocation, guarded updates, invite
 * compare-and-set, and the outbox lease protocol. Each script declares every key it touches.
 */
import { RedisScript } from './redis-script.ts';

/**
 * KEYS share, alias-seq, by-alias, by-key, by-secret; ARGV keyId, secretIndex, id, n, the secret's
 * index under each of n previous ledger keys, field/value...
 * → {1, alias} created, {0, existingId} same ShareKey exists, {2, ''} secret used by another share.
 */
export const CREATE_SHARE = new RedisScript(`
local existing = redis.call('HGET', KEYS[4], ARGV[1])
if existing then return {0, existing} end
local previous = tonumber(ARGV[4])
for i = 0, previous do
  local index = ARGV[2]
  if i > 0 then index = ARGV[4 + i] end
  if redis.call('HEXISTS', KEYS[5], index) == 1 then return {2, ''} end
end
local alias = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'alias', alias, unpack(ARGV, 5 + previous))
redis.call('HSET', KEYS[3], alias, ARGV[3])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[5], ARGV[2], ARGV[3])
return {1, alias}
`);

/** KEYS share; ARGV updatedAt, state or '', backendShareId or '' → the hash, or nil if absent. */
export const UPDATE_SHARE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'state', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'backendShareId', ARGV[3]) end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
return redis.call('HGETALL', KEYS[1])
`);

/**
 * KEYS invite, then the same token's invite key under each previous ledger key; ARGV field/value...
 * → 1 created, 0 the token exists.
 */
export const CREATE_INVITE = new RedisScript(`
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`);

/**
 * KEYS invite; ARGV from, to, acceptedBy or '', updatedAt
 * → {0} absent, {2, hash} state is not 'from', {1, hash} updated.
 */
export const TRANSITION_INVITE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then
  return {2, redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[4])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'acceptedBy', ARGV[3]) end
return {1, redis.call('HGETALL', KEYS[1])}
`);

/**
 * Rewrap of one share (Ledger.rewrap): KEYS share, by-secret; ARGV id, sealed secret as read, sealed
 * secret now, its index now, sealed protocol now or '' (none), the secret's previous indexes...
 * → 1 moved, 0 the share changed (or went) since it was read.
 */
export const REWRAP_SHARE = new RedisScript(`
if redis.call('HGET', KEYS[1], 'secret') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'secret', ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'protocol', ARGV[5]) end
for i = 6, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[i]) end
end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[1])
return 1
`);

/**
 * Rewrap of one invite: KEYS its key now, its key under the current ledger key; ARGV sealed token
 * as read, sealed token now → 1 moved, 0 changed since it was read (or the new key is taken).
 */
export const REWRAP_INVITE = new RedisScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[2], 'token', ARGV[2])
return 1
`);

/** Rewrap of one outbox payload: KEYS body hash; ARGV id, sealed as read, sealed now → 1 or 0. */
export const REWRAP_OUTBOX_BODY = new RedisScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

// Outbox KEYS: 1 ready (zset id → when claimable), 2 body, 3 attempts, 4 due-at, 5 lease-owner,
// 6 lease-until, 7 last-error (hashes keyed by id). Items come back as
// {id, body, attempts, dueAt, leaseOwner, leaseUntil, lastError}; absent fields are nil.
const ITEM = `
local function item(id)
  return {id, redis.call('HGET', KEYS[2], id), redis.call('HGET', KEYS[3], id),
    redis.call('HGET', KEYS[4], id), redis.call('HGET', KEYS[5], id),
    redis.call('HGET', KEYS[6], id), redis.call('HGET', KEYS[7], id)}
end
`;

/** ARGV id, body, dueAt → the item. */
export const ENQUEUE_OUTBOX = new RedisScript(`${ITEM}
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], 0)
redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return item(ARGV[1])
`);

/** ARGV now, owner, leaseUntil, limit → leased items; the lease moves the score to leaseUntil. */
export const CLAIM_OUTBOX = new RedisScript(`${ITEM}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[4])
local out = {}
for _, id in ipairs(ids) do
  if redis.call('HEXISTS', KEYS[2], id) == 0 then
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    redis.call('HINCRBY', KEYS[3], id, 1)
    redis.call('HSET', KEYS[5], id, ARGV[2])
    redis.call('HSET', KEYS[6], id, ARGV[3])
    out[#out + 1] = item(id)
  end
end
return out
`);

/** ARGV id, owner → 1 removed, 0 not leased by owner. */
export const ACK_OUTBOX = new RedisScript(`
if redis.call('HGET', KEYS[5], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, 7 do redis.call('HDEL', KEYS[i], ARGV[1]) end
return 1
`);

/** ARGV id, owner, dueAt, error or '' → 1 rescheduled, 0 not leased by owner. */
export const NACK_OUTBOX = new RedisScript(`
if redis.call('HGET', KEYS[5], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[7], ARGV[1], ARGV[4]) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`);

/** ARGV now, limit → due items not under a live lease (read-only). */
export const LIST_OUTBOX = new RedisScript(`${ITEM}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local out = {}
for _, id in ipairs(ids) do
  if redis.call('HEXISTS', KEYS[2], id) == 1 then out[#out + 1] = item(id) end
end
return out
`);
