import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { startDelayDoor, type DelayDoor } from '../../fault/delay-door.ts';

// Issue 8 item 2 through the real startGateway: the config file is read again and what is read
// per request (peer policy, body limits) changes at once, while a slow request keeps going.

describe('configuration reload', () => {
  let dir: string;
  let file: string;
  let backend: LegacyServer;
  let door: DelayDoor;
  let delayMs = 0;
  let peer: OcmPeer;
  let gateway: RunningGateway;
  let env: Record<string, string>;
  let publicUrl: string;
  const logs: Record<string, unknown>[] = [];
  const reload = () => gateway.reload(() => loadConfig({ env }));
  const logged = (message: string) => logs.filter((l) => l.message === message);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-reload-'));
    file = join(dir, 'gateway.yaml');
    writeFileSync(file, 'policy:\n  denyHosts: []\n');
    const [publicPort, internalPort, adminPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    publicUrl = `http://127.0.0.1:${publicPort}`;
    peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
    backend = await startLegacyServer({
      flavour: 'nextcloud13',
      publicUrl,
      users: { bob: 'Bob' },
      schemes: ['http'],
    });
    const backendPort = Number(new URL(backend.url).port);
    door = await startDelayDoor(
      () => backendPort,
      () => delayMs,
    );
    env = {
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_BACKEND_URL: `http://127.0.0.1:${door.port}${new URL(backend.url).pathname}`,
      GATEWAY_BACKEND_DIALECT: 'ocs-v2',
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: join(dir, 'data'),
      GATEWAY_ALLOW_PRIVATE_PEERS: '1',
      GATEWAY_CONFIG: file,
    };
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    gateway = await startGateway(loadConfig({ env }), {
      logger: createLogger({ level: 'info', stream }),
      metrics: createMetrics({ collectDefaults: false }),
    });
  });

  after(async () => {
    await gateway.stop();
    await Promise.all([backend.close(), peer.close(), door.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const shareToBob = async (name: string) => {
    peer.addFile('alice', name, `${name}\n`);
    return (
      await peer.shareWith({
        owner: 'alice',
        path: name,
        shareWith: `bob@${new URL(publicUrl).host}`,
      })
    ).result;
  };

  test('a reload with nothing changed applies nothing', () => {
    const report = reload();
    assert.equal(report.result, 'unchanged');
    assert.deepEqual(report.applied, []);
  });

  test('the deny list changes while a slow share is in flight: that share completes, the next is refused', async () => {
    delayMs = 700;
    const slowShare = shareToBob('Slow.txt');
    const slowPage = fetch(`${publicUrl}/status.php`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    writeFileSync(file, `policy:\n  denyHosts: ['${peer.host}']\n`);
    const report = reload();
    assert.equal(report.result, 'applied');
    assert.deepEqual(report.applied, ['policy.denyHosts']);
    const page = await slowPage;
    assert.equal(page.status, 200);
    assert.equal(((await page.json()) as { installed?: boolean }).installed, true);
    const slow = await slowShare;
    assert.equal(slow.status, 201, JSON.stringify(slow));
    delayMs = 0;

    const refused = await shareToBob('Refused.txt');
    assert.equal(refused.status, 403, JSON.stringify(refused));
    assert.deepEqual(
      backend.receivedShares('bob').map((s) => s.name),
      ['Slow.txt'],
    );
    assert.equal(gateway.config().policy.denyHosts[0], peer.host);
    const line = logged('configuration reloaded')[0];
    assert.deepEqual(line?.applied, ['policy.denyHosts']);
  });

  test('a bad file keeps the running config and logs one error listing every problem', async () => {
    writeFileSync(
      file,
      "policy:\n  denyHosts: ['Not A Host']\n  signatures: sometimes\nlimits: { sharesBodyBytes: -1 }\n",
    );
    const report = reload();
    assert.equal(report.result, 'failed');
    assert.equal(report.problems.length, 3, report.problems.join('\n'));
    const errors = logged('configuration reload failed: the running configuration is kept');
    assert.equal(errors.length, 1);
    assert.equal((errors[0]?.problems as string[]).length, 3);
    // Still the deny list of the last good file.
    assert.equal((await shareToBob('StillRefused.txt')).status, 403);
    // A file that is not YAML at all is refused the same way.
    writeFileSync(file, 'policy: [unclosed\n');
    assert.equal(reload().result, 'failed');
  });

  test('settings that need a restart are named and not applied; live ones are', async () => {
    writeFileSync(
      file,
      'timeouts: { backendConnectMs: 1234 }\nforwardProxy: { tunnelPolicy: deny }\nlimits: { sharesBodyBytes: 2048 }\n',
    );
    const report = reload();
    assert.equal(report.result, 'applied');
    assert.deepEqual(report.applied, ['limits.sharesBodyBytes', 'policy.denyHosts']);
    assert.deepEqual(report.needsRestart, [
      'forwardProxy.tunnelPolicy',
      'timeouts.backendConnectMs',
    ]);
    const warning = logged('configuration reload: changed, needs restart (not applied)').at(-1);
    assert.deepEqual(warning?.settings, ['forwardProxy.tunnelPolicy', 'timeouts.backendConnectMs']);
    assert.equal(gateway.config().timeouts.backendConnectMs, 5_000);
    // The share body limit is read per request: a 4 KiB share is now too large.
    const url = `${publicUrl}/ocm/shares`;
    const body = JSON.stringify({ shareWith: 'bob', name: 'x'.repeat(4096) });
    const reply = await fetch(url, {
      method: 'POST',
      body,
      headers: signedHeaders(peer.ctx, url, body, 'application/json'),
    });
    assert.equal(reply.status, 413);
    // Un-denied: the peer may share again.
    assert.equal((await shareToBob('Allowed.txt')).status, 201);
  });

  test('gateway_config_reloads_total counts each result', async () => {
    const text = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(text, /gateway_config_reloads_total\{result="unchanged"\} 1/);
    assert.match(text, /gateway_config_reloads_total\{result="applied"\} 2/);
    assert.match(text, /gateway_config_reloads_total\{result="failed"\} 2/);
  });
});
