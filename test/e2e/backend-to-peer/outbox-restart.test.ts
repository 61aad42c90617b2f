/**
 * Issue 9 item 2 / "done when": a notification to a peer that is DOWN is accepted for delivery
 * (the backend sees success), survives the gateway's stores being closed and reopened, and is
 * delivered by the drainer once the peer is back — on the embedded SQLite ledger and on Redis.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedisClient } from '../../../adapters/redis/create-redis-client.ts';
import { RedisLedger } from '../../../adapters/redis/redis-ledger.ts';
import type { Ledger } from '../../../gateway/ports/ledger.ts';
import { startOcmPeer } from '../../sim/index.ts';
import {
  LEDGER_KEY,
  startFacadeRig,
  type FacadeRigOptions,
} from '../../integration/facade/facade-rig.ts';
import {
  deleteKeysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from '../../contract/redis-test-keys.ts';
import { seedReceivedShare } from './seed-received-share.ts';
import { startSwitchablePort } from './switchable-port.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function redisLedger(keyPrefix: string): Promise<Ledger> {
  const client = createRedisClient({ url: testRedisUrl() });
  await client.connect();
  return new RedisLedger({ client, keyPrefix, secretKey: LEDGER_KEY, ownsClient: true });
}

const prefix = randomKeyPrefix();
after(async () => {
  const raw = testRedisClient();
  await deleteKeysWithPrefix(raw, prefix);
  await raw.quit();
});

const STORES: { name: string; openLedger?: FacadeRigOptions['openLedger'] }[] = [
  { name: 'SQLite in a temp dir' },
  { name: 'Redis', openLedger: () => redisLedger(prefix) },
];

describe('outbox: a notification to a peer that is down', () => {
  for (const store of STORES) {
    test(`is delivered after the peer is back, the stores reopened in between (${store.name})`, async () => {
      const rig = await startFacadeRig({
        backend: { flavour: 'nextcloud13' },
        ...(store.openLedger === undefined ? {} : { openLedger: store.openLedger }),
      });
      let peerPort = 0;
      const door = await startSwitchablePort(() => peerPort);
      const peer = await startOcmPeer({
        version: '1.3',
        criteria: ['must-use-http-sig'],
        publicUrl: `http://127.0.0.1:${door.port}`,
        users: { carol: 'Carol' },
        schemes: ['http'],
      });
      peerPort = new URL(peer.url).port === '' ? 80 : Number(new URL(peer.url).port);
      try {
        const seeded = await seedReceivedShare(rig, peer, 'ocm-1.3');
        await door.down();

        const accepted = await rig.backend.acceptShare(seeded.receivedId);
        assert.ok(accepted.ok, JSON.stringify(accepted));
        assert.equal(peer.state.sent.get(seeded.providerId)?.state, 'pending');
        const queued = await rig.ledger.outbox.listDue(10);
        assert.equal(queued.length, 1);
        assert.equal(queued[0]?.peerHost, peer.host);
        assert.ok(!JSON.stringify(rig.logs).includes(seeded.secret), 'no secret in the logs');

        await rig.restart();
        const stillDown = await rig.facade.drainer.drainOnce();
        assert.deepEqual(stillDown, { claimed: 1, results: { retried: 1 } });
        assert.equal(peer.state.sent.get(seeded.providerId)?.state, 'pending');

        await door.up();
        let report = await rig.facade.drainer.drainOnce();
        for (let i = 0; i < 50 && report.claimed === 0; i += 1) {
          await sleep(20);
          report = await rig.facade.drainer.drainOnce();
        }
        assert.deepEqual(report, { claimed: 1, results: { delivered: 1 } });
        assert.equal(peer.state.sent.get(seeded.providerId)?.state, 'accepted');
        assert.equal((await rig.ledger.outbox.listDue(10)).length, 0);
        const delivered = peer.received.filter((r) => r.path === '/ocm/notifications');
        assert.equal(delivered.length, 1);
        assert.ok(delivered[0]?.headers['signature-input'] !== undefined, 'signed at delivery');
        const text = await rig.metrics.registry.getSingleMetricAsString(
          'gateway_outbox_deliveries_total',
        );
        assert.match(text, /result="delivered"} 1/);
      } finally {
        await door.close();
        await peer.close();
        await rig.close();
      }
    });
  }
});
