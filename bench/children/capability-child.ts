/**
 * Capability cache lookups in their own process: the in-process cache of embedded mode, and the
 * Redis cache with and without its L1, counting the Redis GETs so each figure is what it claims.
 */
import type { Redis } from 'ioredis';
import { MemoryCapabilityCache } from '../../adapters/memory/memory-capability-cache.ts';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from '../../adapters/redis/create-redis-client.ts';
import { RedisCapabilityCache } from '../../adapters/redis/redis-capability-cache.ts';
import type { CachedCapabilities, CapabilityCache } from '../../gateway/ports/capability-cache.ts';
import { isLookupVariant, type LookupResult, type LookupVariant } from './lookup-variants.ts';
import { numberField, serveCommands, stringField } from './serve-commands.ts';

const { redisUrl, keyPrefix, peers } = JSON.parse(process.argv[2] ?? '{}') as {
  redisUrl: string;
  keyPrefix: string;
  peers: number;
};
const HOUR = 3_600_000;
const peerKey = (i: number) => `peer-${i}.bench.example.org`;

/** About what a discovery result weighs: endpoints, resource types, criteria and a public key. */
function capabilities(i: number, now: number): CachedCapabilities {
  return {
    value: {
      dialect: 'ocm-1.2',
      endPoint: `https://${peerKey(i)}/ocm`,
      provider: 'Bench Cloud',
      resourceTypes: [
        { name: 'file', shareTypes: ['user', 'group'], protocols: { webdav: '/dav/' } },
      ],
      capabilities: ['exchange-token', 'http-sig', 'invites', 'notifications'],
      criteria: ['http-request-signatures'],
      publicKey: { keyId: `https://${peerKey(i)}/ocm#signature`, publicKeyPem: 'k'.repeat(450) },
    },
    fetchedAt: now,
    staleAt: now + HOUR,
    expiresAt: now + 2 * HOUR,
  };
}

const memory = new MemoryCapabilityCache({ maxEntries: 10_000 });
let client: Redis | undefined;
let redisGets = 0;
let withL1: CapabilityCache | undefined;
let withoutL1: CapabilityCache | undefined;

async function connectRedis(): Promise<string | null> {
  const candidate = createRedisClient({ url: redisUrl, connectionName: 'ocm-gateway-bench' });
  await connectRedisClient(candidate);
  if (candidate.status !== 'ready') {
    candidate.disconnect();
    return `Redis unreachable at ${new URL(redisUrl).host}`;
  }
  // Every command passes through sendCommand: counting GETs proves an "L1 hit" never reached Redis.
  const send = candidate.sendCommand.bind(candidate);
  candidate.sendCommand = (command, stream) => {
    if (command.name === 'get') redisGets += 1;
    return send(command, stream);
  };
  client = candidate;
  withL1 = new RedisCapabilityCache({ client, keyPrefix, l1MaxEntries: peers, l1TtlMs: HOUR });
  withoutL1 = new RedisCapabilityCache({ client, keyPrefix, l1TtlMs: 0 });
  return null;
}

async function populate(): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < peers; i += 1) {
    await memory.put(peerKey(i), capabilities(i, now));
    await withL1?.put(peerKey(i), capabilities(i, now));
  }
}

function cacheFor(variant: LookupVariant): CapabilityCache {
  const cache = variant.startsWith('embedded')
    ? memory
    : variant === 'redis-hit'
      ? withoutL1
      : withL1;
  if (cache === undefined) throw new Error('Redis is not connected');
  return cache;
}

async function lookups(
  variant: LookupVariant,
  count: number,
  concurrency: number,
): Promise<LookupResult> {
  const cache = cacheFor(variant);
  const miss = variant.endsWith('miss');
  let next = 0;
  let hits = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      const key = miss ? `absent-${i % peers}.bench.example.org` : peerKey(i % peers);
      if ((await cache.get(key)) !== undefined) hits += 1;
    }
  };
  const getsBefore = redisGets;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const gets = redisGets - getsBefore;
  const expectedHits = miss ? 0 : count;
  const expectedGets = variant === 'redis-hit' || variant === 'redis-miss' ? count : 0;
  if (hits !== expectedHits || gets !== expectedGets) {
    throw new Error(
      `${variant}: ${hits} hits and ${gets} Redis GETs for ${count} lookups (expected ${expectedHits} and ${expectedGets})`,
    );
  }
  return {
    lookups: count,
    elapsedMs,
    perSecond: (count / elapsedMs) * 1000,
    hits,
    redisGets: gets,
  };
}

/** Every key under the bench's own prefix (bounded: the bench writes about `peers` + 1 keys). */
async function keysUnderPrefix(redis: Redis): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  for (let page = 0; page < 100_000; page += 1) {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = nextCursor;
    if (cursor === '0') break;
  }
  return found;
}

/** Deletes the bench's keys; `left` proves nothing stays behind in a shared Redis. */
async function cleanup(): Promise<{ deleted: number; left: number }> {
  if (client === undefined) return { deleted: 0, left: 0 };
  const keys = await keysUnderPrefix(client);
  let deleted = 0;
  for (let start = 0; start < keys.length; start += 500) {
    deleted += await client.del(...keys.slice(start, start + 500));
  }
  return { deleted, left: (await keysUnderPrefix(client)).length };
}

const redisProblem = await connectRedis();
await populate();
const ready = serveCommands(
  {
    lookups: (m) => {
      const variant = stringField(m, 'variant');
      if (!isLookupVariant(variant)) throw new TypeError(`unknown lookup variant ${variant}`);
      return lookups(variant, numberField(m, 'count'), numberField(m, 'concurrency'));
    },
    cleanup,
  },
  async () => {
    if (client !== undefined) {
      await cleanup().catch(() => undefined);
      await closeRedisClient(client);
    }
  },
);
ready({ redisProblem });
