/** Legacy ↔ legacy federation between two (or three) simulators on loopback: share, accept,
 * read over public WebDAV, unshare, flat re-share, health check, forward proxy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripScheme } from '../common/cloud-id.ts';
import { startTinyForwardProxy } from '../common/tiny-forward-proxy.ts';
import { startLegacyServer, type LegacyServer, type LegacyServerOptions } from './legacy-server.ts';

async function servers(
  ...opts: LegacyServerOptions[]
): Promise<{ all: LegacyServer[]; close: () => Promise<void> }> {
  const all = await Promise.all(opts.map((o) => startLegacyServer(o)));
  return {
    all,
    close: async () => {
      for (const s of all) assert.deepEqual(s.errors, []);
      await Promise.all(all.map((s) => s.close()));
    },
  };
}

function bodies(s: LegacyServer, pathEnd: string): unknown[] {
  return s.received.filter((r) => r.path.endsWith(pathEnd)).map((r) => r.body);
}

test('owncloud9 → nextcloud13: https attempt fails, http works; accept, read over WebDAV, unshare', async () => {
  const { all, close } = await servers(
    { flavour: 'owncloud9', users: { alice: 'Alice' } },
    { flavour: 'nextcloud13', basePath: '/nextcloud', users: { bob: 'Bob' } },
  );
  const [oc, nc] = all as [LegacyServer, LegacyServer];
  try {
    oc.addFile('alice', 'Project Docs/readme.txt', 'hello federation');
    const { share, result } = await oc.shareWithRemote({
      owner: 'alice',
      path: 'Project Docs',
      shareWith: `bob@${stripScheme(nc.url)}`,
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.url, `${nc.url}/ocs/v2.php/cloud/shares?format=json`);
    const firstShareTry = oc.outgoing.find((a) => a.url.includes('/ocs-provider/'));
    assert.ok(
      firstShareTry?.url.startsWith('https://') === true && firstShareTry.error !== undefined,
    );
    assert.deepEqual(Object.keys(bodies(nc, '/cloud/shares')[0] as object).sort(), [
      'name',
      'owner',
      'remote',
      'remoteId',
      'shareWith',
      'token',
    ]);

    const r = nc.receivedShares('bob')[0]!;
    assert.deepEqual([r.accepted, r.remote, r.remoteId], [false, `${oc.url}/`, String(share!.id)]);
    assert.equal((await nc.acceptShare(r.id)).ok, true);
    assert.equal(oc.state.shares.get(share!.id)?.accepted, true);

    const listing = await nc.readShare(r.id, { method: 'PROPFIND', headers: { depth: '1' } });
    assert.equal(listing.status, 207);
    assert.ok(listing.text.includes('/public.php/webdav/readme.txt'));
    const part = await nc.readShare(r.id, { path: 'readme.txt', headers: { range: 'bytes=0-4' } });
    assert.deepEqual([part.status, part.text], [206, 'hello']);
    const beyond = await nc.readShare(r.id, {
      path: 'readme.txt',
      headers: { range: 'bytes=100-' },
    });
    assert.deepEqual([beyond.status, beyond.headers['content-range']], [416, 'bytes */16']);
    const put = await nc.readShare(r.id, { method: 'PUT', path: 'reply.txt', body: 'thanks' });
    assert.equal(put.status, 201, 'a folder shared with all permissions is writable');
    assert.equal(
      oc.state.files('alice').get('Project Docs/reply.txt')?.content.toString(),
      'thanks',
    );

    assert.equal((await oc.unshare(share!.id)).ok, true);
    assert.equal(nc.receivedShares().length, 0);
    assert.deepEqual(bodies(nc, '/unshare').at(-1), { token: share!.token, format: 'json' });
  } finally {
    await close();
  }
});

