/**
 * Issue 9 item 1: what each peer looks like under `/peers/<host>/` — status.php with a version,
 * /ocs-provider/ naming the backend's own OCS path, /ocm-provider/ only for early-OCM backends and
 * modern peers, shareinfo answered for every live share received from that peer (old receivers
 * delete a share on 404) and 404 only for unknown or ended tokens, and no OCM GET listing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
} from '../../sim/index.ts';
import { seedReceivedShare } from '../../e2e/backend-to-peer/seed-received-share.ts';
import { startFacadeRig, type FacadeRig } from './facade-rig.ts';

async function get(rig: FacadeRig, path: string, init: RequestInit = {}) {
  const res = await fetch(`http://${rig.internalHost}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    text,
    json: (json ?? {}) as Record<string, unknown>,
    headers: res.headers,
  };
}

describe('facade documents for a Nextcloud 13 (OCS v2) backend', () => {
  let rig: FacadeRig;
  let peer: OcmPeer;
  let legacy: LegacyServer;

  before(async () => {
    rig = await startFacadeRig({ backend: { flavour: 'nextcloud13' } });
    peer = await startOcmPeer({ version: '1.3', users: { carol: 'Carol' }, schemes: ['http'] });
    legacy = await startLegacyServer({
      flavour: 'nextcloud13',
      users: { carol: 'Carol' },
      schemes: ['http'],
    });
  });
  after(async () => {
    await peer.close();
    await legacy.close();
    await rig.close();
  });

  test('status.php looks like the backend’s kind, with a version', async () => {
    const r = await get(rig, `/peers/${peer.host}/status.php`);
    assert.equal(r.status, 200);
    assert.equal(r.json.productname, 'Nextcloud');
    assert.equal(r.json.version, '13.0.12.1');
    assert.equal(r.json.installed, true);
  });

  test('ocs-provider at both paths names the v2 share path and the public WebDAV', async () => {
    for (const path of ['/ocs-provider/', '/ocs-provider/index.php']) {
      const r = await get(rig, `/peers/${peer.host}${path}`);
      assert.equal(r.status, 200, path);
      assert.deepEqual(r.json.services, {
        FEDERATED_SHARING: {
          version: 1,
          endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' },
        },
      });
    }
  });

  test('an OCS-only backend gets no ocm-provider (it never asks for one)', async () => {
    assert.equal((await get(rig, `/peers/${peer.host}/ocm-provider/`)).status, 404);
  });

  test('shareinfo: 200 for a live share from that peer, 404 for unknown, other-peer or ended tokens', async () => {
    const seeded = await seedReceivedShare(rig, peer, 'ocm-1.3');
    const ask = (host: string, token: string) =>
      get(rig, `/peers/${host}/index.php/apps/files_sharing/shareinfo?t=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'password=',
      });
    const ok = await ask(peer.host, seeded.secret);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.status, 'success');
    const data = ok.json.data as Record<string, unknown>;
    assert.equal(data.id, seeded.record.alias);
    assert.equal(data.name, seeded.record.resourceName);
    assert.equal(await rig.backend.checkStorage(seeded.receivedId), 'available');
    assert.equal((await ask(peer.host, 'no-such-token')).status, 404);
    assert.equal((await ask(new URL(legacy.url).host, seeded.secret)).status, 404);
    await rig.ledger.shares.update(seeded.record.id, { state: 'unshared' });
    assert.equal((await ask(peer.host, seeded.secret)).status, 404);
    // An ended share is the one case where the old receiver may drop it.
    assert.equal(await rig.backend.checkStorage(seeded.receivedId), 'deleted');
  });

  test('shareinfo for a share from a legacy peer is the peer’s own answer', async () => {
    const host = new URL(legacy.url).host;
    legacy.addUser('dora', 'Dora');
    legacy.addFile('dora', '/plan.txt', 'twelve bytes');
    const owned = legacy.seedShare({
      owner: 'dora',
      path: '/plan.txt',
      shareWith: `alice@${rig.publicHost}`,
    });
    await rig.ledger.shares.create({
      direction: 'incoming',
      peerHost: host,
      providerId: String(owned.id),
      sharedSecret: owned.token,
      dialects: { peer: 'ocs-v2', backend: 'ocs-v2' },
      owner: `dora@${host}`,
      sender: `dora@${host}`,
      shareWith: `alice@${rig.publicHost}`,
      resourceName: 'plan.txt',
    });
    const r = await get(
      rig,
      `/peers/${host}/index.php/apps/files_sharing/shareinfo?t=${owned.token}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'password=',
      },
    );
    assert.equal(r.status, 200);
    const data = r.json.data as Record<string, unknown>;
    assert.equal(data.name, 'plan.txt');
    assert.equal(data.size, 12);
    assert.ok(legacy.received.some((q) => q.path === '/index.php/apps/files_sharing/shareinfo'));
  });

  test('no OCM GET listing, wrong methods refused, OCS errors in XML unless format=json', async () => {
    const listing = await get(rig, `/peers/${peer.host}/index.php/ocm/shares`);
    assert.equal(listing.status, 405);
    assert.equal((await get(rig, `/peers/${peer.host}/ocs/v2.php/cloud/shares`)).status, 405);
    const xml = await get(rig, `/peers/${peer.host}/ocs/v2.php/cloud/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'shareWith=carol',
    });
    assert.equal(xml.status, 400);
    assert.match(xml.text, /^<\?xml/);
    assert.match(xml.text, /<statuscode>400<\/statuscode>/);
    const json = await get(rig, `/peers/${peer.host}/ocs/v1.php/cloud/shares?format=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'shareWith=carol',
    });
    assert.equal(json.status, 200);
    assert.equal((json.json.ocs as { meta: { statuscode: number } }).meta.statuscode, 400);
    assert.equal((await get(rig, '/peers/not a host/status.php')).status, 404);
  });
});

describe('facade documents for an early-OCM backend (Nextcloud 27)', () => {
  let rig: FacadeRig;
  let peer: OcmPeer;
  let legacy: LegacyServer;

  before(async () => {
    rig = await startFacadeRig({ backend: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 } });
    peer = await startOcmPeer({ version: '1.2', users: { carol: 'Carol' }, schemes: ['http'] });
    legacy = await startLegacyServer({ flavour: 'nextcloud13', schemes: ['http'] });
  });
  after(async () => {
    await peer.close();
    await legacy.close();
    await rig.close();
  });

  test('ocm-provider: 1.0-proposal1 with the facade endPoint for a modern peer', async () => {
    const r = await get(rig, `/peers/${peer.host}/ocm-provider/`);
    assert.equal(r.status, 200);
    assert.equal(r.json.apiVersion, '1.0-proposal1');
    assert.equal(r.json.enabled, true);
    assert.equal(r.json.endPoint, `http://${rig.internalHost}/peers/${peer.host}/index.php/ocm`);
    assert.equal(r.headers.get('x-nextcloud-ocm-providers'), 'true');
  });

  test('ocm-provider: 404 for a legacy peer, so the backend uses its OCS call', async () => {
    assert.equal((await get(rig, `/peers/${new URL(legacy.url).host}/ocm-provider/`)).status, 404);
  });
});
