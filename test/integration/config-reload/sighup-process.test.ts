import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLegacyServer } from '../../sim/legacy/legacy-server.ts';
import { startOcmPeer } from '../../sim/index.ts';
import { startGatewayProcess } from '../../support/gateway-process.ts';
import { freePort } from '../../support/free-port.ts';
import { startDelayDoor } from '../../fault/delay-door.ts';

// A real SIGHUP to gateway/main.ts: the file is read again, the deny list changes, a slow
// pass-through request that was in flight completes, and the process keeps serving.

test('SIGHUP reloads the deny list without dropping a request in flight', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-sighup-'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, 'policy:\n  denyHosts: []\n');
  const publicPort = await freePort();
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
  const backend = await startLegacyServer({
    flavour: 'nextcloud13',
    publicUrl,
    users: { bob: 'Bob' },
    schemes: ['http'],
  });
  let delayMs = 0;
  const door = await startDelayDoor(
    () => Number(new URL(backend.url).port),
    () => delayMs,
  );
  const gateway = await startGatewayProcess({
    GATEWAY_PORT: String(publicPort),
    GATEWAY_PUBLIC_URL: publicUrl,
    GATEWAY_BACKEND_URL: `http://127.0.0.1:${door.port}${new URL(backend.url).pathname}`,
    GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    GATEWAY_CONFIG: file,
  });
  const share = async (name: string) => {
    peer.addFile('alice', name, `${name}\n`);
    return (
      await peer.shareWith({ owner: 'alice', path: name, shareWith: `bob@127.0.0.1:${publicPort}` })
    ).result;
  };
  try {
    await gateway.waitForLog((l) => l.message === 'gateway started', 30_000);
    assert.equal((await share('Before.txt')).status, 201);

    delayMs = 800;
    const slow = fetch(`${publicUrl}/status.php`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(file, `policy:\n  denyHosts: ['${peer.host}']\n`);
    gateway.child.kill('SIGHUP');
    const reloaded = await gateway.waitForLog((l) => l.message === 'configuration reloaded');
    assert.deepEqual(reloaded.applied, ['policy.denyHosts']);
    const reply = await slow;
    assert.equal(reply.status, 200);
    assert.equal(((await reply.json()) as { installed?: boolean }).installed, true);
    delayMs = 0;

    assert.equal((await share('After.txt')).status, 403);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /gateway_config_reloads_total\{result="applied"\} 1/);

    // A broken file on the next SIGHUP: one error line, the process keeps running.
    writeFileSync(file, 'policy:\n  signatures: sometimes\n');
    gateway.child.kill('SIGHUP');
    const failed = await gateway.waitForLog(
      (l) => l.message === 'configuration reload failed: the running configuration is kept',
    );
    assert.equal((failed.problems as string[]).length, 1);
    assert.equal(gateway.child.exitCode, null);
    assert.equal((await share('StillDenied.txt')).status, 403);
  } finally {
    assert.equal(await gateway.stop(), 0);
    await Promise.all([backend.close(), peer.close(), door.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with reload.watch, editing the file reloads it without a signal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-watch-'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, 'reload: { watch: true, watchIntervalMs: 100 }\n');
  const gateway = await startGatewayProcess({
    GATEWAY_PUBLIC_URL: 'http://127.0.0.1:1',
    GATEWAY_BACKEND_URL: 'http://127.0.0.1:1',
    GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    GATEWAY_CONFIG: file,
  });
  try {
    await gateway.waitForLog(
      (l) => l.message === 'watching the config file: a change reloads it',
      30_000,
    );
    // The watcher's first look at the file may come after our write on a loaded machine: write
    // again (a new mtime each time) until a reload is logged.
    const changed =
      'reload: { watch: true, watchIntervalMs: 100 }\npolicy: { denyHosts: [spam.example] }\n';
    let writes = 0;
    const writer = setInterval(() => {
      writes += 1;
      if (writes <= 40) writeFileSync(file, changed);
    }, 250);
    writeFileSync(file, changed);
    const reloaded = await gateway
      .waitForLog((l) => l.message === 'configuration reloaded', 15_000)
      .finally(() => {
        clearInterval(writer);
      });
    assert.deepEqual(reloaded.applied, ['policy.denyHosts']);
  } finally {
    assert.equal(await gateway.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