test('a receiver silently deletes a share whose token the owner no longer knows (status.php valid, shareinfo 404)', async () => {
  const { all, close } = await servers(
    { flavour: 'nextcloud13', users: { alice: 'Alice' }, schemes: ['http'] },
    { flavour: 'owncloud9', users: { bob: 'Bob' }, schemes: ['http'] },
  );
  const [owner, recipient] = all as [LegacyServer, LegacyServer];
  try {
    owner.addFile('alice', 'doc.txt', 'x');
    const { share } = await owner.shareWithRemote({
      owner: 'alice',
      path: 'doc.txt',
      shareWith: `bob@${stripScheme(recipient.url)}`,
      permissions: 1,
    });
    const r = recipient.receivedShares('bob')[0]!;
    const put = await recipient.readShare(r.id, { method: 'PUT', body: 'overwrite' });
    assert.equal(put.status, 403, 'a read-only share refuses PUT');
    assert.equal(await recipient.checkStorage(r.id), 'available');
    owner.state.shares.delete(share!.id); // gone without an unshare call
    assert.equal((await recipient.readShare(r.id)).status, 401);
    assert.equal(await recipient.checkStorage(r.id), 'deleted');
    assert.equal(recipient.receivedShares().length, 0);
  } finally {
    await close();
  }
});

test('owncloud10 → nextcloud-ocm 20 over early OCM: share, accept, read, unshare', async () => {
  const { all, close } = await servers(
    { flavour: 'owncloud10', users: { alice: 'Alice' }, schemes: ['http'] },
    {
      flavour: 'nextcloud-ocm',
      nextcloudVersion: 20,
      basePath: '/nextcloud',
      users: { bob: 'Bob' },
      schemes: ['http'],
    },
  );
  const [oc, nc] = all as [LegacyServer, LegacyServer];
  try {
    oc.addFile('alice', 'report.txt', 'quarterly numbers');
    const { share, result } = await oc.shareWithRemote({
      owner: 'alice',
      path: 'report.txt',
      shareWith: `bob@${stripScheme(nc.url)}`,
    });
    assert.deepEqual([result.ok, result.via, result.status], [true, 'ocm', 201]);
    assert.equal(result.url, `${nc.url}/index.php/ocm/shares`);
    const sent = bodies(nc, '/index.php/ocm/shares')[0] as Record<string, unknown>;
    assert.equal(sent.sender, `alice@${stripScheme(oc.url)}`);
    assert.equal('sharedBy' in sent, false);

    const r = nc.receivedShares('bob')[0]!;
    assert.equal(r.remote, `${stripScheme(oc.url)}/`);
    assert.equal((await nc.acceptShare(r.id)).via, 'ocm');
    assert.equal(oc.state.shares.get(share!.id)?.accepted, true);
    assert.equal((await nc.readShare(r.id)).text, 'quarterly numbers');

    assert.equal((await oc.unshare(share!.id)).via, 'ocm');
    assert.equal(nc.receivedShares().length, 0);
    const unshared = bodies(nc, '/index.php/ocm/notifications').at(-1) as {
      notification: Record<string, unknown>;
    };
    assert.equal(unshared.notification.message, 'File was unshared');
  } finally {
    await close();
  }
});

test('nextcloud-ocm 27 → owncloud10: scheme inside shareWith, decline, then unshare with the `messgage` typo', async () => {
  const { all, close } = await servers(
    {
      flavour: 'nextcloud-ocm',
      nextcloudVersion: 27,
      basePath: '/nextcloud',
      users: { alice: 'Alice' },
    },
    { flavour: 'owncloud10', users: { bob: 'Bob' }, schemes: ['http'] },
  );
  const [nc, oc] = all as [LegacyServer, LegacyServer];
  try {
    nc.addFile('alice', 'a.txt', 'a');
    nc.addFile('alice', 'b.txt', 'b');
    const first = await nc.shareWithRemote({
      owner: 'alice',
      path: 'a.txt',
      shareWith: `bob@${oc.url}`,
    });
    assert.deepEqual([first.result.via, first.result.status], ['ocm', 201]);
    const sent = bodies(oc, '/federatedfilesharing/shares')[0] as Record<string, unknown>;
    assert.equal(sent.shareWith, `bob@${oc.url}`);
    assert.equal(sent.sharedBy, `alice@${nc.url}`);
    assert.equal((await oc.declineShare(oc.receivedShares('bob')[0]!.id)).via, 'ocm');
    assert.equal(nc.outgoingShares().length, 0);

    const second = await nc.shareWithRemote({
      owner: 'alice',
      path: 'b.txt',
      shareWith: `bob@${oc.url}`,
    });
    assert.equal((await nc.unshare(second.share!.id)).via, 'ocm');
    const n = bodies(oc, '/federatedfilesharing/notifications').at(-1) as {
      notification: Record<string, unknown>;
    };
    assert.equal(n.notification.messgage, 'file is no longer shared with you');
    assert.equal(oc.receivedShares().length, 0);
  } finally {
    await close();
  }
});

