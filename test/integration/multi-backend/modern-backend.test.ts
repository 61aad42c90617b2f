import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config/load-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { startLegacyServer, type LegacyServer } from '../../sim/legacy/legacy-server.ts';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { freePort } from '../../support/free-port.ts';
import { PassThrough } from 'node:stream';

// A modern OCM server behind the same edge as an old one (issue 8 item 1): its federation calls
// pass through untouched, behind the peer policy only; the old one is translated as usual.

let dataDir: string;
let legacy: LegacyServer;
let modern: OcmPeer;
let gateway: RunningGateway;
let port: number;
let modernHost: string;
let env: Record<string, string>;

const yaml = (policy: string) => `
policy:
  ${policy}
backends:
  - id: old
    url: ${legacy.url}
    publicUrl: http://127.0.0.1:${port}
  - id: new
    url: ${modern.url}
    publicUrl: http://${modernHost}
    dialect: ocm
`;

function send(path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-modern-'));
  const [publicPort, internalPort, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  port = publicPort;
  modernHost = `localhost:${port}`;
  legacy = await startLegacyServer({
    flavour: 'nextcloud13',
    publicUrl: `http://127.0.0.1:${port}`,
    users: { bob: 'Bob' },
    schemes: ['http'],
  });
  modern = await startOcmPeer({
    version: '1.3',
    users: { dora: 'Dora' },
    schemes: ['http'],
    publicUrl: `http://${modernHost}`,
  });
  env = {
    GATEWAY_PORT: String(publicPort),
    GATEWAY_INTERNAL_PORT: String(internalPort),
    GATEWAY_ADMIN_PORT: String(adminPort),
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    GATEWAY_CONFIG: 'modern.yaml',
  };
  const config = loadConfig({ env, readFile: () => yaml('denyHosts: [evil.example]') });
  const stream = new PassThrough();
  stream.resume();
  gateway = await startGateway(config, {
    logger: createLogger({ level: 'info', stream }),
    metrics: createMetrics({ collectDefaults: false }),
  });
});

after(async () => {
  await (gateway as RunningGateway | undefined)?.stop();
  await Promise.all([legacy.close(), modern.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('a modern backend has no internal listener: it federates by itself', () => {
  assert.deepEqual(Object.keys(gateway.internalUrls), ['old']);
});

test("the modern backend's own discovery passes through; the old one's is served by the gateway", async () => {
  const own = JSON.parse((await send('/.well-known/ocm', { host: modernHost })).text) as {
    endPoint?: string;
    provider?: string;
  };
  assert.equal(own.endPoint, `http://${modernHost}/ocm`);
  assert.ok(
    modern.received.some((r) => r.path === '/.well-known/ocm'),
    'reached the modern server',
  );
  const served = JSON.parse(
    (await send('/.well-known/ocm', { host: `127.0.0.1:${port}` })).text,
  ) as { provider?: string; endPoint?: string };
  assert.equal(served.provider, 'OCM federation gateway');
  assert.equal(served.endPoint, `http://127.0.0.1:${port}/ocm`);
});

test('its OCM endpoint is policed: a denied signer is refused before the modern server', async () => {
  const before = modern.received.length;
  const body = JSON.stringify({ shareWith: `dora@${modernHost}` });
  const refused = await send(
    '/ocm/shares',
    {
      host: modernHost,
      'content-type': 'application/json',
      'signature-input': 'ocm=("@method");keyid="https://evil.example#key1"',
      signature: 'ocm=:AAAA:',
    },
    'POST',
    body,
  );
  assert.equal(refused.status, 403);
  assert.equal(modern.received.length, before);
  // Anyone else is passed through untouched: the modern server answers for itself.
  const passed = await send(
    '/ocm/shares',
    { host: modernHost, 'content-type': 'application/json' },
    'POST',
    body,
  );
  assert.notEqual(passed.status, 403);
  assert.equal(modern.received.length, before + 1);
  assert.equal(modern.received.at(-1)?.path, '/ocm/shares');
});

test('after a reload to an allowlist, an unsigned caller is refused there too (fail closed)', async () => {
  const report = gateway.reload(() =>
    loadConfig({ env, readFile: () => yaml('allowHosts: [friend.example]') }),
  );
  assert.equal(report.result, 'applied');
  assert.deepEqual(report.applied, ['policy.allowHosts', 'policy.denyHosts']);
  const before = modern.received.length;
  const body = JSON.stringify({ shareWith: `dora@${modernHost}` });
  const refused = await send(
    '/ocm/shares',
    { host: modernHost, 'content-type': 'application/json' },
    'POST',
    body,
  );
  assert.equal(refused.status, 403);
  assert.equal(modern.received.length, before);
  // Pages of the modern server are not federation calls: still passed through.
  const page = await send('/.well-known/ocm', { host: modernHost });
  assert.equal(page.status, 200);
});
