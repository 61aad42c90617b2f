/** Flow 1 and 6 against OCS backends: ownCloud 9.0 (ocs-v1) and Nextcloud 13 (ocs-v2). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import {
  notification,
  outgoingShare,
  PEER,
  receivedAt,
  shareFromPeer,
  signedByPeer,
  startBackendRig,
  type BackendRig,
} from './backend-rig.ts';

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

const FACADE_URL = `http://127.0.0.1:9300/peers/${PEER}/`;

const flavours = [
  { flavour: 'owncloud9', dialect: 'ocs-v1', path: '/ocs/v1.php/cloud/shares', basePath: '' },
  {
    flavour: 'nextcloud13',
    dialect: 'ocs-v2',
    path: '/ocs/v2.php/cloud/shares',
    basePath: '/nextcloud',
  },
] as const;

for (const f of flavours) {
  describe(`${f.flavour} backend (${f.dialect})`, () => {
    let rig: BackendRig;
    before(async () => {
      rig = await startBackendRig({ sim: { flavour: f.flavour, basePath: f.basePath } });
      assert.equal(rig.detection.current().dialect, f.dialect);
    });
    after(async () => {
      assert.deepEqual(rig.sim.errors, []);
      await rig.close();
    });

    test('a peer share lands on the backend with every legacy field, once', async () => {
      const share = shareFromPeer(rig);
      const input = { share, peerHost: PEER, peerDialect: 'ocm-1.2' as const };
      const result = await rig.receiveShare(input);
      assert.equal(result.recipientDisplayName, 'bob', 'OCS tells no display name: the uid');
      const calls = receivedAt(rig.sim, f.path);
      assert.equal(calls.length, 1);
      const call = calls[0]!;
      assert.equal(call.query.format, 'json');
      assert.equal(call.bodyKind, 'form');
      const body = call.body as Record<string, string>;
      assert.equal(body.shareWith, 'bob');
      assert.equal(body.token, share.protocols.webdav?.sharedSecret);
      assert.equal(body.name, 'Project Docs');
      assert.equal(body.remoteId, String(result.alias), 'the non-integer providerId is aliased');
      assert.match(body.remoteId, /^[1-9][0-9]*$/);
      assert.equal(body.owner, 'alice');
      assert.equal(body.ownerFederatedId, `alice@${PEER}`);
      assert.equal(body.sharedBy, 'alice');
      assert.equal(body.sharedByFederatedId, `alice@${PEER}`);
      assert.equal(body.remote, FACADE_URL);
      const stored = rig.sim.receivedShares('bob');
      assert.equal(stored.length, 1);
      assert.equal(stored[0]?.remoteId, String(result.alias));

      const again = await rig.receiveShare(input);
      assert.equal(again.created, false);
      assert.equal(again.alias, result.alias);
      assert.equal(receivedAt(rig.sim, f.path).length, 1, 'the retry made no second createShare');
    });

    test('SHARE_UNSHARED from the owner removes the backend’s received share', async () => {
      const share = shareFromPeer(rig, {
        providerId: 'unshare-me',
        protocols: {
          webdav: { sharedSecret: 'UnshareSecret42', permissions: [], requirements: [] },
          unknown: {},
        },
      });
      const { alias } = await rig.receiveShare({ share, peerHost: PEER, peerDialect: 'ocm-1.1' });
      assert.ok(rig.sim.receivedShares('bob').some((r) => r.remoteId === String(alias)));
      const result = await rig.receiveNotification({
        notification: notification('SHARE_UNSHARED', 'unshare-me', {
          sharedSecret: 'UnshareSecret42',
        }),
        authentication: { verified: false },
        peerDialect: 'ocm-1.1',
      });
      assert.equal(result.outcome, 'applied');
      assert.ok(!rig.sim.receivedShares('bob').some((r) => r.remoteId === String(alias)));
      assert.equal(receivedAt(rig.sim, `${f.path}/${alias}/unshare`).length, 1);
    });

    test('an unknown user is a 400 with the backend’s words', async () => {
      const e = await refusal(
        rig.receiveShare({
          share: shareFromPeer(rig, { providerId: 'nobody', shareWith: rig.address('nobody') }),
          peerHost: PEER,
          peerDialect: 'ocm-1.2',
        }),
      );
      assert.equal(e.code, 'INVALID_REQUEST');
      assert.equal(e.status, 400);
      assert.equal(e.message, 'User does not exists');
    });

    test('accept and decline of a share the backend sent reach its owner-side share', async () => {
      const { record, backendId } = await outgoingShare(rig);
      await rig.receiveNotification({
        notification: notification('SHARE_ACCEPTED', record.providerId),
        authentication: signedByPeer,
        peerDialect: 'ocm-1.3',
      });
      assert.equal(rig.sim.state.shares.get(backendId)?.accepted, true);
      await rig.receiveNotification({
        notification: notification('SHARE_DECLINED', record.providerId),
        authentication: signedByPeer,
        peerDialect: 'ocm-1.3',
      });
      assert.equal(rig.sim.state.shares.has(backendId), false);
    });
  });
}

describe('OCS backend specifics', () => {
  test('ownCloud 9.0 has no reshare: 501 and nothing sent', async () => {
    const rig = await startBackendRig({ sim: { flavour: 'owncloud9' } });
    try {
      const { record } = await outgoingShare(rig);
      const before = rig.sim.received.length;
      const e = await refusal(
        rig.receiveNotification({
          notification: notification('REQUEST_RESHARE', record.providerId, {
            shareWith: 'dave@127.0.0.1:1',
            senderId: '77',
          }),
          authentication: signedByPeer,
          peerDialect: 'ocm-1.2',
        }),
      );
      assert.equal(e.code, 'NOT_IMPLEMENTED');
      assert.match(e.message, /ownCloud 9\.0\.0\.19\) has no reshare call/);
      assert.equal(rig.sim.received.length, before);
    } finally {
      await rig.close();
    }
  });

  test('Nextcloud 13: a reshare request returns the new token and id; revoke undoes it', async () => {
    const rig = await startBackendRig({ sim: { flavour: 'nextcloud13' } });
    try {
      const { record } = await outgoingShare(rig, { permissions: 31 });
      const result = await rig.receiveNotification({
        notification: notification('REQUEST_RESHARE', record.providerId, {
          shareWith: 'dave@127.0.0.1:1',
          senderId: '77',
        }),
        authentication: signedByPeer,
        peerDialect: 'ocm-proposal1',
      });
      const reshare = result.reply.reshare;
      assert.ok(reshare);
      // Legacy receivers cast ids to int: a string senderId cannot be carried, and says so.
      const stringId = await refusal(
        rig.receiveNotification({
          notification: notification('REQUEST_RESHARE', record.providerId, {
            shareWith: 'erin@127.0.0.1:1',
            senderId: 'requester-share-9',
          }),
          authentication: signedByPeer,
          peerDialect: 'ocm-1.2',
        }),
      );
      assert.equal(stringId.code, 'INVALID_REQUEST');
      assert.equal(stringId.issues[0]?.field, 'notification.senderId');
      const created = rig.sim.state.shares.get(Number(reshare.providerId));
      assert.equal(created?.token, reshare.sharedSecret);
      assert.equal(created.reshareRemoteId, '77');
      await rig.sim.settle();
    } finally {
      await rig.close();
    }
  });

  test('backend outages: federation off → 503 + Retry-After, storage failure → 500', async () => {
    for (const flavour of ['owncloud9', 'nextcloud13'] as const) {
      const off = await startBackendRig({ sim: { flavour, incomingEnabled: false } });
      const broken = await startBackendRig({ sim: { flavour, storageFailure: true } });
      try {
        const input = (rig: BackendRig) => ({
          share: shareFromPeer(rig),
          peerHost: PEER,
          peerDialect: 'ocm-1.2' as const,
        });
        const e503 = await refusal(off.receiveShare(input(off)));
        assert.equal(e503.code, 'UNAVAILABLE', flavour);
        assert.equal(e503.retryAfterSeconds, 30);
        assert.equal(e503.message, 'Server does not support federated cloud sharing');
        const e500 = await refusal(broken.receiveShare(input(broken)));
        // The backend failed, not the gateway: 502 for the peer.
        assert.equal(e500.code, 'UPSTREAM_UNREACHABLE', flavour);
        assert.equal(e500.status, 502, flavour);
        assert.ok(!e500.message.includes(broken.sim.url), 'no internal URL in the message');
      } finally {
        await off.close();
        await broken.close();
      }
    }
  });
});
