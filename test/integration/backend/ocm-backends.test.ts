/** Flow 1 and 6 against early-OCM backends: ownCloud 10.1+ and Nextcloud 14–30 (ocm-proposal1). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codecFor } from '../../../gateway/core/dialects/dialect-registry.ts';
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

const flavours = [
  {
    name: 'ownCloud 10',
    sim: { flavour: 'owncloud10' as const },
    variant: 'owncloud10',
    endPoint: '/index.php/apps/federatedfilesharing',
    senderKey: 'sender',
    displayName: 'bob',
    unknownUser: 'User nobody does not exist',
  },
  {
    name: 'Nextcloud 27',
    sim: { flavour: 'nextcloud-ocm' as const, nextcloudVersion: 27, basePath: '/nextcloud' },
    variant: 'nextcloud',
    endPoint: '/index.php/ocm',
    senderKey: 'sharedBy',
    displayName: 'Bob Builder',
    unknownUser: 'User "nobody" does not exists at https://cloud.example.org/nextcloud',
  },
];

for (const f of flavours) {
  describe(`${f.name} backend (ocm-proposal1 ${f.variant})`, () => {
    let rig: BackendRig;
    before(async () => {
      rig = await startBackendRig({ sim: f.sim });
      assert.equal(rig.detection.current().dialect, 'ocm-proposal1');
      assert.equal(rig.detection.current().variant, f.variant);
    });
    after(async () => {
      assert.deepEqual(rig.sim.errors, []);
      await rig.close();
    });

    test('a peer share is posted as OCM JSON to the backend’s own endPoint, once', async () => {
      const share = shareFromPeer(rig);
      const input = { share, peerHost: PEER, peerDialect: 'ocm-1.3' as const };
      const result = await rig.receiveShare(input);
      assert.equal(result.recipientDisplayName, f.displayName);
      const calls = receivedAt(rig.sim, `${f.endPoint}/shares`);
      assert.equal(calls.length, 1);
      const body = calls[0]!.body as Record<string, unknown>;
      assert.equal(calls[0]!.bodyKind, 'json');
      assert.equal(body.shareWith, rig.address('bob'));
      assert.equal(body.providerId, String(result.alias));
      assert.equal(body.name, 'Project Docs');
      assert.equal(body.owner, `alice@${PEER}`);
      assert.equal(body[f.senderKey], `alice@${PEER}`);
      assert.equal(body.shareType, 'user');
      assert.equal(body.resourceType, 'file');
      assert.deepEqual(body.protocol, {
        name: 'webdav',
        options: { sharedSecret: share.protocols.webdav?.sharedSecret },
      });
      const stored = rig.sim.receivedShares('bob');
      assert.equal(stored.length, 1);
      const [received] = stored;
      assert.ok(received);
      assert.equal(received.remoteId, String(result.alias));
      assert.equal(received.ownerFederatedId, `alice@${PEER}`);
      assert.equal(received.via, 'ocm');

      const again = await rig.receiveShare(input);
      assert.equal(again.recipientDisplayName, f.displayName, 'the retry gets the first answer');
      assert.equal(receivedAt(rig.sim, `${f.endPoint}/shares`).length, 1);
    });

    test('SHARE_UNSHARED reaches the backend as an OCM notification and removes the share', async () => {
      const share = shareFromPeer(rig, { providerId: 'to-unshare' });
      const { alias } = await rig.receiveShare({ share, peerHost: PEER, peerDialect: 'ocm-1.2' });
      await rig.receiveNotification({
        notification: notification('SHARE_UNSHARED', 'to-unshare'),
        authentication: signedByPeer,
        peerDialect: 'ocm-1.2',
      });
      assert.ok(!rig.sim.receivedShares('bob').some((r) => r.remoteId === String(alias)));
      const sent = receivedAt(rig.sim, `${f.endPoint}/notifications`).at(-1)?.body as {
        providerId: string;
        notification: { sharedSecret: string };
      };
      assert.equal(sent.providerId, String(alias));
      assert.equal(sent.notification.sharedSecret, share.protocols.webdav?.sharedSecret);
    });

    test('an unknown user is a 400 with the backend’s words, public URL only', async () => {
      const e = await refusal(
        rig.receiveShare({
          share: shareFromPeer(rig, { providerId: 'nobody', shareWith: rig.address('nobody') }),
          peerHost: PEER,
          peerDialect: 'ocm-1.2',
        }),
      );
      assert.equal(e.code, 'INVALID_REQUEST');
      assert.equal(e.message, f.unknownUser);
      assert.ok(!e.message.includes('127.0.0.1'));
    });

    test('accept and decline of a share the backend sent go over OCM', async () => {
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
      const types = receivedAt(rig.sim, `${f.endPoint}/notifications`).map(
        (r) => (r.body as { notificationType: string }).notificationType,
      );
      assert.deepEqual(types.slice(-2), ['SHARE_ACCEPTED', 'SHARE_DECLINED']);
    });

    test('a reshare request answers with the new share’s secret and id', async () => {
      const { record } = await outgoingShare(rig, { permissions: 31 });
      const result = await rig.receiveNotification({
        notification: notification('REQUEST_RESHARE', record.providerId, {
          shareWith: 'dave@127.0.0.1:1',
          senderId: 'requester-share-9',
        }),
        authentication: signedByPeer,
        peerDialect: 'ocm-proposal1',
      });
      const reshare = result.reply.reshare;
      assert.ok(reshare);
      assert.equal(
        rig.sim.state.shares.get(Number(reshare.providerId))?.token,
        reshare.sharedSecret,
      );
      // What the route writes back: both spellings, for Nextcloud and ownCloud senders alike.
      const wire = codecFor('ocm-proposal1')?.notificationReply?.serialise(result.reply);
      assert.deepEqual(wire?.ok === true ? wire.value : wire, {
        token: reshare.sharedSecret,
        sharedSecret: reshare.sharedSecret,
        providerId: Number(reshare.providerId),
      });
      await rig.sim.settle();
    });
  });
}

describe('early-OCM backend specifics', () => {
  test('ownCloud 10: reshare undo goes to the legacy revoke route, permissions over OCM', async () => {
    const rig = await startBackendRig({ sim: { flavour: 'owncloud10' } });
    try {
      const { record, backendId } = await outgoingShare(rig, { reshareRemoteId: '12' });
      await rig.receiveNotification({
        notification: notification('RESHARE_CHANGE_PERMISSION', record.providerId, {
          permissions: ['read'],
          // A 1.2 peer's spelling: ownCloud 10 reads `permission`, and gets it.
          permissionsKey: 'permissions',
        }),
        authentication: signedByPeer,
        peerDialect: 'ocm-proposal1',
      });
      assert.equal(rig.sim.state.shares.get(backendId)?.permissions, 1);
      await rig.receiveNotification({
        notification: notification('RESHARE_UNDO', record.providerId),
        authentication: signedByPeer,
        peerDialect: 'ocm-proposal1',
      });
      assert.equal(rig.sim.state.shares.has(backendId), false);
      assert.equal(receivedAt(rig.sim, `/ocs/v2.php/cloud/shares/${backendId}/revoke`).length, 1);
    } finally {
      await rig.close();
    }
  });

  test('Nextcloud 14–30 refuses permission changes: 501, nothing sent', async () => {
    const rig = await startBackendRig({ sim: { flavour: 'nextcloud-ocm', nextcloudVersion: 20 } });
    try {
      const { record } = await outgoingShare(rig);
      const before = rig.sim.received.length;
      const e = await refusal(
        rig.receiveNotification({
          notification: notification('RESHARE_CHANGE_PERMISSION', record.providerId, {
            permissions: ['read'],
          }),
          authentication: signedByPeer,
          peerDialect: 'ocm-1.2',
        }),
      );
      assert.equal(e.code, 'NOT_IMPLEMENTED');
      assert.equal(rig.sim.received.length, before);
    } finally {
      await rig.close();
    }
  });

  test('group shares reach Nextcloud; ownCloud 10 takes only user shares (501)', async () => {
    const nc = await startBackendRig({ sim: { flavour: 'nextcloud-ocm' } });
    const oc = await startBackendRig({ sim: { flavour: 'owncloud10' } });
    try {
      nc.sim.addGroup('staff', ['bob']);
      const group = (rig: BackendRig) => ({
        share: shareFromPeer(rig, { shareType: 'group', shareWith: rig.address('staff') }),
        peerHost: PEER,
        peerDialect: 'ocm-1.2' as const,
      });
      const result = await nc.receiveShare(group(nc));
      assert.equal(result.recipientDisplayName, 'staff');
      assert.equal(nc.sim.receivedShares('staff')[0]?.shareType, 'group');
      const e = await refusal(oc.receiveShare(group(oc)));
      assert.equal(e.code, 'NOT_IMPLEMENTED');
      assert.equal(receivedAt(oc.sim, '/index.php/apps/federatedfilesharing/shares').length, 0);
    } finally {
      await nc.close();
      await oc.close();
    }
  });

  test('federation disabled on Nextcloud → 503 with Retry-After', async () => {
    const rig = await startBackendRig({
      sim: { flavour: 'nextcloud-ocm', incomingEnabled: false },
    });
    try {
      const e = await refusal(
        rig.receiveShare({ share: shareFromPeer(rig), peerHost: PEER, peerDialect: 'ocm-1.2' }),
      );
      assert.equal(e.code, 'UNAVAILABLE');
      assert.equal(e.retryAfterSeconds, 30);
    } finally {
      await rig.close();
    }
  });
});
