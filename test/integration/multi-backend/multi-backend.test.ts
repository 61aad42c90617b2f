import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../config/load-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { startLegacyServer, type LegacyServer } from '../../sim/legacy/legacy-server.ts';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import { freePort } from '../../support/free-port.ts';

// Issue 8 item 1 through the real startGateway: two old servers of different kinds behind one
// gateway, told apart by the Host header (127.0.0.1:<port> and localhost:<port> both reach the
// one public listener), each with its own internal listener for its facade and forward proxy.

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request to the gateway's public listener with the Host header we choose. */
function send(
  port: number,
  host: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        headers: { ...init.headers, host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

async function quietGateway(env: Record<string, string>, yaml: string, logs: string[]) {
  const config = loadConfig({
    env: { ...env, GATEWAY_CONFIG: 'multi.yaml', GATEWAY_ALLOW_PRIVATE_PEERS: '1' },
    readFile: () => yaml,
  });
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  return startGateway(config, {
    logger: createLogger({ level: 'info', stream }),
    metrics: createMetrics({ collectDefaults: false }),
  });
}

describe('two legacy backends behind one gateway, by host name', () => {
  let dataDir: string;
  let nc: LegacyServer;
  let oc: LegacyServer;
  let peer: OcmPeer;
  let gateway: RunningGateway;
  let port: number;
  let hostNc: string;
  let hostOc: string;
  const logs: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gw-multi-'));
    const [publicPort, ncInternal, ocInternal, adminPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    port = publicPort;
    hostNc = `127.0.0.1:${port}`;
    hostOc = `localhost:${port}`;
    peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
    nc = await startLegacyServer({
      flavour: 'nextcloud13',
      basePath: '/nextcloud',
      publicUrl: `http://${hostNc}`,
      users: { bob: 'Bob' },
      schemes: ['http'],
      proxy: `http://127.0.0.1:${ncInternal}`,
    });
    oc = await startLegacyServer({
      flavour: 'owncloud9',
      publicUrl: `http://${hostOc}`,
      users: { carol: 'Carol' },
      schemes: ['http'],
      proxy: `http://127.0.0.1:${ocInternal}`,
    });
    gateway = await quietGateway(
      {
        GATEWAY_PORT: String(publicPort),
        GATEWAY_INTERNAL_PORT: String(ncInternal),
        GATEWAY_ADMIN_PORT: String(adminPort),
        GATEWAY_DATA_DIR: dataDir,
      },
      `
backends:
  - id: nc
    url: ${nc.url}
    publicUrl: http://${hostNc}
  - id: oc
    url: ${oc.url}
    publicUrl: http://${hostOc}
    dialect: ocs-v1
    internalPort: ${ocInternal}
`,
      logs,
    );
  });

  after(async () => {
    await gateway.stop();
    await Promise.all([nc.close(), oc.close(), peer.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('each backend has its own internal listener and its own ledger', async () => {
    assert.deepEqual(Object.keys(gateway.internalUrls).sort(), ['nc', 'oc']);
    assert.notEqual(gateway.internalUrls.nc, gateway.internalUrls.oc);
    const ready = (await (await fetch(`${gateway.adminUrl}/readyz`)).json()) as {
      checks: Record<string, { ok: boolean }>;
    };
    assert.equal(ready.checks['ledger:nc']?.ok, true);
    assert.equal(ready.checks['ledger:oc']?.ok, true);
  });

  test('discovery and keys are served per public host', async () => {
    const docNc = JSON.parse((await send(port, hostNc, '/.well-known/ocm')).text) as {
      endPoint: string;
    };
    const docOc = JSON.parse((await send(port, hostOc, '/.well-known/ocm')).text) as {
      endPoint: string;
    };
    assert.equal(docNc.endPoint, `http://${hostNc}/ocm`);
    assert.equal(docOc.endPoint, `http://${hostOc}/ocm`);
    for (const host of [hostNc, hostOc]) {
      const jwks = JSON.parse((await send(port, host, '/.well-known/jwks.json')).text) as {
        keys: { kid?: string; d?: string }[];
      };
      assert.ok(jwks.keys.length >= 1, host);
      for (const key of jwks.keys) assert.equal(key.d, undefined);
    }
    // Nothing was proxied to either backend for discovery.
    assert.equal(nc.received.filter((r) => r.path.includes('well-known')).length, 0);
    assert.equal(oc.received.filter((r) => r.path.includes('well-known')).length, 0);
  });

  test('a host no backend answers to gets 421 in the OCM error shape, never a backend', async () => {
    const before = nc.received.length + oc.received.length;
    const ocm = await send(port, 'elsewhere.example', '/ocm/shares', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(ocm.status, 421);
    assert.equal((JSON.parse(ocm.text) as { message: string }).message, 'MISDIRECTED');
    const page = await send(port, 'elsewhere.example', '/index.php/login');
    assert.equal(page.status, 421);
    const ocs = await send(port, 'elsewhere.example', '/ocs/v2.php/cloud/shares?format=json', {
      method: 'POST',
    });
    assert.equal(ocs.status, 421);
    assert.equal(nc.received.length + oc.received.length, before);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(
      metrics,
      /gateway_requests_refused_total\{guard="backend-router",reason="unknown-host"\} 3/,
    );
  });

  test('everything else passes through to the backend of the host', async () => {
    const ncStatus = await send(port, hostNc, '/status.php');
    const ocStatus = await send(port, hostOc, '/status.php');
    assert.equal(ncStatus.status, 200);
    assert.equal(ocStatus.status, 200);
    assert.notEqual(ncStatus.text, ocStatus.text, 'two different servers answered');
    assert.ok(nc.received.some((r) => r.localPath === '/status.php'));
    assert.ok(oc.received.some((r) => r.localPath === '/status.php'));
  });

  test("an OCM 1.3 peer's shares land on the right backend", async () => {
    peer.addFile('alice', 'ForBob.txt', 'for bob\n');
    peer.addFile('alice', 'ForCarol.txt', 'for carol\n');
    const toBob = await peer.shareWith({
      owner: 'alice',
      path: 'ForBob.txt',
      shareWith: `bob@${hostNc}`,
    });
    assert.equal(toBob.result.status, 201, JSON.stringify(toBob.result));
    const toCarol = await peer.shareWith({
      owner: 'alice',
      path: 'ForCarol.txt',
      shareWith: `carol@${hostOc}`,
    });
    assert.equal(toCarol.result.status, 201, JSON.stringify(toCarol.result));
    assert.deepEqual(
      nc.receivedShares('bob').map((s) => s.name),
      ['ForBob.txt'],
    );
    assert.deepEqual(
      oc.receivedShares('carol').map((s) => s.name),
      ['ForCarol.txt'],
    );
    // Each backend got its own facade as the remote: its own internal listener.
    const created = (server: LegacyServer) =>
      server.received.find((r) => r.localPath.endsWith('/cloud/shares') && r.method === 'POST');
    const ncRemote = (created(nc)?.body as Record<string, string>).remote ?? '';
    const ocRemote = (created(oc)?.body as Record<string, string>).remote ?? '';
    assert.ok(ncRemote.startsWith(`${gateway.internalUrls.nc}/peers/`), ncRemote);
    assert.ok(ocRemote.startsWith(`${gateway.internalUrls.oc}/peers/`), ocRemote);
  });

  test('a share to a user the host does not serve is refused, not sent to the other backend', async () => {
    peer.addFile('alice', 'Wrong.txt', 'x');
    const wrong = await peer.shareWith({
      owner: 'alice',
      path: 'Wrong.txt',
      shareWith: `carol@${hostNc}`,
    });
    assert.notEqual(wrong.result.status, 201);
    assert.equal(oc.receivedShares('carol').filter((s) => s.name === 'Wrong.txt').length, 0);
  });

  test("each backend's outgoing share leaves with that backend's identity", async () => {
    nc.addFile('bob', 'FromBob.txt', 'from bob\n');
    oc.addFile('carol', 'FromCarol.txt', 'from carol\n');
    const fromBob = await nc.shareWithRemote({
      owner: 'bob',
      path: 'FromBob.txt',
      shareWith: `alice@${peer.host}`,
    });
    assert.equal(fromBob.result.ok, true, JSON.stringify(fromBob.result));
    const fromCarol = await oc.shareWithRemote({
      owner: 'carol',
      path: 'FromCarol.txt',
      shareWith: `alice@${peer.host}`,
    });
    assert.equal(fromCarol.result.ok, true, JSON.stringify(fromCarol.result));
    const arrived = (name: string) =>
      peer.received.find(
        (r) => r.path.endsWith('/shares') && (r.body as { name?: string }).name === name,
      );
    const bobShare = arrived('FromBob.txt');
    const carolShare = arrived('FromCarol.txt');
    assert.ok(bobShare && carolShare);
    assert.equal((bobShare.body as { sender?: string }).sender, `bob@${hostNc}`);
    assert.equal((carolShare.body as { sender?: string }).sender, `carol@${hostOc}`);
    // Signed with the key id of each backend's public host.
    assert.ok(bobShare.headers['signature-input']?.includes(`keyid="${hostNc}#`));
    assert.ok(carolShare.headers['signature-input']?.includes(`keyid="${hostOc}#`));
    // And the peer reads each file through the right backend.
    const received = peer.receivedShares('alice');
    const read = async (name: string) => {
      const share = received.find((s) => s.name === name);
      assert.ok(share, name);
      return (await peer.readShare(share.id, { method: 'GET' })).text;
    };
    assert.equal(await read('FromBob.txt'), 'from bob\n');
    assert.equal(await read('FromCarol.txt'), 'from carol\n');
  });
});

describe('two backends on one public host, told apart by the recipient address', () => {
  let dataDir: string;
  let first: LegacyServer;
  let second: LegacyServer;
  let peer: OcmPeer;
  let gateway: RunningGateway;
  let port: number;
  const logs: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gw-multi-shared-'));
    const [publicPort, internalA, internalB, adminPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    port = publicPort;
    const publicUrl = `http://127.0.0.1:${port}`;
    peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
    first = await startLegacyServer({
      flavour: 'nextcloud13',
      publicUrl,
      users: { dave: 'Dave' },
      schemes: ['http'],
    });
    second = await startLegacyServer({
      flavour: 'nextcloud13',
      publicUrl,
      users: { erin: 'Erin' },
      schemes: ['http'],
      // Its calls to peers go through its own internal listener (the forward proxy).
      proxy: `http://127.0.0.1:${internalB}`,
    });
    gateway = await quietGateway(
      {
        GATEWAY_PORT: String(publicPort),
        GATEWAY_INTERNAL_PORT: String(internalA),
        GATEWAY_ADMIN_PORT: String(adminPort),
        GATEWAY_DATA_DIR: dataDir,
      },
      `
backends:
  - id: research
    url: ${first.url}
    publicUrl: ${publicUrl}
    dialect: ocs-v2
    userDomains: [research.test]
  - id: teaching
    url: ${second.url}
    publicUrl: ${publicUrl}
    dialect: ocs-v2
    userDomains: [teaching.test]
    internalPort: ${internalB}
`,
      logs,
    );
  });

  after(async () => {
    await gateway.stop();
    await Promise.all([first.close(), second.close(), peer.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const share = (shareWith: string, providerId: string) => ({
    shareWith,
    name: `${providerId}.txt`,
    providerId,
    owner: peer.address('alice'),
    sender: peer.address('alice'),
    ownerDisplayName: 'Alice',
    senderDisplayName: 'Alice',
    shareType: 'user',
    resourceType: 'file',
    protocol: {
      name: 'multi',
      webdav: {
        uri: `/webdav/${providerId}`,
        sharedSecret: `Secret-${providerId}-0001`,
        permissions: ['read'],
      },
    },
  });

  const post = (body: object) => {
    const url = `http://127.0.0.1:${port}/ocm/shares`;
    const text = JSON.stringify(body);
    return fetch(url, {
      method: 'POST',
      body: text,
      headers: signedHeaders(peer.ctx, url, text, 'application/json'),
    });
  };

  test("a share to a host both serve goes to the backend of the recipient's domain", async () => {
    const toErin = await post(share('erin@teaching.test', 'to-erin'));
    assert.equal(toErin.status, 201, await toErin.clone().text());
    const toDave = await post(share('dave@research.test', 'to-dave'));
    assert.equal(toDave.status, 201, await toDave.clone().text());
    assert.deepEqual(
      second.receivedShares('erin').map((s) => s.name),
      ['to-erin.txt'],
    );
    assert.deepEqual(
      first.receivedShares('dave').map((s) => s.name),
      ['to-dave.txt'],
    );
    assert.equal(first.receivedShares('erin').length, 0);
  });

  const notify = (providerId: string, type: string) => {
    const url = `http://127.0.0.1:${port}/ocm/notifications`;
    const text = JSON.stringify({
      notificationType: type,
      resourceType: 'file',
      providerId,
      notification: { message: 'unshared' },
    });
    return fetch(url, {
      method: 'POST',
      body: text,
      headers: signedHeaders(peer.ctx, url, text, 'application/json'),
    });
  };

  test('a notification to a host both serve goes to the backend whose ledger holds the share', async () => {
    const shared = await post(share('erin@teaching.test', 'erin-unshared'));
    assert.equal(shared.status, 201, await shared.clone().text());
    const kept = await post(share('dave@research.test', 'dave-kept'));
    assert.equal(kept.status, 201, await kept.clone().text());
    assert.ok(second.receivedShares('erin').some((s) => s.name === 'erin-unshared.txt'));
    // The second backend's share: the router must not hand it to the first backend.
    const unshared = await notify('erin-unshared', 'SHARE_UNSHARED');
    assert.equal(unshared.status, 201, await unshared.clone().text());
    assert.ok(!second.receivedShares('erin').some((s) => s.name === 'erin-unshared.txt'));
    assert.ok(first.receivedShares('dave').some((s) => s.name === 'dave-kept.txt'));
    // A share neither holds: the first backend's app answers, as before routing knew any better.
    const unknown = await notify('nobody-has-this', 'SHARE_UNSHARED');
    assert.ok([403, 404].includes(unknown.status), String(unknown.status));
  });

  test('an accept of a share the second backend sent reaches that backend, not the first', async () => {
    second.addFile('erin', 'FromErin.txt', 'from erin\n');
    const out = await second.shareWithRemote({
      owner: 'erin',
      path: 'FromErin.txt',
      shareWith: `alice@${peer.host}`,
    });
    assert.equal(out.result.ok, true, JSON.stringify(out.result));
    assert.ok(out.share);
    const token = out.share.token;
    const received = peer.receivedShares('alice').find((s) => s.name === 'FromErin.txt');
    assert.ok(received);
    const accepted = await peer.acceptShare(received.id);
    assert.equal(accepted.ok, true, JSON.stringify(accepted));
    const accepts = (server: LegacyServer) =>
      server.received.filter((r) => r.path.includes('/accept')).length;
    assert.equal(accepts(second), 1);
    assert.equal(accepts(first), 0);
    // And the peer reads the file from the backend that shared it, on the same host: its token
    // request and its WebDAV read both reach that backend.
    assert.equal((await peer.readShare(received.id, { method: 'GET' })).text, 'from erin\n');
    assert.deepEqual(
      peer.exchanges.filter((e) => e.receivedId === received.id).map((e) => [e.status, e.ok]),
      [[200, true]],
    );
    // The legacy way too: the share token as Basic user of the public WebDAV.
    const legacyRead = await fetch(`http://127.0.0.1:${port}/public.php/webdav/`, {
      method: 'PROPFIND',
      headers: {
        Authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}`,
        Depth: '0',
      },
    });
    assert.equal(legacyRead.status, 207, await legacyRead.clone().text());
  });

  test('a share over the body limit is refused while routing, before any backend', async () => {
    const huge = share('erin@teaching.test', 'huge');
    const body = { ...huge, name: 'x'.repeat(70 * 1024) };
    const reply = await post(body);
    assert.equal(reply.status, 413);
    assert.equal(second.receivedShares('erin').filter((s) => s.name.startsWith('xxx')).length, 0);
  });
});
