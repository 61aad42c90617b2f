/** Replay protection across replicas: two gateways sharing one Redis refuse the same signature twice. */
import { generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../adapters/redis/create-redis-client.ts';
import { RedisShortLivedStore } from '../../adapters/redis/redis-short-lived-store.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { ReplayGuard } from '../../gateway/core/signatures/replay-guard.ts';
import { signRequest } from '../../gateway/core/signatures/sign-request.ts';
import { verifyRequest } from '../../gateway/core/signatures/verify-request.ts';
import {
  deleteKeysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from './redis-test-keys.ts';

let replicaA: Redis;
let replicaB: Redis;
let raw: Redis;

before(async () => {
  replicaA = createRedisClient({ url: testRedisUrl() });
  replicaB = createRedisClient({ url: testRedisUrl() });
  await replicaA.connect();
  await replicaB.connect();
  raw = testRedisClient();
});

after(async () => {
  await replicaA.quit();
  await replicaB.quit();
  await raw.quit();
});

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const request = {
  method: 'POST',
  targetUri: 'https://gateway.example.org/ocm/shares',
  headers: {},
  body: new TextEncoder().encode('{"sender":"a@peer.example"}'),
};

test('a signature admitted by one replica is refused as replayed by another', async () => {
  const keyPrefix = randomKeyPrefix();
  try {
    const now = Date.now();
    const headers = signRequest(
      'rfc9421',
      { keyId: 'peer.example#k', family: 'ed25519', privateKey },
      request,
      now,
    );
    const options = { now, resolveKey: () => Promise.resolve(publicKey) };
    const guardA = new ReplayGuard(new RedisShortLivedStore({ client: replicaA, keyPrefix }));
    const guardB = new ReplayGuard(new RedisShortLivedStore({ client: replicaB, keyPrefix }));

    const atA = await verifyRequest({ ...request, headers }, options);
    assert.ok(atA.ok);
    assert.equal((await guardA.admit(atA)).ok, true);
    const atB = await verifyRequest({ ...request, headers }, options);
    assert.ok(atB.ok);
    const replayed = await guardB.admit(atB);
    assert.equal(!replayed.ok && replayed.reason, 'replayed');
  } finally {
    await deleteKeysWithPrefix(raw, keyPrefix);
  }
});

test('with Redis unreachable the guard rejects with UNAVAILABLE instead of admitting', async () => {
  const down = createRedisClient({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 });
  try {
    const guard = new ReplayGuard(
      new RedisShortLivedStore({ client: down, keyPrefix: randomKeyPrefix() }),
    );
    const verified = {
      ok: true,
      scheme: 'rfc9421',
      keyId: 'k',
      signerHost: 'h',
      createdAt: 0,
      replayKey: 'x',
    } as const;
    await assert.rejects(guard.admit(verified), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'UNAVAILABLE');
      return true;
    });
  } finally {
    down.disconnect();
  }
});
