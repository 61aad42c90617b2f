/**
 * Flow 4 through the facade (issue 9 item 4): a legacy backend (Nextcloud 13 on OCS v2, ownCloud
 * 9.0 on OCS v1) shares with a user at an OCM peer of every version by addressing the peer's
 * facade URL; the share arrives valid for the peer's version, signed as the peer requires, with
 * the gateway's public WebDAV and the backend's token, and the ledger records it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOcmPeer, type OcmPeer, type OcmPeerOptions } from '../../sim/index.ts';
import { startFacadeRig, type FacadeRig } from '../../integration/facade/facade-rig.ts';
import { assertNothingInternal } from './privacy-scan.ts';

interface PeerCase {
  readonly name: string;
  readonly options: Omit<OcmPeerOptions, 'users' | 'schemes'>;
  readonly signature: 'none' | 'cavage' | 'rfc9421';
  readonly requirements: readonly string[];
}

const PEERS: readonly PeerCase[] = [
  { name: '1.0', options: { version: '1.0' }, signature: 'none', requirements: [] },
  { name: '1.1', options: { version: '1.1' }, signature: 'none', requirements: [] },
  { name: '1.2 (cavage key)', options: { version: '1.2' }, signature: 'cavage', requirements: [] },
  {
    name: '1.2 requiring signatures',
    options: { version: '1.2', criteria: ['http-request-signatures'] },
    signature: 'cavage',
    requirements: [],
  },
  { name: '1.3', options: { version: '1.3' }, signature: 'rfc9421', requirements: [] },
  {
    name: '1.3 must-use-http-sig + must-exchange-token',
    options: { version: '1.3', criteria: ['must-use-http-sig', 'must-exchange-token'] },
    signature: 'rfc9421',
    requirements: ['must-exchange-token'],
  },
];

for (const flavour of ['nextcloud13', 'owncloud9'] as const) {
  describe(`flow 4: ${flavour} backend → OCM peers through the facade`, () => {
    let rig: FacadeRig;
    const peers: OcmPeer[] = [];

    before(async () => {
      rig = await startFacadeRig({ backend: { flavour } });
    });
    after(async () => {
      await Promise.all(peers.map((p) => p.close()));
      await rig.close();
    });

    for (const c of PEERS) {
      test(`OCM ${c.name}`, async () => {
        const peer = await startOcmPeer({
          ...c.options,
          users: { carol: 'Carol' },
          schemes: ['http'],
        });
        peers.push(peer);
        const { share, result } = await rig.backend.shareWithRemote({
          owner: 'alice',
          path: '/report.txt',
          shareWith: rig.facadeAddress('carol', peer.host),
        });
        assert.ok(result.ok, JSON.stringify(result));
        assert.equal(result.via, 'ocs');
        assert.ok(share !== undefined);
        assert.deepEqual(peer.errors, []);

        const [received] = peer.receivedShares('carol');
        assert.ok(received !== undefined, 'the peer has the share');
        assert.equal(received.providerId, String(share.id));
        assert.equal(received.owner, `alice@${rig.publicHost}`);
        assert.equal(received.shareWith, `carol@${peer.host}`);
        assert.equal(received.webdav.sharedSecret, share.token);
        assert.deepEqual(received.webdav.requirements, c.requirements);
        if (c.options.version !== '1.0') {
          assert.equal(received.webdav.uri, `${rig.publicUrl}/public.php/webdav/`);
        }
        const signedBy = received.signedBy;
        if (c.signature === 'none') assert.equal(signedBy, undefined);
        else if (c.signature === 'cavage') assert.equal(signedBy, `${rig.publicUrl}/ocm#signature`);
        else assert.ok(signedBy?.startsWith(`${rig.publicHost}#`), signedBy);

        const record = await rig.ledger.shares.findByKey({
          direction: 'outgoing',
          peerHost: peer.host,
          providerId: String(share.id),
        });
        assert.ok(record !== undefined);
        assert.equal(record.sharedSecret, share.token);
        assert.equal(record.backendShareId, String(share.id));
        assert.equal(record.state, 'pending');

        assertNothingInternal(
          peer.received,
          [new URL(rig.backend.url).host, rig.internalHost],
          `${flavour} → ${c.name}`,
        );
      });
    }

    test('a backend that names itself by its internal URL still shows only the public host', async () => {
      const peer = await startOcmPeer({
        version: '1.2',
        users: { carol: 'Carol' },
        schemes: ['http'],
      });
      peers.push(peer);
      const before = rig.backend.publicUrl;
      rig.backend.publicUrl = rig.backend.url;
      try {
        const { result } = await rig.backend.shareWithRemote({
          owner: 'alice',
          path: '/report.txt',
          shareWith: rig.facadeAddress('carol', peer.host),
        });
        assert.ok(result.ok, JSON.stringify(result));
      } finally {
        rig.backend.publicUrl = before;
      }
      assert.equal(peer.receivedShares('carol')[0]?.owner, `alice@${rig.publicHost}`);
      assertNothingInternal(
        peer.received,
        [new URL(rig.backend.url).host, rig.internalHost],
        'internal remote',
      );
    });
  });
}
