import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeRedisClient, createRedisClient } from './create-redis-client.ts';

test('rediss:// turns TLS on, redis:// does not; nothing connects until asked', async () => {
  const tls = createRedisClient({ url: 'rediss://user:pw@redis.example.org:6380/2' });
  const plain = createRedisClient({ url: 'redis://127.0.0.1:6379' });
  assert.ok(tls.options.tls !== undefined);
  assert.equal(tls.options.host, 'redis.example.org');
  assert.equal(tls.options.port, 6380);
  assert.equal(tls.options.db, 2);
  assert.equal(plain.options.tls, undefined);
  for (const client of [tls, plain]) {
    assert.equal(client.status, 'wait', 'lazyConnect');
    assert.equal(client.options.enableOfflineQueue, false);
    assert.equal(client.options.maxRetriesPerRequest, 0);
    assert.equal(client.options.autoResendUnfulfilledCommands, false);
    await closeRedisClient(client);
    assert.equal(client.status, 'end');
  }
});

test('the reconnect backoff doubles from 50 ms and stays under the cap', () => {
  const client = createRedisClient({ url: 'redis://127.0.0.1:1', maxReconnectDelayMs: 1_000 });
  const strategy = client.options.retryStrategy;
  assert.ok(strategy);
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 50, 10_000].map((n) => strategy(n)),
    [50, 100, 200, 400, 800, 1_000, 1_000, 1_000],
  );
  client.disconnect();
});

test('only redis:// and rediss:// are accepted, and a bad URL is not echoed', () => {
  for (const url of ['http://u:hunter2@h', 'not a url hunter2', 'unix:///tmp/redis.sock']) {
    assert.throws(
      () => createRedisClient({ url }),
      (error: unknown) => error instanceof RangeError && !error.message.includes('hunter2'),
    );
  }
});
