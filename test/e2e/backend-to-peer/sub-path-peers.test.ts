/**
 * Facade-door peers installed in a sub-path (issue 9 item 1, "peer installed at
 * https://host/nextcloud"): the backend addresses `carol@<facade>/peers/<host>/nextcloud`; the
 * facade discovers and calls the peer there, whatever the peer speaks (legacy Nextcloud 13,
 * early-OCM ownCloud 10, Nextcloud 30 with OCM 1.1), and the peer reads, accepts, and sees the
 * unshare. Through the real startGateway.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';
import { startGatewayRig, type GatewayRig } from './gateway-rig.ts';
import { assertNothingInternal } from './privacy-scan.ts';

type Flavour = Pick<LegacyServerOptions, 'flavour' | 'nextcloudVersion'>;

const PEERS: readonly { name: string; options: Flavour }[] = [
  { name: 'legacy Nextcloud 13', options: { flavour: 'nextcloud13' } },
  { name: 'ownCloud 10 (1.0-proposal1)', options: { flavour: 'owncloud10' } },
  {
    name: 'Nextcloud 30 (OCM up to 1.1)',
    options: { flavour: 'nextcloud-ocm', nextcloudVersion: 30 },
  },
];

for (const backend of [{ flavour: 'owncloud9' }, { flavour: 'owncloud10' }] as const) {
  describe(`${backend.flavour} backend → peers in a sub-path, through the facade door`, () => {
    let rig: GatewayRig;
    const peers: LegacyServer[] = [];
    before(async () => {
      rig = await startGatewayRig({ backend });
    });
    after(async () => {
      for (const peer of peers) await peer.close();
      await rig.close();
    });

    for (const p of PEERS) {
      test(p.name, async () => {
        const peer = await startLegacyServer({
          ...p.options,
          basePath: '/nextcloud',
          users: { carol: 'Carol' },
          schemes: ['http'],
        });
        peers.push(peer);
        const host = new URL(peer.url).host;
        const name = `sub-${p.options.flavour}.txt`;
        rig.backend.addFile('alice', `/${name}`, `for ${p.name}`);
        const { share, result } = await rig.backend.shareWithRemote({
          owner: 'alice',
          path: `/${name}`,
          shareWith: `carol@${rig.internalHost}/peers/${host}/nextcloud`,
        });
        assert.ok(result.ok, JSON.stringify(result));
        assert.ok(result.url?.includes(`/peers/${host}/nextcloud/`), result.url);
        assert.ok(share !== undefined);
        const received = peer.receivedShares('carol').find((r) => r.name === name);
        assert.ok(received !== undefined, 'the peer has the share');
        assert.equal(received.token, share.token);

        const file = await peer.readShare(received.id, { method: 'GET' });
        assert.equal(file.status, 200);
        assert.equal(file.text, `for ${p.name}`);
        assert.ok((await peer.acceptShare(received.id)).ok);
        assert.equal(rig.backend.outgoingShares().find((s) => s.id === share.id)?.accepted, true);
        const u = await rig.backend.unshare(share.id);
        assert.ok(u.ok, JSON.stringify(u));
        assert.ok(u.url?.includes(`/peers/${host}/nextcloud/`), u.url);
        assert.equal(
          peer.receivedShares('carol').some((r) => r.name === name),
          false,
        );
        // Every call reached the peer below its sub-path.
        const calls = peer.received.filter((r) => r.method === 'POST');
        assert.ok(calls.length > 0);
        for (const call of calls) assert.ok(call.path.startsWith('/nextcloud/'), call.path);
        assert.deepEqual(peer.errors, []);
        assert.deepEqual(rig.backend.errors, []);
        assertNothingInternal(
          peer.received,
          [new URL(rig.backend.url).host, rig.internalHost],
          `${backend.flavour} → ${p.name} in a sub-path`,
        );
      });
    }
  });
}

describe('a share FROM a sub-path OCM peer into a legacy-OCS backend', () => {
  // The `remote` given to the backend is `<facade>/peers/<host>/<sub-path>/` (the sub-path read
  // from the share's sender/owner), so the backend's later calls reach the peer where it lives.
  test('the backend accepts and the peer is told', async () => {
    const rig = await startGatewayRig({ backend: { flavour: 'nextcloud13' } });
    const peer = await startLegacyServer({
      flavour: 'nextcloud-ocm',
      nextcloudVersion: 30,
      basePath: '/nextcloud',
      users: { carol: 'Carol' },
      schemes: ['http'],
    });
    try {
      peer.addFile('carol', '/in.txt', 'inbound');
      const { share, result } = await peer.shareWithRemote({
        owner: 'carol',
        path: '/in.txt',
        shareWith: `alice@${rig.publicHost}`,
      });
      assert.ok(result.ok, JSON.stringify(result));
      const row = rig.backend.receivedShares('alice').at(-1);
      assert.ok(row !== undefined && share !== undefined);
      const accepted = await rig.backend.acceptShare(row.id);
      assert.ok(accepted.ok, JSON.stringify(accepted));
      assert.equal(peer.outgoingShares().find((s) => s.id === share.id)?.accepted, true);
    } finally {
      await peer.close();
      await rig.close();
    }
  });
});
