import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { createStores } from '../../adapters/create-stores.ts';
import { MemoryCapabilityCache } from '../../adapters/memory/memory-capability-cache.ts';
import { RedisLedger } from '../../adapters/redis/redis-ledger.ts';
import { SqliteLedger } from '../../adapters/sqlite/sqlite-ledger.ts';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from './redis-test-keys.ts';

const secretKey = 'create-stores-test-key-0123456789abcdef';
const share = {
  direction: 'incoming',
  peerHost: 'peer.example.org',
  providerId: 'p1',
  sharedSecret: 's3cr3t',
  dialects: { peer: 'ocm-1.2', backend: 'ocs-v2' },
  owner: 'a@peer.example.org',
  sender: 'a@peer.example.org',
  shareWith: 'b@gw',
  resourceName: 'f.txt',
} as const;

test('embedded: in-process cache, SQLite ledger in the data dir, three healthy checks', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'stores-')), 'nested', 'data');
  try {
    const stores = await createStores({ dataDir, keyPrefix: 'ocmgw:', secretKey });
    assert.equal(stores.mode, 'embedded');
    assert.ok(stores.capabilityCache instanceof MemoryCapabilityCache);
    assert.ok(stores.ledger instanceof SqliteLedger);
    assert.ok(existsSync(join(dataDir, 'ledger.sqlite')));
    assert.deepEqual(
      stores.checks.map((c) => c.name),
      ['capability-cache', 'ledger', 'short-lived'],
    );
    for (const check of stores.checks) assert.equal((await check.health()).ok, true);
    assert.equal((await stores.ledger.shares.create(share)).created, true);
    await stores.close();
    await stores.close();
    await assert.rejects(stores.ledger.shares.get('x'), GatewayError);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('shared: every store in Redis under the prefix, closed by close()', async () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = randomKeyPrefix();
  const raw = testRedisClient();
  try {
    const stores = await createStores({ redisUrl, dataDir: '/nonexistent', keyPrefix, secretKey });
    assert.equal(stores.mode, 'shared');
    assert.ok(stores.ledger instanceof RedisLedger);
    const now = Date.now();
    await stores.capabilityCache.put('peer', {
      value: 1,
      fetchedAt: now,
      staleAt: now + 1e4,
      expiresAt: now + 2e4,
    });
    await stores.ledger.shares.create(share);
    await stores.shortLived.remember('nonce', 10_000);
    const keys = await keysWithPrefix(raw, keyPrefix);
    assert.ok(keys.some((k) => k.includes('{cap}')) && keys.some((k) => k.includes('{ledger}')));
    assert.ok(keys.some((k) => k.startsWith(`${keyPrefix}nonce:`)));
    for (const check of stores.checks) assert.equal((await check.health()).ok, true);
    await stores.close();
    await assert.rejects(stores.shortLived.remember('again', 1_000), GatewayError);
    assert.equal(existsSync('/nonexistent'), false, 'no data dir is created in shared mode');
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
    await raw.quit();
  }
});

test('a bad Redis URL or key is refused before anything is opened, without echoing secrets', async () => {
  await assert.rejects(
    createStores({
      redisUrl: 'http://user:hunter2@host',
      dataDir: '/x',
      keyPrefix: 'p:',
      secretKey,
    }),
    (error: unknown) => error instanceof RangeError && !error.message.includes('hunter2'),
  );
  await assert.rejects(
    createStores({
      redisUrl: 'redis://127.0.0.1:1',
      dataDir: '/x',
      keyPrefix: 'p:',
      secretKey: 'short',
    }),
    /at least 32 characters/,
  );
});
