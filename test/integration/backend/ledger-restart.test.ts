/** Ledger entries survive a gateway restart, on the embedded SQLite ledger and on Redis. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  connectRedisClient,
  createRedisClient,
} from '../../../adapters/redis/create-redis-client.ts';
import { RedisLedger } from '../../../adapters/redis/redis-ledger.ts';
import type { Ledger } from '../../../gateway/ports/ledger.ts';
import {
  LEDGER_KEY,
  notification,
  PEER,
  receivedAt,
  shareFromPeer,
  signedByPeer,
  startBackendRig,
  type BackendRig,
} from './backend-rig.ts';

async function survivesRestart(rig: BackendRig, createPath: string): Promise<void> {
  const share = shareFromPeer(rig, { providerId: 'survivor' });
  const input = { share, peerHost: PEER, peerDialect: 'ocm-1.2' as const };
  const first = await rig.receiveShare(input);
  await rig.restart();
  const again = await rig.receiveShare(input);
  assert.equal(again.created, false);
  assert.equal(again.alias, first.alias);
  assert.equal(receivedAt(rig.sim, createPath).length, 1, 'no second createShare after restart');
  const record = await rig.ledger.shares.findByAlias(first.alias);
  assert.equal(record?.providerId, 'survivor');
  assert.equal(record.sharedSecret, share.protocols.webdav?.sharedSecret);
  await rig.receiveNotification({
    notification: notification('SHARE_UNSHARED', 'survivor'),
    authentication: signedByPeer,
    peerDialect: 'ocm-1.2',
  });
  assert.equal(rig.sim.receivedShares('bob').length, 0);
}

describe('ledger survives a restart', () => {
  test('embedded SQLite in a temp dir: close and reopen', async () => {
    const rig = await startBackendRig({ sim: { flavour: 'nextcloud13' } });
    try {
      await survivesRestart(rig, '/ocs/v2.php/cloud/shares');
    } finally {
      await rig.close();
    }
  });

  describe('Redis (TEST_REDIS_URL) with a random key prefix', () => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const keyPrefix = `test-backend-${randomBytes(6).toString('hex')}:`;
    let raw: Redis;
    before(() => {
      raw = new Redis(url, { maxRetriesPerRequest: 1 });
    });
    after(async () => {
      const keys = await raw.keys(`${keyPrefix}*`);
      if (keys.length > 0) await raw.del(...keys);
      await raw.quit();
    });

    test('close the client and the ledger, open both again', async () => {
      const openLedger = async (): Promise<Ledger> => {
        const client = createRedisClient({ url });
        await connectRedisClient(client);
        return new RedisLedger({ client, keyPrefix, secretKey: LEDGER_KEY, ownsClient: true });
      };
      const rig = await startBackendRig({ sim: { flavour: 'owncloud10' }, openLedger });
      try {
        await survivesRestart(rig, '/index.php/apps/federatedfilesharing/shares');
        assert.ok((await raw.keys(`${keyPrefix}*`)).length > 0, 'the records live in Redis');
      } finally {
        await rig.close();
      }
    });
  });
});
