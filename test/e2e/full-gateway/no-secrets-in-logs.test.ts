/**
 * Runs the demo flows (old Nextcloud → OCM 1.3 peer and back, file reads, accept) through the
 * whole gateway at debug level and checks that no shared secret, token or private key that took
 * part ever shows up in a log line (issue 6, hardening: secrets redacted from logs).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

let dataDir: string;
let backend: LegacyServer;
let peer: OcmPeer;
let gateway: RunningGateway;
let publicUrl: string;
const logs: string[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-nosecrets-'));
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

/** Every string held directly by a field that names a secret (secret, token, code), at any depth. */
function secretValues(
  value: unknown,
  found: Set<string>,
  underSecretKey = false,
  seen = new Set<object>(),
): Set<string> {
  if (typeof value === 'object' && value !== null) {
    // The simulators' state has back-references (file trees); visit each object once.
    if (seen.has(value)) return found;
    seen.add(value);
  }
  if (typeof value === 'string') {
    if (underSecretKey && value.length >= 8) found.add(value);
  } else if (value instanceof Map) {
    for (const v of value.values()) secretValues(v, found, underSecretKey, seen);
  } else if (Array.isArray(value)) {
    for (const v of value) secretValues(v, found, underSecretKey, seen);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      // Only the field's own string (or list of strings): a token record's other fields
      // (provider id, host) are not secrets.
      const named = /secret|token|^code$|password/i.test(k);
      secretValues(v, found, named && (typeof v === 'string' || Array.isArray(v)), seen);
    }
  }
  return found;
}

/** The base64 body lines of every private-key PEM the gateway keeps in its data dir. */
function privateKeyFragments(dir: string): string[] {
  const fragments: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    const text = readFileSync(path, 'utf8');
    if (!text.includes('PRIVATE KEY-----')) return;
    const body = text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    fragments.push(body);
    // Any 40-character slice is enough to identify a leaked key even if re-wrapped.
    for (let i = 0; i + 40 <= body.length; i += 40) fragments.push(body.slice(i, i + 40));
  };
  walk(join(dir, 'keys'));
  return fragments;
}

test('demo flows through the gateway leave no secret, token or private key in the logs', async () => {
  backend.addFile('bob', 'Minutes.txt', 'minutes of the federation meeting\n');
  const out = await backend.shareWithRemote({
    owner: 'bob',
    path: 'Minutes.txt',
    shareWith: `alice@${peer.host}`,
  });
  assert.equal(out.result.ok, true, JSON.stringify(out.result));
  const toPeer = peer.receivedShares('alice');
  assert.equal(toPeer.length, 1);
  assert.equal((await peer.readShare(toPeer[0]!.id, { method: 'GET' })).status, 200);

  peer.addFile('alice', 'Report.txt', 'report from a modern server\n');
  const sent = await peer.shareWith({
    owner: 'alice',
    path: 'Report.txt',
    shareWith: `bob@${new URL(publicUrl).host}`,
  });
  assert.equal(sent.result.ok, true, JSON.stringify(sent.result));
  const toBob = backend.receivedShares('bob').find((r) => r.name === 'Report.txt');
  assert.ok(toBob);
  assert.equal((await backend.acceptShare(toBob.id)).ok, true);
  assert.equal((await backend.readShare(toBob.id, { method: 'GET' })).status, 200);

  const secrets = new Set<string>();
  secretValues(peer.state, secrets);
  secretValues(backend.state, secrets);
  const keys = privateKeyFragments(dataDir);
  // The test must be able to fail: the flows really used secrets and keys, and logs were written.
  assert.ok(secrets.size >= 2, `too few secrets collected: ${String(secrets.size)}`);
  assert.ok(keys.length >= 1, 'no private key PEM found under <dataDir>/keys');
  assert.ok(logs.length > 5, 'the logger captured nothing');

  const text = logs.join('');
  for (const secret of secrets) {
    assert.ok(
      !text.includes(secret),
      `a secret or token (${secret.slice(0, 3)}…) leaked into a log`,
    );
  }
  for (const fragment of keys) {
    assert.ok(!text.includes(fragment), 'private key material leaked into a log');
  }
});
