/**
 * Flow 2 through the facade (issue 9 item 2): a Nextcloud 13 backend accepts and declines shares
 * it received from OCM peers and unshares one it sent; each reaches the peer as a notification in
 * its dialect (the peer's providerId and secret, signed as the peer requires). Refusals come back
 * as OCS errors; a wrong token never reaches the peer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { startFacadeRig, type FacadeRig } from '../../integration/facade/facade-rig.ts';
import { assertNothingInternal } from './privacy-scan.ts';
import { seedReceivedShare } from './seed-received-share.ts';

const VERSIONS = [
  { version: '1.0', dialect: 'ocm-1.0', criteria: [] },
  { version: '1.2', dialect: 'ocm-1.2', criteria: ['http-request-signatures'] },
  { version: '1.3', dialect: 'ocm-1.3', criteria: ['must-use-http-sig'] },
] as const;

describe('flow 2: the backend’s callbacks reach OCM peers', () => {
  let rig: FacadeRig;
  const peers: OcmPeer[] = [];

  before(async () => {
    rig = await startFacadeRig({ backend: { flavour: 'nextcloud13' } });
  });
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await rig.close();
  });

  async function peerOf(v: (typeof VERSIONS)[number]): Promise<OcmPeer> {
    const peer = await startOcmPeer({
      version: v.version,
      criteria: [...v.criteria],
      users: { carol: 'Carol' },
      schemes: ['http'],
    });
    peers.push(peer);
    return peer;
  }

  for (const v of VERSIONS) {
    test(`OCM ${v.version}: accept and decline of received shares, unshare of a sent one`, async () => {
      const peer = await peerOf(v);
      const accepted = await seedReceivedShare(rig, peer, v.dialect);
      const declined = await seedReceivedShare(rig, peer, v.dialect);

      const a = await rig.backend.acceptShare(accepted.receivedId);
      assert.ok(a.ok, JSON.stringify(a));
      assert.equal(peer.state.sent.get(accepted.providerId)?.state, 'accepted');
      assert.equal((await rig.ledger.shares.get(accepted.record.id))?.state, 'accepted');

      const d = await rig.backend.declineShare(declined.receivedId);
      assert.ok(d.ok, JSON.stringify(d));
      assert.equal(peer.state.sent.get(declined.providerId)?.state, 'declined');
      assert.equal((await rig.ledger.shares.get(declined.record.id))?.state, 'declined');

      const { share } = await rig.backend.shareWithRemote({
        owner: 'alice',
        path: '/report.txt',
        shareWith: rig.facadeAddress('carol', peer.host),
      });
      assert.ok(share !== undefined);
      assert.equal(peer.receivedShares('carol').length, 1);
      const u = await rig.backend.unshare(share.id);
      assert.ok(u.ok, JSON.stringify(u));
      assert.equal(peer.receivedShares('carol').length, 0);

      const notes = peer.received.filter((r) => r.path === '/ocm/notifications');
      const ids = notes.map((n) => (n.body as { providerId: string }).providerId);
      // The peer's own ids, never the backend's alias for the shares it received.
      assert.deepEqual(ids, [accepted.providerId, declined.providerId, String(share.id)]);
      for (const note of notes) {
        if (v.version === '1.0') assert.equal(note.headers.signature, undefined);
        else assert.ok(note.headers.signature !== undefined, 'signed');
      }
      assert.deepEqual(peer.errors, []);
      assertNothingInternal(
        peer.received,
        [new URL(rig.backend.url).host, rig.internalHost],
        v.version,
      );
    });
  }

  test('a refusal comes back as an OCS error; the state does not change', async () => {
    const peer = await peerOf(VERSIONS[2]);
    const seeded = await seedReceivedShare(rig, peer, 'ocm-1.3');
    // The simulated peer knows no REQUEST_RESHARE: 501 from the peer, 501 for the backend.
    const req = await rig.backend.requestReshare(seeded.receivedId, `erin@far.example`);
    assert.equal(req.result.ok, false);
    assert.equal(req.result.status, 501);
    const meta = (req.result.body as { ocs: { meta: { statuscode: number } } }).ocs.meta;
    assert.equal(meta.statuscode, 501);
    assert.equal((await rig.ledger.shares.get(seeded.record.id))?.state, 'pending');
  });

  test('a wrong token is refused at the facade and never reaches the peer', async () => {
    const peer = await peerOf(VERSIONS[1]);
    const seeded = await seedReceivedShare(rig, peer, 'ocm-1.2');
    const before = peer.received.length;
    const res = await fetch(
      `http://${rig.internalHost}/peers/${peer.host}/ocs/v2.php/cloud/shares/${seeded.record.alias}/accept?format=json`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=not-the-token',
      },
    );
    assert.equal(res.status, 403);
    const body = (await res.json()) as { ocs: { meta: { statuscode: number } } };
    assert.equal(body.ocs.meta.statuscode, 403);
    assert.equal(peer.received.length, before);
  });

  test('an alias of another peer’s share is not found; v1 answers 200 with the code inside, XML by default', async () => {
    const peer = await peerOf(VERSIONS[1]);
    const other = await peerOf(VERSIONS[1]);
    const seeded = await seedReceivedShare(rig, peer, 'ocm-1.2');
    const res = await fetch(
      `http://${rig.internalHost}/peers/${other.host}/ocs/v1.php/cloud/shares/${seeded.record.alias}/accept`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${seeded.secret}`,
      },
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /xml/);
    const text = await res.text();
    assert.match(text, /<statuscode>404<\/statuscode>/);
    assert.equal(peer.state.sent.get(seeded.providerId)?.state, 'pending');
  });
});
