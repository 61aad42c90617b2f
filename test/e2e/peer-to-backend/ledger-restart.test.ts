/**
 * Issue 7, third Done-when bullet: ledger entries survive a gateway restart, on the embedded store
 * (SQLite in the data dir) and on Redis (TEST_REDIS_URL, a unique key prefix). Before the restart
 * a 1.3 peer shares with bob and bob shares with the peer; after it (a new startGateway on the same
 * configuration), every one of those shares still works in both directions: the peer's unshare and
 * the backend's accept find their incoming records, the peer reads and accepts the backend's
 * shares through their outgoing records, and a retried unsigned share makes no second backend share.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deleteKeysWithPrefix,
  keysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from '../../contract/redis-test-keys.ts';
import { backendReceived, nextName, startP2bRig, startPeer } from './peer-to-backend-rig.ts';

const prefix = randomKeyPrefix();
after(async () => {
  const raw = testRedisClient();
  await deleteKeysWithPrefix(raw, prefix);
  await raw.quit();
});

const STORES: { name: string; env: Record<string, string> }[] = [
  { name: 'embedded store (SQLite in the data dir)', env: {} },
  {
    name: 'Redis',
    env: { GATEWAY_REDIS_URL: testRedisUrl(), GATEWAY_REDIS_KEY_PREFIX: prefix },
  },
];

describe('ledger entries survive a gateway restart', () => {
  for (const store of STORES) {
    test(store.name, async () => {
      const rig = await startP2bRig({
        backend: { flavour: 'nextcloud13', basePath: '/nextcloud' },
        env: store.env,
      });
      const peer = await startPeer('1.3', ['must-use-http-sig']);
      const old = await startPeer('1.1');
      try {
        // Incoming: two shares from the 1.3 peer and one from an unsigned 1.1 peer.
        const fromPeer = async (from: typeof peer) => {
          const name = nextName('survivor');
          from.addFile('carol', `/${name}`, `peer says ${name}`);
          const { share, result } = await from.shareWith({
            owner: 'carol',
            path: `/${name}`,
            shareWith: rig.bob,
          });
          assert.equal(result.status, 201, JSON.stringify(result));
          assert.ok(share !== undefined);
          return { name, share, row: backendReceived(rig, name) };
        };
        const toUnshare = await fromPeer(peer);
        const toAccept = await fromPeer(peer);
        const toRetry = await fromPeer(old);
        // Outgoing: two shares from bob to the 1.3 peer.
        const fromBackend = async () => {
          const name = nextName('kept');
          rig.backend.addFile('bob', `/${name}`, `backend says ${name}`);
          const { share, result } = await rig.backend.shareWithRemote({
            owner: 'bob',
            path: `/${name}`,
            shareWith: `carol@${peer.host}`,
          });
          assert.ok(result.ok, JSON.stringify(result));
          assert.ok(share !== undefined);
          const got = peer.receivedShares('carol').find((r) => r.name === name);
          assert.ok(got !== undefined);
          return { name, share, got };
        };
        const toRead = await fromBackend();
        const toAcceptThere = await fromBackend();
        if (store.name === 'Redis') {
          const raw = testRedisClient();
          try {
            assert.ok((await keysWithPrefix(raw, prefix)).length > 0, 'the ledger is in Redis');
          } finally {
            await raw.quit();
          }
        }

        await rig.restart();

        // Incoming records: the peer's unshare, the backend's accept.
        const unshared = await peer.unshare(toUnshare.share.providerId);
        assert.equal(unshared.status, 201, JSON.stringify(unshared));
        await rig.backend.settle();
        assert.equal(
          rig.backend.receivedShares('bob').some((r) => r.name === toUnshare.name),
          false,
        );
        assert.ok((await rig.backend.acceptShare(toAccept.row.id)).ok);
        assert.equal(peer.state.sent.get(toAccept.share.providerId)?.state, 'accepted');
        const mounted = await rig.backend.readShare(toAccept.row.id, { method: 'GET' });
        assert.equal(mounted.status, 200);
        assert.equal(mounted.text, `peer says ${toAccept.name}`);

        // A retried identical unsigned share is still known: 201, no second backend share.
        const s = toRetry.share;
        const calls = rig.backend.received.filter((r) =>
          /\/cloud\/shares$/.test(r.localPath),
        ).length;
        const retry = await fetch(`${rig.publicUrl}/ocm/shares`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            shareWith: rig.bob,
            name: toRetry.name,
            providerId: s.providerId,
            owner: `carol@${old.host}`,
            sender: `carol@${old.host}`,
            shareType: 'user',
            resourceType: 'file',
            protocol: {
              name: 'multi',
              webdav: {
                uri: `${old.url}/webdav/${s.key}`,
                sharedSecret: s.secret,
                permissions: ['read'],
              },
            },
          }),
        });
        assert.equal(retry.status, 201, await retry.text());
        assert.equal(
          rig.backend.received.filter((r) => /\/cloud\/shares$/.test(r.localPath)).length,
          calls,
        );

        // Outgoing records: the peer reads (exchanging a token) and accepts.
        const file = await peer.readShare(toRead.got.id);
        assert.equal(file.status, 200, file.text);
        assert.equal(file.text, `backend says ${toRead.name}`);
        assert.ok((await peer.acceptShare(toAcceptThere.got.id)).ok);
        assert.equal(
          rig.backend.outgoingShares().find((o) => o.id === toAcceptThere.share.id)?.accepted,
          true,
        );
        assert.deepEqual(peer.errors, []);
        assert.deepEqual(rig.backend.errors, []);
      } finally {
        await Promise.all([peer.close(), old.close()]);
        await rig.close();
      }
    });
  }
});