test('owncloud10 → nextcloud13: no /ocm-provider/, legacy fallback with the bare-uid sharedByFederatedId bug', async () => {
  const { all, close } = await servers(
    { flavour: 'owncloud10', users: { alice: 'Alice' }, schemes: ['http'] },
    { flavour: 'nextcloud13', users: { bob: 'Bob' } },
  );
  const [oc, nc] = all as [LegacyServer, LegacyServer];
  try {
    oc.addFile('alice', 'x.txt', 'x');
    const { result } = await oc.shareWithRemote({
      owner: 'alice',
      path: 'x.txt',
      shareWith: `bob@${stripScheme(nc.url)}`,
    });
    assert.deepEqual([result.ok, result.via], [true, 'ocs']);
    assert.ok(nc.received.some((r) => r.path === '/ocm-provider/' && r.method === 'GET'));
    const form = bodies(nc, '/cloud/shares')[0] as Record<string, string>;
    assert.equal(form.sharedByFederatedId, 'alice');
    assert.equal(form.ownerFederatedId, `alice@${stripScheme(oc.url)}`);
  } finally {
    await close();
  }
});

test('flat re-share: nextcloud13 owner, nextcloud-ocm re-sharer, owncloud9 third party; reshare_undo 404s', async () => {
  const { all, close } = await servers(
    { flavour: 'nextcloud13', users: { alice: 'Alice' }, schemes: ['http'] },
    { flavour: 'nextcloud-ocm', nextcloudVersion: 20, users: { bob: 'Bob' }, schemes: ['http'] },
    { flavour: 'owncloud9', users: { carol: 'Carol' }, schemes: ['http'] },
  );
  const [owner, resharer, third] = all as [LegacyServer, LegacyServer, LegacyServer];
  try {
    owner.addFile('alice', 'plan.txt', 'p');
    await owner.shareWithRemote({
      owner: 'alice',
      path: 'plan.txt',
      shareWith: `bob@${stripScheme(resharer.url)}`,
    });
    const r = resharer.receivedShares('bob')[0]!;
    assert.equal(r.remote, `${owner.url}/`); // from alice@http://… (Nextcloud keeps http://)
    assert.equal((await resharer.acceptShare(r.id)).via, 'ocs');
    const req = await resharer.requestReshare(r.id, `carol@${stripScheme(third.url)}`);
    assert.deepEqual([req.result.ok, req.result.via], [true, 'ocs']);
    assert.ok(req.token !== undefined && req.remoteId !== undefined);
    await owner.settle();
    const carol = third.receivedShares('carol')[0]!;
    assert.equal(carol.token, req.token);
    assert.equal(carol.remoteId, req.remoteId);

    const undo = await resharer.undoReshare(req);
    assert.deepEqual([undo.ok, undo.status], [false, 404]);
    assert.ok(undo.url?.endsWith(`/cloud/shares/${req.remoteId}/reshare_undo?format=json`));
    assert.ok(owner.state.shares.has(Number(req.remoteId)));
  } finally {
    await close();
  }
});

test('the `proxy` setting routes every outgoing call: CONNECT for https, absolute-form for http', async () => {
  const proxy = await startTinyForwardProxy();
  const { all, close } = await servers(
    { flavour: 'owncloud9', users: { alice: 'Alice' }, proxy: proxy.url },
    { flavour: 'nextcloud13', users: { bob: 'Bob' } },
  );
  const [oc, nc] = all as [LegacyServer, LegacyServer];
  try {
    oc.addFile('alice', 'p.txt', 'p');
    const { result } = await oc.shareWithRemote({
      owner: 'alice',
      path: 'p.txt',
      shareWith: `bob@${stripScheme(nc.url)}`,
    });
    assert.equal(result.ok, true);
    const host = stripScheme(nc.url);
    assert.deepEqual(proxy.log[0], { method: 'CONNECT', target: host });
    assert.ok(
      proxy.log.some(
        (e) => e.method === 'POST' && e.target === `${nc.url}/ocs/v2.php/cloud/shares?format=json`,
      ),
    );
    assert.ok(oc.outgoing.every((a) => a.proxy === proxy.url));
  } finally {
    await close();
    await proxy.close();
  }
});
