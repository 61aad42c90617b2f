import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../config/load-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { startLegacyServer, type LegacyServer } from '../../sim/legacy/legacy-server.ts';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { freePort } from '../../support/free-port.ts';

// The whole gateway as main.ts builds it (startGateway), no hand-wired routers: an old Nextcloud 13
// behind it, whose `proxy` setting points at the internal listener, and a modern OCM 1.3 peer.
let dataDir: string;
let backend: LegacyServer;
let peer: OcmPeer;
let gateway: RunningGateway;
let publicUrl: string;
const logs: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-e2e-'));
  const [publicPort, internalPort, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  publicUrl = `http://127.0.0.1:${publicPort}`;
  peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
  backend = await startLegacyServer({
    flavour: 'nextcloud13',
    basePath: '/nextcloud',
    publicUrl,
    users: { bob: 'Bob' },
    proxy: `http://127.0.0.1:${internalPort}`,
  });
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_BACKEND_URL: backend.url,
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    },
  });
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  gateway = await startGateway(config, {
    logger: createLogger({ level: 'debug', stream }),
    metrics: createMetrics({ collectDefaults: false }),
  });
});

after(async () => {
  await gateway.stop();
  await Promise.all([backend.close(), peer.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('the gateway serves discovery for the backend that a 1.3 peer accepts, with keys', async () => {
  const backendCallsBefore = backend.received.length;
  const doc = (await (await fetch(`${publicUrl}/.well-known/ocm`)).json()) as Record<
    string,
    unknown
  >;
  assert.equal(doc.enabled, true);
  assert.equal(doc.endPoint, `${publicUrl}/ocm`);
  const jwks = (await (await fetch(`${publicUrl}/.well-known/jwks.json`)).json()) as {
    keys: Record<string, unknown>[];
  };
  assert.ok(jwks.keys.length >= 1);
  for (const key of jwks.keys) assert.equal(key.d, undefined);
  const legacy = (await (await fetch(`${publicUrl}/ocm-provider/`)).json()) as Record<
    string,
    unknown
  >;
  assert.equal(legacy.apiVersion, '1.0-proposal1');
  assert.equal(backend.received.length, backendCallsBefore, 'discovery is served, not proxied');
});

test('a share from the old backend reaches the 1.3 peer as signed OCM, and the peer reads the file', async () => {
  backend.addFile('bob', 'Minutes.txt', 'minutes of the federation meeting\n');
  const { result } = await backend.shareWithRemote({
    owner: 'bob',
    path: 'Minutes.txt',
    shareWith: `alice@${peer.host}`,
  });
  assert.equal(result.ok, true, JSON.stringify(result));
  const received = peer.receivedShares('alice');
  assert.equal(received.length, 1);
  const arrived = peer.received.find((r) => r.path.endsWith('/shares'));
  assert.ok(arrived?.headers['signature-input']?.includes('ocm='), 'signed with RFC 9421');
  // Nothing internal leaks: the backend's and the internal listener's addresses never reach the peer.
  const seenByPeer = JSON.stringify(peer.received.map((r) => [r.headers, r.body]));
  assert.ok(!seenByPeer.includes(new URL(backend.url).host), 'backend address leaked');
  assert.ok(!seenByPeer.includes(new URL(gateway.internalUrl).host), 'internal address leaked');

  const file = await peer.readShare(received[0]!.id, { method: 'GET' });
  assert.equal(file.status, 200);
  assert.equal(file.text, 'minutes of the federation meeting\n');
});

test('the /metrics of the admin listener counts the facade call', async () => {
  const text = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
  assert.match(text, /gateway_facade_peer_calls_total\{[^}]*\} [1-9]/);
});

test('a signed share from the 1.3 peer reaches the old backend, which accepts it and reads the file through the facade', async () => {
  peer.addFile('alice', 'Report.txt', 'report from a modern server\n');
  const gatewayHost = new URL(publicUrl).host;
  const sent = await peer.shareWith({
    owner: 'alice',
    path: 'Report.txt',
    shareWith: `bob@${gatewayHost}`,
  });
  assert.equal(sent.result.ok, true, JSON.stringify(sent.result));
  assert.equal(sent.result.status, 201);
  const created = backend.received.find(
    (r) =>
      r.localPath.endsWith('/cloud/shares') && (r.body as { name?: string }).name === 'Report.txt',
  );
  assert.ok(created, 'the backend got a legacy createShare');
  const form = created.body as Record<string, string>;
  assert.match(form.remote ?? '', /\/peers\/127\.0\.0\.1:\d+\/$/);
  assert.match(form.remoteId ?? '', /^\d+$/);

  const received = backend.receivedShares('bob').find((r) => r.name === 'Report.txt');
  assert.ok(received);
  assert.equal((await backend.acceptShare(received.id)).ok, true);
  const accepted = peer.received.find(
    (r) =>
      r.path.endsWith('/notifications') &&
      (r.body as { notificationType?: string }).notificationType === 'SHARE_ACCEPTED',
  );
  assert.ok(accepted, 'the peer was told the share was accepted');
  const file = await backend.readShare(received.id, { method: 'GET' });
  assert.equal(file.status, 200);
  assert.equal(file.text, 'report from a modern server\n');
});
