import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import {
  startProxyHarness,
  startTlsFront,
  type ProxyHarness,
  type TestServer,
} from './proxy-harness.ts';

/** A legacy peer reachable only as https://peer.example:<port>, like a real remote server. */
async function httpsPeer(
  flavour: 'nextcloud13' | 'nextcloud-ocm',
  basePath: string,
): Promise<{ sim: LegacyServer; front: TestServer; base: string }> {
  const sim = await startLegacyServer({ flavour, basePath, users: { bob: 'Bob' } });
  const front = await startTlsFront(Number(new URL(sim.origin).port));
  const base = `https://peer.example:${front.port}${basePath}`;
  sim.publicUrl = base;
  return { sim, front, base };
}

describe('a legacy backend with `proxy` set federates over https through interception', () => {
  let proxy: ProxyHarness;
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    proxy = await startProxyHarness({ intercept: true, recordAndForward: true });
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    await proxy.close();
  });

  async function backend(flavour: 'nextcloud13' | 'owncloud10'): Promise<LegacyServer> {
    const sim = await startLegacyServer({
      flavour,
      users: { alice: 'Alice' },
      schemes: ['https'],
      proxy: proxy.url,
      ca: proxy.ca?.certificatePem,
    });
    closers.push(() => sim.close());
    return sim;
  }

  test('Nextcloud 13: OCS discovery and share creation reach the peer via the federation handler', async () => {
    const peer = await httpsPeer('nextcloud13', '/nextcloud');
    closers.push(
      () => peer.sim.close(),
      () => peer.front.close(),
    );
    const nc = await backend('nextcloud13');
    nc.addFile('alice', 'Docs/a.txt', 'hello');
    const peerHost = `peer.example:${peer.front.port}`;
    const { result } = await nc.shareWithRemote({
      owner: 'alice',
      path: 'Docs',
      shareWith: `bob@${peerHost}/nextcloud`,
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.via, 'ocs');
    assert.equal(result.url, `${peer.base}/ocs/v2.php/cloud/shares?format=json`);

    const received = peer.sim.receivedShares('bob');
    assert.equal(received.length, 1);
    assert.equal(received[0]?.remote, `${nc.url}/`);
    const calls = proxy.federationCalls.filter((c) => c.peerHost === peerHost);
    assert.deepEqual(
      calls.map((c) => [c.scheme, c.method, c.path]),
      [
        ['https', 'GET', '/nextcloud/ocs-provider/'],
        ['https', 'POST', '/nextcloud/ocs/v2.php/cloud/shares'],
      ],
    );
    assert.ok(nc.outgoing.every((a) => a.proxy === proxy.url && a.error === undefined));
    assert.deepEqual(peer.sim.errors, []);
    assert.deepEqual(nc.errors, []);
  });

  test('ownCloud 10: early-OCM discovery and POST <endPoint>/shares go the same way', async () => {
    const peer = await httpsPeer('nextcloud-ocm', '');
    closers.push(
      () => peer.sim.close(),
      () => peer.front.close(),
    );
    const oc = await backend('owncloud10');
    oc.addFile('alice', 'Report.txt', 'numbers');
    const peerHost = `peer.example:${peer.front.port}`;
    const { result } = await oc.shareWithRemote({
      owner: 'alice',
      path: 'Report.txt',
      shareWith: `bob@${peerHost}`,
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.via, 'ocm');
    assert.equal(peer.sim.receivedShares('bob').length, 1);
    const paths = proxy.federationCalls.filter((c) => c.peerHost === peerHost).map((c) => c.path);
    assert.ok(paths.includes('/ocm-provider/'), paths.join());
    assert.ok(
      paths.some((p) => /\/ocm\/shares$/.test(p)),
      paths.join(),
    );
    assert.ok(proxy.leaves !== undefined && proxy.leaves.minted >= 1);
  });
});
