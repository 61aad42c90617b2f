/**
 * Exchanged tokens are shared by replicas (DESIGN §4): two gateways over one Redis short-lived
 * store read the same must-exchange-token share, and the peer sees one exchange. Cache keys are
 * a hash of the share id: neither the id nor the secret appears in Redis key names.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../../adapters/redis/create-redis-client.ts';
import { RedisShortLivedStore } from '../../../adapters/redis/redis-short-lived-store.ts';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from '../../contract/redis-test-keys.ts';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { startFacadeHarness, type FacadeHarness } from './facade-harness.ts';

let client: Redis;
let raw: Redis;
let prefix: string;
let first: FacadeHarness;
let second: FacadeHarness;
let peer: OcmPeer;

before(async () => {
  client = createRedisClient({ url: testRedisUrl() });
  await client.connect();
  raw = testRedisClient();
  prefix = randomKeyPrefix();
  first = await startFacadeHarness({
    shortLived: new RedisShortLivedStore({ client, keyPrefix: prefix }),
  });
  second = await startFacadeHarness({
    shortLived: new RedisShortLivedStore({ client, keyPrefix: prefix }),
    replicaOf: first,
  });
  peer = await startOcmPeer({
    version: '1.3',
    users: { alice: 'Alice' },
    schemes: ['http'],
    criteria: ['must-exchange-token'],
  });
});

after(async () => {
  await peer.close();
  await second.close();
  await first.close();
  await deleteKeysWithPrefix(raw, prefix);
  await client.quit();
  await raw.quit();
});

test('two replicas share one exchanged token through Redis', async () => {
  peer.addFile('alice', '/report.txt', 'quarterly numbers');
  const { result } = await peer.shareWith({
    owner: 'alice',
    path: '/report.txt',
    shareWith: `bob@${first.ourHost}`,
    requireTokenExchange: true,
  });
  assert.ok(result.ok, JSON.stringify(result));
  const record = await first.recordShare(peer, first.sharesReceived.at(-1), 'ocm-1.3');
  const path = `/peers/${peer.host}/public.php/webdav/`;
  for (const replica of [first, second, first, second]) {
    const reply = await replica.send('GET', path, { secret: record.sharedSecret });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.text, 'quarterly numbers');
  }
  const exchanges = peer.received.filter((r) => r.path === '/ocm/token');
  assert.equal(exchanges.length, 1, 'one exchange for both replicas');
  const keys = await keysWithPrefix(raw, prefix);
  assert.ok(
    keys.some((k) => k.includes('peer-webdav:token:')),
    keys.join(', '),
  );
  for (const key of keys) {
    assert.ok(!key.includes(record.id), 'the share id is hashed in key names');
    assert.ok(!key.includes(record.sharedSecret), 'the secret never names a key');
  }
});
