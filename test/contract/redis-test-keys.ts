/** Isolation for contract tests on the shared test Redis: a random prefix per test, removed after. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A plain client for test set-up and raw inspection (not the gateway's fail-fast client). */
export function testRedisClient(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
}

export function randomKeyPrefix(): string {
  return `test-${randomBytes(6).toString('hex')}:`;
}

export async function keysWithPrefix(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '500');
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<void> {
  const keys = await keysWithPrefix(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}

/** Every value stored under the prefix, as one string, to search for plaintext secrets. */
export async function dumpKeysWithPrefix(client: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysWithPrefix(client, prefix)) {
    const type = await client.type(key);
    if (type === 'string') parts.push(key, (await client.get(key)) ?? '');
    else if (type === 'hash') parts.push(key, JSON.stringify(await client.hgetall(key)));
    else if (type === 'zset') parts.push(key, JSON.stringify(await client.zrange(key, '0', '-1')));
    else parts.push(key, `<${type}>`);
  }
  return parts.join('\n');
}
