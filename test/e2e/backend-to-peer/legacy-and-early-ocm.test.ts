/**
 * Flow 4 and flow 2 for the other backend and peer kinds (issue 9 items 1–4): a legacy peer gets
 * the backend's calls unchanged (through the facade, answer relayed); early-OCM backends
 * (ownCloud 10, Nextcloud 27) find a `1.0-proposal1` facade for modern peers and end on the OCM
 * path with a 201, but a 404 for legacy peers so they fall back to OCS; and the forward-proxy door
 * serves a backend that calls the peer's real host exactly as the facade does.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
} from '../../sim/index.ts';
import { startFacadeRig, type FacadeRig } from '../../integration/facade/facade-rig.ts';
import { assertNothingInternal } from './privacy-scan.ts';
import { seedReceivedShare } from './seed-received-share.ts';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

async function rigFor(options: Parameters<typeof startFacadeRig>[0]): Promise<FacadeRig> {
  const rig = await startFacadeRig(options);
  closers.push(() => rig.close());
  return rig;
}

async function ocmPeer(version: '1.2' | '1.3'): Promise<OcmPeer> {
  const peer = await startOcmPeer({ version, users: { carol: 'Carol' }, schemes: ['http'] });
  closers.push(() => peer.close());
  return peer;
}

async function legacyPeer(basePath?: string): Promise<LegacyServer> {
  const peer = await startLegacyServer({
    flavour: 'nextcloud13',
    ...(basePath === undefined ? {} : { basePath }),
    users: { carol: 'Carol' },
    schemes: ['http'],
  });
  closers.push(() => peer.close());
  return peer;
}

function internalOf(rig: FacadeRig): string[] {
  return [new URL(rig.backend.url).host, rig.internalHost];
}

describe('a legacy peer gets the backend’s calls unchanged', () => {
  for (const flavour of ['nextcloud13', 'owncloud10'] as const) {
    test(`${flavour} backend → Nextcloud 13 peer: share relayed, unshare relayed`, async () => {
      const rig = await rigFor({ backend: { flavour } });
      const peer = await legacyPeer();
      const peerHost = new URL(peer.url).host;
      const { share, result } = await rig.backend.shareWithRemote({
        owner: 'alice',
        path: '/report.txt',
        shareWith: rig.facadeAddress('carol', peerHost),
      });
      assert.ok(result.ok, JSON.stringify(result));
      // ownCloud 10 asked the facade's /ocm-provider/ first and fell back on the 404.
      assert.equal(result.via, 'ocs');
      assert.ok(share !== undefined);
      const [received] = peer.receivedShares('carol');
      assert.ok(received !== undefined);
      assert.equal(received.token, share.token);
      assert.equal(received.remoteId, String(share.id));
      assert.equal(received.remote, `${rig.publicUrl}/`);
      const record = await rig.ledger.shares.findByKey({
        direction: 'outgoing',
        peerHost,
        providerId: String(share.id),
      });
      assert.equal(record?.dialects.peer, 'ocs-v2');

      const u = await rig.backend.unshare(share.id);
      assert.ok(u.ok, JSON.stringify(u));
      assert.equal(peer.receivedShares('carol').length, 0);
      assert.deepEqual(peer.errors, []);
      assertNothingInternal(peer.received, internalOf(rig), `${flavour} → legacy`);
    });
  }
});

describe('early-OCM backends end on the OCM path for modern peers', () => {
  for (const backend of [
    { flavour: 'owncloud10' as const },
    { flavour: 'nextcloud-ocm' as const, nextcloudVersion: 27 },
  ]) {
    test(`${backend.flavour}: share, unshare and accept over the facade's 1.0-proposal1 endPoint`, async () => {
      const rig = await rigFor({ backend });
      const peer = await ocmPeer('1.3');
      const { share, result } = await rig.backend.shareWithRemote({
        owner: 'alice',
        path: '/report.txt',
        shareWith: rig.facadeAddress('carol', peer.host),
      });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.via, 'ocm');
      assert.equal(result.status, 201);
      assert.ok(share !== undefined);
      const [received] = peer.receivedShares('carol');
      assert.equal(received?.owner, `alice@${rig.publicHost}`);
      assert.equal(received.webdav.sharedSecret, share.token);

      const u = await rig.backend.unshare(share.id);
      assert.ok(u.ok && u.via === 'ocm', JSON.stringify(u));
      assert.equal(peer.receivedShares('carol').length, 0);

      const seeded = await seedReceivedShare(rig, peer, 'ocm-1.3');
      const a = await rig.backend.acceptShare(seeded.receivedId);
      assert.ok(a.ok && a.via === 'ocm', JSON.stringify(a));
      assert.equal(peer.state.sent.get(seeded.providerId)?.state, 'accepted');
      assert.deepEqual(peer.errors, []);
      assertNothingInternal(peer.received, internalOf(rig), backend.flavour);
    });
  }
});

describe('the forward-proxy door serves the peer’s real host like the facade', () => {
  test('Nextcloud 27 through the proxy: OCM share and unshare to a 1.2 peer', async () => {
    const rig = await rigFor({
      backend: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 },
      backendUsesProxy: true,
    });
    const peer = await ocmPeer('1.2');
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'alice',
      path: '/report.txt',
      shareWith: `carol@http://${peer.host}`,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.via, 'ocm');
    assert.equal(result.url, `http://${peer.host}/index.php/ocm/shares`);
    assert.ok(share !== undefined);
    const [received] = peer.receivedShares('carol');
    assert.equal(received?.owner, `alice@${rig.publicHost}`);
    assert.equal(received.signedBy, `${rig.publicUrl}/ocm#signature`);
    const u = await rig.backend.unshare(share.id);
    assert.ok(u.ok, JSON.stringify(u));
    assert.equal(peer.receivedShares('carol').length, 0);
    // The peer itself never saw the backend's own calls: only the gateway's.
    assert.ok(peer.received.every((r) => !r.path.startsWith('/index.php/')));
    assertNothingInternal(peer.received, internalOf(rig), 'proxy door');
  });

  test('Nextcloud 13 through the proxy: the legacy createShare becomes an OCM share', async () => {
    const rig = await rigFor({ backend: { flavour: 'nextcloud13' }, backendUsesProxy: true });
    const peer = await ocmPeer('1.3');
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'alice',
      path: '/report.txt',
      shareWith: `carol@${peer.host}`,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.url, `http://${peer.host}/ocs/v2.php/cloud/shares?format=json`);
    assert.equal(peer.receivedShares('carol')[0]?.webdav.sharedSecret, share?.token);
    assertNothingInternal(peer.received, internalOf(rig), 'proxy door (OCS)');
  });

  test('a legacy peer in a sub-path, through the proxy: share relayed; a share the gateway never saw survives the storage check', async () => {
    const rig = await rigFor({ backend: { flavour: 'nextcloud13' }, backendUsesProxy: true });
    const peer = await legacyPeer('/nextcloud');
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'alice',
      path: '/report.txt',
      shareWith: `carol@${new URL(peer.url).host}/nextcloud`,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(peer.receivedShares('carol')[0]?.token, share?.token);
    assert.equal(peer.receivedShares('carol')[0]?.remote, `${rig.publicUrl}/`);

    // dora's share reached the backend directly (no ledger record); its WebDAV failed.
    peer.addUser('dora', 'Dora');
    peer.addFile('dora', '/plan.txt', 'the plan');
    const owned = peer.seedShare({
      owner: 'dora',
      path: '/plan.txt',
      shareWith: rig.backend.cloudId('bob'),
    });
    const received = rig.backend.seedReceivedShare({
      remote: peer.url,
      remoteId: String(owned.id),
      token: owned.token,
      name: 'plan.txt',
      shareWith: 'bob',
    });
    assert.equal(await rig.backend.checkStorage(received.id), 'available');
    assert.ok(peer.received.some((q) => q.localPath === '/index.php/apps/files_sharing/shareinfo'));
    assertNothingInternal(peer.received, internalOf(rig), 'proxy door, sub-path legacy peer');
  });
});
