import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../../config/config-error.ts';
import { loadConfig } from '../../../config/load-config.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { freePort } from '../../support/free-port.ts';
import { captureLogger, type LogLine } from '../../unit/http/capture-logger.ts';
import { rawExchange } from './raw-http.ts';

// The composition root puts the guards on the public listener (and only there): a real
// startGateway, configured the way an operator does it.
let backend: http.Server;
let backendUrls: string[];
let dataDir: string;
let gateway: RunningGateway;
const logs: LogLine[] = [];

async function config(yaml: string) {
  return loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
      GATEWAY_BACKEND_URL: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_INTERNAL_PORT: String(await freePort()),
      GATEWAY_ADMIN_PORT: String(await freePort()),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_CONFIG: 'gateway.yaml',
    },
    readFile: () => yaml,
  });
}

before(async () => {
  backendUrls = [];
  backend = http.createServer((req, res) => {
    backendUrls.push(req.url ?? '');
    res.end('backend');
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  dataDir = mkdtempSync(join(tmpdir(), 'gw-hardening-'));
  gateway = await startGateway(await config('policy:\n  denyHosts: [spam.example]\n'), {
    logger: captureLogger(logs),
    metrics: createMetrics({ collectDefaults: false }),
  });
});

after(async () => {
  await gateway.stop();
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

const port = (url: string) => Number(new URL(url).port);

test('public listener: absolute-form 400, CONNECT 405, traversal 400, a plain path reaches the backend', async () => {
  const publicPort = port(gateway.publicUrl);
  // The gateway's own start-up probes of the backend dialect are not what this test is about.
  backendUrls.length = 0;
  const absolute = await rawExchange(publicPort, 'GET http://evil/x HTTP/1.1\r\nHost: a\r\n\r\n');
  assert.deepEqual(absolute.statuses, [400]);
  const connect = await rawExchange(
    publicPort,
    'CONNECT evil:443 HTTP/1.1\r\nHost: evil:443\r\n\r\n',
  );
  assert.deepEqual(connect.statuses, [405]);
  const traversal = await rawExchange(publicPort, 'GET /a/%2e%2e/b HTTP/1.1\r\nHost: a\r\n\r\n');
  assert.deepEqual(traversal.statuses, [400]);
  const plain = await rawExchange(publicPort, 'GET //status.php HTTP/1.1\r\nHost: a\r\n\r\n');
  assert.deepEqual(plain.statuses, [200]);
  assert.deepEqual(backendUrls, ['/status.php']);
});

test('the internal listener keeps its forward proxy: absolute-form is not refused as 400 there', async () => {
  const reply = await rawExchange(
    port(gateway.internalUrl),
    'GET http://127.0.0.1:1/x HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n',
  );
  assert.notEqual(reply.statuses[0], 400);
});

test('a policy the schema lets through but that is wrong stops start-up, naming the field', async () => {
  await assert.rejects(
    async () =>
      startGateway(await config('policy:\n  denyNetworks: [10.0.0.1/8]\n'), {
        logger: captureLogger([]),
        metrics: createMetrics({ collectDefaults: false }),
      }),
    (error: unknown) =>
      error instanceof ConfigError && /policy\.denyNetworks\.0/.test(error.message),
  );
});

test('the token endpoint limits each client address, answering 429 in OAuth’s error shape', async () => {
  const limited = await startGateway(
    await config('policy:\n  perPeerRateLimit:\n    requests: 2\n    windowSeconds: 60\n'),
    { logger: captureLogger([]), metrics: createMetrics({ collectDefaults: false }) },
  );
  try {
    const ask = () =>
      fetch(`${limited.publicUrl}/ocm/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&client_id=peer.example&code=nope',
      });
    const first = await ask();
    const second = await ask();
    // Unsigned and unknown: refused by the exchange itself, but each spends the address's budget.
    assert.notEqual(first.status, 429);
    assert.notEqual(second.status, 429);
    const third = await ask();
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
    assert.equal(third.headers.get('cache-control'), 'no-store');
    const body = (await third.json()) as { error?: string; error_description?: string };
    assert.equal(body.error, 'temporarily_unavailable');
    assert.match(body.error_description ?? '', /too many token requests/);
  } finally {
    await limited.stop();
  }
});
