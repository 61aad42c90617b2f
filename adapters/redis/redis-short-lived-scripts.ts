/**
 * Lua for the atomic short-lived operations. Times come from the caller's clock (ARGV), so every
 * replica and the memory adapter decide expiry alike; a real PX expiry is always set as well.
 * Values hold "<expiresAt>|<data>" so the clock check needs no second key.
 */
import { RedisScript } from './redis-script.ts';

/** KEYS[1] nonce; ARGV now, ttlMs, expiresAt → 1 first time, 0 repeat. */
export const REMEMBER = new RedisScript(`
local held = tonumber(redis.call('GET', KEYS[1]) or '')
if held and held > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
return 1
`);

const READ_LOCK = `
local function read_lock(key)
  local value = redis.call('GET', key)
  if not value then return nil, nil end
  local sep = string.find(value, '|', 1, true)
  if not sep then return nil, nil end
  return tonumber(string.sub(value, 1, sep - 1)), string.sub(value, sep + 1)
end
`;

/** KEYS[1] lock; ARGV now, owner, ttlMs, expiresAt → 1 acquired (or extended), 0 held by another. */
export const ACQUIRE_LOCK = new RedisScript(`${READ_LOCK}
local expires, owner = read_lock(KEYS[1])
if expires and expires > tonumber(ARGV[1]) and owner ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[4] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
`);

/** KEYS[1] lock; ARGV now, owner → 1 if a live lock of owner was released. */
export const RELEASE_LOCK = new RedisScript(`${READ_LOCK}
local expires, owner = read_lock(KEYS[1])
if owner ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
if expires and expires > tonumber(ARGV[1]) then return 1 end
return 0
`);

/**
 * KEYS[1] bucket; ARGV now, limit, windowMs → {allowed, remaining, retryAfterMs}.
 * The GCRA of adapters/memory/token-bucket.ts, step for step.
 */
export const HIT = new RedisScript(`
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
local interval = window / tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '')
if not tat or tat < now then tat = now end
local next_tat = tat + interval
local allow_at = next_tat - window
if now < allow_at then
  return {0, 0, math.ceil(allow_at - now)}
end
local remaining = math.floor((window - (next_tat - now)) / interval + 1e-9)
if remaining < 0 then remaining = 0 end
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now))
return {1, remaining, 0}
`);
