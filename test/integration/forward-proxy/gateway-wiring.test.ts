import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config/load-config.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { freePort } from '../../support/free-port.ts';
import {
  absoluteForm,
  connectThrough,
  recordingLogger,
  requestOver,
  startPlainServer,
  startTls,
  type LogEntry,
  type TestServer,
} from './proxy-harness.ts';

let backend: TestServer;
const dirs: string[] = [];
before(async () => {
  backend = await startPlainServer();
});
after(async () => {
  await backend.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, logs: LogEntry[]): Promise<RunningGateway> {
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
      GATEWAY_BACKEND_URL: `http://127.0.0.1:${backend.port}`,
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_INTERNAL_PORT: String(await freePort()),
      GATEWAY_ADMIN_PORT: String(await freePort()),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_CONFIG: 'gateway.yaml',
    },
    readFile: (path) => {
      assert.equal(path, 'gateway.yaml');
      return 'forwardProxy:\n  intercept: true\n';
    },
  });
  return startGateway(config, {
    logger: recordingLogger(logs),
    metrics: createMetrics({ collectDefaults: false }),
  });
}

test('startGateway: the egress CA is generated once and printed, CONNECT is intercepted on the internal listener', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fwd-wiring-'));
  dirs.push(dataDir);
  const logs: LogEntry[] = [];
  const gateway = await start(dataDir, logs);
  const caPath = join(dataDir, 'egress-ca', 'ca.crt');
  let stopped = false;
  try {
    const line = logs.find((l) => /egress CA in the data dir/.test(l.message));
    assert.equal(line?.level, 'info');
    assert.equal(line.fields.caCertificate, caPath);
    assert.equal(line.fields.generated, true);
    const caPem = readFileSync(caPath, 'utf8');
    assert.equal(line.fields.certificate, caPem);
    assert.equal(statSync(join(dataDir, 'egress-ca', 'ca.key')).mode & 0o777, 0o600);
    assert.ok(!JSON.stringify(logs).includes('PRIVATE KEY'), 'the CA key is never logged');

    // The backend calling the internal listener itself through CONNECT: a leaf for the IP,
    // and the inner request served in-process by the internal app.
    const internal = new URL(gateway.internalUrl);
    const tunnel = await connectThrough(Number(internal.port), internal.host);
    assert.equal(tunnel.status, 200);
    assert.ok(tunnel.socket);
    const session = await startTls(tunnel.socket, undefined, caPem);
    const leaf = new X509Certificate(session.certificate.raw);
    assert.ok(leaf.checkIssued(new X509Certificate(caPem)));
    const inner = await requestOver(session, internal.host, '/peers/peer.example/nothing-here');
    assert.equal(inner.status, 404);
    assert.match(inner.body, /No internal route for GET \/peers\/peer\.example\/nothing-here/);

    // GATEWAY_PUBLIC_URL through the proxy: served by the public app (pass-through to the backend).
    const viaPublic = await absoluteForm(
      Number(internal.port),
      'http://cloud.example.org:443/status.php',
    );
    assert.equal(viaPublic.status, 200, viaPublic.body);
    assert.equal(backend.requests.at(-1)?.url, '/status.php');

    // Stopping the gateway closes intercepted connections too.
    const closed = new Promise<void>((resolve) => session.tls.once('close', () => resolve()));
    await gateway.stop();
    stopped = true;
    await closed;
  } finally {
    if (!stopped) await gateway.stop();
  }

  const again: LogEntry[] = [];
  const restarted = await start(dataDir, again);
  await restarted.stop();
  const reuse = again.find((l) => /egress CA in the data dir/.test(l.message));
  assert.equal(reuse?.fields.generated, false);
  assert.equal(reuse.fields.certificate, readFileSync(caPath, 'utf8'));
});
