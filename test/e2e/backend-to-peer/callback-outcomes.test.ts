/**
 * Issue 9 item 2: every callback the backend can make (accept, decline, unshare, reshare,
 * permissions, revoke / reshare_undo, move) has a defined, tested outcome for every peer version.
 *
 * | call            | OCM 1.0–1.3                                             | legacy peer        |
 * | --------------- | ------------------------------------------------------- | ------------------ |
 * | accept/decline  | SHARE_ACCEPTED / SHARE_DECLINED, ledger state follows   | relayed            |
 * | unshare         | SHARE_UNSHARED                                          | relayed            |
 * | reshare         | REQUEST_RESHARE; a refusal comes back as an OCS error   | relayed (see       |
 * | permissions     | RESHARE_CHANGE_PERMISSION with names; refusal → OCS err | reshare-legacy-    |
 * | revoke, undo    | RESHARE_UNDO; refusal → OCS error                       | peer.test.ts)      |
 * | move            | nothing sent: OCS 501 + a warn log (no OCM equivalent)  | relayed            |
 *
 * The OCM peer simulator knows no reshare notifications and answers 501, as Nextcloud does for
 * types it does not handle; the backend then sees a 501 in its OCS version, nothing is queued
 * and the ledger does not change.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
} from '../../sim/index.ts';
import { startFacadeRig, type FacadeRig } from '../../integration/facade/facade-rig.ts';
import { seedReceivedShare } from './seed-received-share.ts';

interface OcsAnswer {
  readonly status: number;
  readonly statuscode: number;
  readonly message: string;
}

describe('every backend callback has a defined outcome per peer version', () => {
  let rig: FacadeRig;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    rig = await startFacadeRig({ backend: { flavour: 'nextcloud13' } });
  });
  after(async () => {
    for (const close of closers) await close();
    await rig.close();
  });

  async function call(
    peerHost: string,
    id: string | number,
    action: string,
    form: Record<string, string>,
    version: 1 | 2 = 2,
  ): Promise<OcsAnswer> {
    const res = await fetch(
      `http://${rig.internalHost}/peers/${peerHost}/ocs/v${version}.php/cloud/shares/${id}/${action}?format=json`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      },
    );
    const body = (await res.json()) as { ocs: { meta: { statuscode: number; message: string } } };
    return {
      status: res.status,
      statuscode: body.ocs.meta.statuscode,
      message: body.ocs.meta.message,
    };
  }

  for (const version of ['1.0', '1.1', '1.2', '1.3'] as const) {
    test(`OCM ${version}`, async () => {
      const peer: OcmPeer = await startOcmPeer({
        version,
        users: { carol: 'Carol' },
        schemes: ['http'],
      });
      closers.push(() => peer.close());
      const dialect = `ocm-${version}`;
      const notes = () =>
        peer.received
          .filter((r) => r.path === '/ocm/notifications')
          .map(
            (r) =>
              r.body as {
                notificationType: string;
                providerId: string;
                notification: Record<string, unknown>;
              },
          );

      // accept and decline of received shares, unshare of a sent one.
      const accepted = await seedReceivedShare(rig, peer, dialect);
      assert.equal(
        (await call(peer.host, accepted.record.alias, 'accept', { token: accepted.secret }))
          .statuscode,
        200,
      );
      assert.equal(peer.state.sent.get(accepted.providerId)?.state, 'accepted');
      const declined = await seedReceivedShare(rig, peer, dialect);
      assert.equal(
        (await call(peer.host, declined.record.alias, 'decline', { token: declined.secret }))
          .statuscode,
        200,
      );
      assert.equal(peer.state.sent.get(declined.providerId)?.state, 'declined');
      rig.backend.addFile('alice', `/outcome-${version}.txt`, 'x');
      const { share } = await rig.backend.shareWithRemote({
        owner: 'alice',
        path: `/outcome-${version}.txt`,
        shareWith: rig.facadeAddress('carol', peer.host),
      });
      assert.ok(share !== undefined);
      assert.equal(
        (await call(peer.host, share.id, 'unshare', { token: share.token })).statuscode,
        200,
      );
      assert.equal(peer.receivedShares('carol').length, 0);
      assert.deepEqual(
        notes().map((n) => n.notificationType),
        ['SHARE_ACCEPTED', 'SHARE_DECLINED', 'SHARE_UNSHARED'],
      );

      // reshare, permissions, revoke, reshare_undo: sent, refused by the peer, error relayed.
      const reshared = await seedReceivedShare(rig, peer, dialect);
      const tries: [string, Record<string, string>, string][] = [
        [
          'reshare',
          { shareWith: 'erin@far.example', permission: '17', remoteId: '77' },
          'REQUEST_RESHARE',
        ],
        ['permissions', { permissions: '17' }, 'RESHARE_CHANGE_PERMISSION'],
        ['revoke', {}, 'RESHARE_UNDO'],
        ['reshare_undo', {}, 'RESHARE_UNDO'],
      ];
      for (const [action, extra, type] of tries) {
        const before = notes().length;
        const answer = await call(peer.host, reshared.record.alias, action, {
          token: reshared.secret,
          ...extra,
        });
        assert.equal(answer.status, 501, action);
        assert.equal(answer.statuscode, 501, action);
        assert.match(answer.message, /not supported/, action);
        const sent = notes().slice(before);
        assert.equal(sent.length, 1, action);
        const [first] = sent;
        assert.ok(first !== undefined);
        assert.equal(first.notificationType, type);
        assert.equal(first.providerId, reshared.providerId, 'the peer’s own id');
        if (action === 'permissions') {
          assert.deepEqual(first.notification.permission ?? first.notification.permissions, [
            'read',
            'share',
          ]);
        }
      }
      assert.equal((await rig.ledger.shares.get(reshared.record.id))?.state, 'pending');
      assert.deepEqual(await rig.ledger.outbox.listDue(10), []);

      // move: nothing reaches the peer; the backend gets a 501 in its version, with a reason.
      rig.backend.addFile('alice', `/moved-${version}.txt`, 'x');
      const moved = await rig.backend.shareWithRemote({
        owner: 'alice',
        path: `/moved-${version}.txt`,
        shareWith: rig.facadeAddress('carol', peer.host),
      });
      assert.ok(moved.share !== undefined);
      const seen = peer.received.length;
      const form = { token: moved.share.token, remote: 'alice@new.example.org' };
      const v2 = await call(peer.host, moved.share.id, 'move', form);
      assert.deepEqual([v2.status, v2.statuscode], [501, 501]);
      assert.match(v2.message, /OCM has no call to move a share/);
      const v1 = await call(peer.host, moved.share.id, 'move', form, 1);
      assert.deepEqual([v1.status, v1.statuscode], [200, 501]);
      assert.equal(peer.received.length, seen, 'move sends nothing to an OCM peer');
      assert.ok(
        rig.logs.some(
          (l) =>
            l.level === 'warn' &&
            l.message.startsWith('move has no OCM equivalent') &&
            l.fields.peerHost === peer.host,
        ),
      );
      assert.deepEqual(peer.errors, []);
    });
  }

  test('legacy peer: move is relayed and the recipient points at the new owner', async () => {
    const peer: LegacyServer = await startLegacyServer({
      flavour: 'nextcloud13',
      users: { carol: 'Carol' },
      schemes: ['http'],
    });
    closers.push(() => peer.close());
    const host = new URL(peer.url).host;
    rig.backend.addFile('alice', '/moved-legacy.txt', 'x');
    const { share } = await rig.backend.shareWithRemote({
      owner: 'alice',
      path: '/moved-legacy.txt',
      shareWith: rig.facadeAddress('carol', host),
    });
    assert.ok(share !== undefined);
    const answer = await call(host, share.id, 'move', {
      token: share.token,
      remote: 'alice@new.example.org',
    });
    assert.equal(answer.statuscode, 200);
    const row = peer.receivedShares('carol').find((r) => r.name === 'moved-legacy.txt');
    assert.ok(row !== undefined);
    assert.match(row.remote, /new\.example\.org/);
    assert.deepEqual(peer.errors, []);
  });
});

describe('early-OCM backends send their callbacks as OCM first', () => {
  test('ownCloud 10: RESHARE_UNDO and RESHARE_CHANGE_PERMISSION on the facade endPoint reach the peer; its refusal comes back in OCM form, not 201, so the backend falls back', async () => {
    const rig = await startFacadeRig({ backend: { flavour: 'owncloud10' } });
    const peer = await startOcmPeer({
      version: '1.3',
      users: { carol: 'Carol' },
      schemes: ['http'],
    });
    try {
      const s = await seedReceivedShare(rig, peer, 'ocm-1.3');
      const post = async (type: string, extra: Record<string, unknown>) => {
        const res = await fetch(
          `http://${rig.internalHost}/peers/${peer.host}/index.php/ocm/notifications`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              notificationType: type,
              resourceType: 'file',
              providerId: String(s.record.alias),
              notification: { sharedSecret: s.secret, message: 'm', ...extra },
            }),
          },
        );
        return { status: res.status, body: (await res.json()) as { message?: string } };
      };
      const undo = await post('RESHARE_UNDO', {});
      assert.equal(undo.status, 501);
      assert.match(undo.body.message ?? '', /RESHARE_UNDO is not supported/);
      const perms = await post('RESHARE_CHANGE_PERMISSION', { permission: ['read', 'share'] });
      assert.equal(perms.status, 501);
      const accepted = await post('SHARE_ACCEPTED', {});
      assert.equal(accepted.status, 201);
      const seen = peer.received
        .filter((r) => r.path === '/ocm/notifications')
        .map((r) => r.body as { notificationType: string; providerId: string });
      assert.deepEqual(
        seen.map((n) => n.notificationType),
        ['RESHARE_UNDO', 'RESHARE_CHANGE_PERMISSION', 'SHARE_ACCEPTED'],
      );
      for (const n of seen) assert.equal(n.providerId, s.providerId);
      assert.equal(peer.state.sent.get(s.providerId)?.state, 'accepted');

      // The sim's own reshare request: OCM first (refused), then its legacy fallback (refused).
      const req = await rig.backend.requestReshare(s.receivedId, 'erin@far.example');
      assert.equal(req.result.ok, false);
      assert.equal(req.result.status, 501);
      assert.deepEqual(await rig.ledger.outbox.listDue(10), []);
      assert.deepEqual(peer.errors, []);
    } finally {
      await peer.close();
      await rig.close();
    }
  });
});
