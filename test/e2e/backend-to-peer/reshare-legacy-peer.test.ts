/**
 * Flat re-sharing through the facade (legacy-protocols §1.6–1.8): a Nextcloud 27 backend asks a
 * legacy owner to re-share a share it received; the owner's new share gets a ledger alias the
 * backend can cast to int; its later permission change and Nextcloud's `reshare_undo` (a route no
 * server has) reach the owner as `permissions` and `revoke` on the owner's own id.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import { startFacadeRig, type FacadeRig } from '../../integration/facade/facade-rig.ts';
import { assertNothingInternal } from './privacy-scan.ts';

describe('flow 2: reshare, permissions and reshare_undo with a legacy owner', () => {
  let rig: FacadeRig;
  let owner: LegacyServer;
  let third: LegacyServer;

  before(async () => {
    rig = await startFacadeRig({ backend: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 } });
    third = await startLegacyServer({
      flavour: 'nextcloud13',
      users: { erin: 'Erin' },
      schemes: ['http'],
    });
    owner = await startLegacyServer({
      flavour: 'nextcloud13',
      users: { dora: 'Dora' },
      schemes: ['http'],
    });
  });
  after(async () => {
    await owner.close();
    await third.close();
    await rig.close();
  });

  test('the reshare answer names the new share by its alias; undo and permissions reach the owner', async () => {
    const host = new URL(owner.url).host;
    owner.addFile('dora', '/plan.txt', 'the plan');
    const original = owner.seedShare({
      owner: 'dora',
      path: '/plan.txt',
      shareWith: `alice@${rig.publicHost}`,
    });
    const { record } = await rig.ledger.shares.create({
      direction: 'incoming',
      peerHost: host,
      providerId: String(original.id),
      sharedSecret: original.token,
      dialects: { peer: 'ocs-v2', backend: 'ocm-proposal1' },
      owner: `dora@${host}`,
      sender: `dora@${host}`,
      shareWith: `alice@${rig.publicHost}`,
      resourceName: 'plan.txt',
      state: 'accepted',
    });
    const received = rig.backend.seedReceivedShare({
      remote: `http://${rig.internalHost}/peers/${host}/`,
      remoteId: String(record.alias),
      token: original.token,
      name: 'plan.txt',
      shareWith: 'alice',
      accepted: true,
    });

    const req = await rig.backend.requestReshare(received.id, third.cloudId('erin'), 17);
    assert.ok(req.result.ok, JSON.stringify(req.result));
    await owner.settle();
    assert.equal(third.receivedShares('erin').length, 1, 'the owner shared with the new recipient');
    const created = owner.outgoingShares().find((s) => s.parentId === original.id);
    assert.ok(created !== undefined, 'the owner made the flat re-share');
    assert.equal(req.token, created.token);
    const alias = await rig.ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: host,
      providerId: String(created.id),
    });
    assert.ok(alias !== undefined);
    assert.equal(req.remoteId, String(alias.alias));

    const p = await rig.backend.changeResharePermissions(req, 1);
    assert.ok(p.ok, JSON.stringify(p));
    assert.ok(
      owner.received.some((q) => q.path === `/ocs/v2.php/cloud/shares/${created.id}/permissions`),
    );

    const undo = await rig.backend.undoReshare(req);
    assert.ok(undo.ok, JSON.stringify(undo));
    // Nextcloud ≥ 14 posts its misnamed legacy route; the facade answers it as revoke.
    assert.ok(undo.url?.includes(`/cloud/shares/${alias.alias}/reshare_undo`), undo.url);
    assert.equal(
      owner.outgoingShares().some((s) => s.id === created.id),
      false,
      'the owner revoked the re-share',
    );
    assert.ok(
      owner.received.some((q) => q.path === `/ocs/v2.php/cloud/shares/${created.id}/revoke`),
    );
    assert.equal((await rig.ledger.shares.get(alias.id))?.state, 'unshared');
    await owner.settle();
    assert.deepEqual(owner.errors, []);
    assertNothingInternal(
      owner.received,
      [new URL(rig.backend.url).host, rig.internalHost],
      'reshare',
    );
  });
});
