import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { createRedisClient } from '../../adapters/redis/create-redis-client.ts';
import { RedisLedger } from '../../adapters/redis/redis-ledger.ts';
import { LEDGER_TEST_KEY, newShare, runLedgerContract } from './ledger.contract.ts';
import {
  deleteKeysWithPrefix,
  dumpKeysWithPrefix,
  keysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from './redis-test-keys.ts';

let client: Redis;
let raw: Redis;

before(async () => {
  client = createRedisClient({ url: testRedisUrl() });
  await client.connect();
  raw = testRedisClient();
});

after(async () => {
  await client.quit();
  await raw.quit();
});

runLedgerContract('redis', (clock) => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({
    client,
    keyPrefix,
    secretKey: LEDGER_TEST_KEY,
    clock: clock.now,
  });
  return Promise.resolve({
    ledger,
    rawDump: () => dumpKeysWithPrefix(raw, keyPrefix),
    openWithKeys: (secretKey: string, previousSecretKeys: readonly string[]) =>
      Promise.resolve(
        new RedisLedger({ client, keyPrefix, secretKey, previousSecretKeys, clock: clock.now }),
      ),
    teardown: async () => {
      await ledger.close();
      await deleteKeysWithPrefix(raw, keyPrefix);
    },
  });
});

test('redis ledger: every key shares the {ledger} hash tag (one Cluster slot) and has no TTL', async () => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({ client, keyPrefix, secretKey: LEDGER_TEST_KEY });
  try {
    await ledger.shares.create(newShare());
    await ledger.invites.create({ token: 't', sender: 's', expiresAt: 1 });
    await ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: 1 });
    const keys = await keysWithPrefix(raw, keyPrefix);
    assert.ok(keys.length >= 8, keys.join(', '));
    for (const key of keys) {
      assert.ok(key.startsWith(`${keyPrefix}{ledger}:`), key);
      assert.equal(await raw.pttl(key), -1, `${key} must not expire`);
    }
    // Redis Cluster hashes only the first {...} of a key: the same tag means the same slot.
    const tags = new Set(keys.map((key) => /\{([^}]*)\}/.exec(key)?.[1]));
    assert.deepEqual([...tags], ['ledger']);
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});

test('redis ledger: two ledgers (two replicas) on one prefix allocate distinct aliases', async () => {
  const keyPrefix = randomKeyPrefix();
  const second = createRedisClient({ url: testRedisUrl() });
  await second.connect();
  const a = new RedisLedger({ client, keyPrefix, secretKey: LEDGER_TEST_KEY });
  const b = new RedisLedger({
    client: second,
    keyPrefix,
    secretKey: LEDGER_TEST_KEY,
    ownsClient: true,
  });
  try {
    const same = newShare();
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).shares.create(same)),
      ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).shares.create(newShare())),
    ]);
    assert.equal(results.slice(0, 10).filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => r.record.alias)).size, 11);
  } finally {
    await b.close();
    assert.equal(second.status, 'end', 'ownsClient closes the client');
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});

test('redis ledger asked to wait for replicas a server does not have: every write is a 503, never "done"', async () => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({
    client,
    keyPrefix,
    secretKey: LEDGER_TEST_KEY,
    durability: { replicas: 1, timeoutMs: 20 },
  });
  try {
    const writes: [string, () => Promise<unknown>][] = [
      ['share', () => ledger.shares.create(newShare())],
      ['invite', () => ledger.invites.create({ token: 'tok', sender: 's', expiresAt: 1 })],
      ['outbox', () => ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: 1 })],
    ];
    for (const [what, write] of writes) {
      await assert.rejects(write(), (error: unknown) => {
        assert.ok(error instanceof GatewayError, what);
        assert.equal(error.code, 'UNAVAILABLE', what);
        assert.equal(error.retryAfterSeconds, 5);
        assert.match(error.message, /0 of 1 replicas confirmed/);
        return true;
      });
    }
    // Reads do not wait.
    assert.equal(await ledger.shares.get('nothing'), undefined);
    assert.equal((await ledger.outbox.listDue(5)).length, 1, 'the master holds the write');
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});

test('redis ledger waiting for the replicas in sync, on a server with none: writes land without waiting', async () => {
  const keyPrefix = randomKeyPrefix();
  const ledger = new RedisLedger({
    client,
    keyPrefix,
    secretKey: LEDGER_TEST_KEY,
    durability: { replicas: 'online', timeoutMs: 20 },
  });
  try {
    const { record, created } = await ledger.shares.create(newShare());
    assert.equal(created, true);
    assert.equal((await ledger.shares.get(record.id))?.alias, record.alias);
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});
