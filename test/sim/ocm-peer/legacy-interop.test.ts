/** Legacy simulators meeting OCM peer simulators directly (no gateway): what works and what real
 * servers get wrong without a translator in between. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripScheme } from '../common/cloud-id.ts';
import { startLegacyServer, type LegacyServer } from '../legacy/legacy-server.ts';
import { startOcmPeer, type OcmPeer } from './ocm-peer.ts';
import type { OcmVersion } from './ocm-peer-versions.ts';

async function both(
  legacy: Parameters<typeof startLegacyServer>[0],
  version: OcmVersion,
  fn: (l: LegacyServer, p: OcmPeer) => Promise<void>,
): Promise<void> {
  const [l, p] = await Promise.all([
    startLegacyServer({ schemes: ['http'], ...legacy }),
    startOcmPeer({ version, schemes: ['http'], users: { bob: 'Bob', dave: 'Dave' } }),
  ]);
  try {
    await fn(l, p);
    assert.deepEqual([...l.errors, ...p.errors], []);
  } finally {
    await Promise.all([l.close(), p.close()]);
  }
}

test('Nextcloud 27 ignores a 1.1 peer (apiVersion must be 1.0-proposal1) and its legacy fallback 404s', () =>
  both(
    { flavour: 'nextcloud-ocm', nextcloudVersion: 27, users: { alice: 'Alice' } },
    '1.1',
    async (nc, peer) => {
      nc.addFile('alice', 'a.txt', 'a');
      const { share, result } = await nc.shareWithRemote({
        owner: 'alice',
        path: 'a.txt',
        shareWith: `bob@${peer.url}`,
      });
      assert.deepEqual(
        [share, result.ok, result.via, result.status],
        [undefined, false, 'ocs', 404],
      );
      assert.ok(peer.received.some((r) => r.path === '/ocm-provider/'));
      assert.ok(!peer.received.some((r) => r.path === '/ocm/shares'));
    },
  ));

test('Nextcloud 28 accepts the 1.1 peer but sends sharedBy, not the required sender → 400', () =>
  both(
    { flavour: 'nextcloud-ocm', nextcloudVersion: 28, users: { alice: 'Alice' } },
    '1.1',
    async (nc, peer) => {
      nc.addFile('alice', 'a.txt', 'a');
      const { result } = await nc.shareWithRemote({
        owner: 'alice',
        path: 'a.txt',
        shareWith: `bob@${peer.url}`,
      });
      assert.equal(result.ok, false);
      assert.ok(nc.outgoing.some((a) => a.url === `${peer.endPoint}/shares` && a.status === 400));
    },
  ));

test('ownCloud 10 → OCM 1.0 peer works end to end (enabled:true, sender, options.sharedSecret)', () =>
  both({ flavour: 'owncloud10', users: { alice: 'Alice' } }, '1.0', async (oc, peer) => {
    oc.addFile('alice', 'r.txt', 'from ownCloud');
    const { share, result } = await oc.shareWithRemote({
      owner: 'alice',
      path: 'r.txt',
      shareWith: peer.address('bob'),
    });
    assert.deepEqual([result.via, result.status], ['ocm', 201]);
    const r = peer.receivedShares('bob')[0]!;
    assert.equal(r.style, 'legacy');
    assert.equal((await peer.readShare(r.id)).text, 'from ownCloud');
    assert.equal((await peer.acceptShare(r.id)).status, 201);
    assert.equal(oc.state.shares.get(share!.id)?.accepted, true);
  }));

test('OCM 1.0 peer → ownCloud 10, which mounts the peer WebDAV path from its OCM discovery', () =>
  both({ flavour: 'owncloud10', users: { dave: 'Dave' } }, '1.0', async (oc, peer) => {
    peer.addUser('erin', 'Erin').addFile('erin', 'Report.odt', 'odt bytes');
    const { result } = await peer.shareWith({
      owner: 'erin',
      path: 'Report.odt',
      shareWith: `dave@${stripScheme(oc.url)}`,
    });
    assert.deepEqual([result.status, result.body], [201, []]);
    const r = oc.receivedShares('dave')[0]!;
    assert.equal(r.remote, peer.host);
    assert.equal((await oc.readShare(r.id)).text, 'odt bytes');
  }));

test('when /ocs-provider/ is missing, ownCloud falls back to the v1 share path and Nextcloud 13 to v2', async () => {
  for (const [flavour, path] of [
    ['owncloud9', '/ocs/v1.php/cloud/shares'],
    ['nextcloud13', '/ocs/v2.php/cloud/shares'],
  ] as const) {
    await both({ flavour, users: { alice: 'Alice' } }, '1.3', async (legacy, peer) => {
      legacy.addFile('alice', 'a.txt', 'a');
      const { result } = await legacy.shareWithRemote({
        owner: 'alice',
        path: 'a.txt',
        shareWith: peer.address('bob'),
      });
      assert.equal(result.ok, false);
      assert.equal(result.url, `${peer.url}${path}?format=json`);
    });
  }
});
