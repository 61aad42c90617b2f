import assert from 'node:assert/strict';
import http, { type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { createPublicApp } from '../../../gateway/http/create-public-app.ts';
import { oneBackendChooser, passthroughLane } from '../../../gateway/http/passthrough-lane.ts';
import {
  createPassthrough,
  type Passthrough,
} from '../../../gateway/http/passthrough/create-passthrough.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { policyOf } from '../../integration/hardening/public-listener-harness.ts';
import { captureLogger, type LogLine } from './capture-logger.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly requestId: string | undefined;
}

interface Served {
  readonly url: string;
  close(): Promise<void>;
}

async function serve(listener: RequestListener): Promise<Served> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One raw request (the target exactly as written, never normalised by a client library). */
function ask(base: string, method: string, target: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, method, path: target, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// Under the public URL's path, as the gateway mounts its own endpoints.
const FEDERATION = '/cloud/ocm/shares';

describe('the public listener pass-through lane', () => {
  const seen: Seen[] = [];
  const appSaw: string[] = [];
  const logs: LogLine[] = [];
  const metrics = createMetrics({ collectDefaults: false });
  let backend: Served;
  let passthrough: Passthrough;
  let appOnly: Served;
  let laned: Served;

  before(async () => {
    backend = await serve((req, res) => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        requestId: req.headers['x-request-id'] as string | undefined,
      });
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`backend: ${req.method ?? ''} ${req.url ?? ''}`);
      });
    });
    passthrough = createPassthrough({
      backendUrl: new URL(`${backend.url}/nextcloud`),
      publicUrl: new URL('https://example.org/cloud'),
      connectTimeoutMs: 2_000,
      responseTimeoutMs: 5_000,
    });
    const logger = captureLogger(logs);
    const app = createPublicApp({
      logger,
      metrics,
      federation: {
        routes: [
          {
            path: FEDERATION,
            bodyLimitBytes: 1024,
            handler: (_req, res) => {
              res.status(201).json({ route: 'federation' });
            },
          },
        ],
        policy: policyOf(),
        store: new MemoryShortLivedStore(),
        trustedProxies: [],
      },
      passthrough: passthrough.handler,
    });
    const spied: RequestListener = (req: IncomingMessage, res) => {
      appSaw.push(req.url ?? '');
      app(req, res);
    };
    appOnly = await serve(app);
    laned = await serve(
      passthroughLane({
        app: spied,
        choose: oneBackendChooser([FEDERATION], passthrough),
        logger,
        metrics,
      }),
    );
  });

  after(async () => {
    await laned.close();
    await appOnly.close();
    passthrough.close();
    await backend.close();
  });

  test('plain pass-through skips the app but gets the normalised target, a request id and a log line', async () => {
    appSaw.length = 0;
    logs.length = 0;
    const answer = await ask(laned.url, 'PROPFIND', '/cloud//remote.php/dav/%7Efiles?x=%2F');
    assert.equal(answer.status, 200);
    assert.deepEqual(appSaw, []);
    const last = seen.at(-1);
    assert.equal(last?.url, '/nextcloud/remote.php/dav/~files?x=%2F');
    assert.match(answer.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    assert.equal(last.requestId, answer.headers['x-request-id']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const line = logs.find((l) => l.message === 'request');
    assert.equal(line?.level, 'http');
    assert.equal(line.fields.route, 'passthrough');
    assert.equal(line.fields.path, '/cloud/remote.php/dav/~files?x=%2F');
    assert.equal(line.fields.status, 200);
    const { values } = await metrics.httpRequestDuration.get();
    const count = values.find(
      (v) =>
        v.metricName === 'gateway_http_request_duration_seconds_count' &&
        v.labels.route === 'passthrough' &&
        v.labels.method === 'PROPFIND',
    );
    assert.equal(count?.value, 1);
  });

  test('a sane X-Request-Id from the client travels to the backend unchanged', async () => {
    const { hostname, port } = new URL(laned.url);
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(
          {
            host: hostname,
            port,
            path: '/cloud/status.php',
            headers: { 'x-request-id': 'abc-123' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    assert.equal(status, 200);
    assert.equal(seen.at(-1)?.requestId, 'abc-123');
  });

  const toTheApp: [string, string, string][] = [
    ['a federation route', 'POST', FEDERATION],
    ['a federation route, other case and a trailing slash', 'POST', '/cloud/OCM/Shares/'],
    ['below a federation route', 'GET', '/cloud/ocm/shares/x?y=1'],
    ['a federation route spelled with double slashes', 'POST', '/cloud//ocm//shares'],
    ['a federation route spelled with escapes', 'POST', '/cloud/%6Fcm/shares'],
    ['a federation route with a fragment', 'POST', '/cloud/ocm/shares#x'],
    ['a dot segment (hardening refuses)', 'GET', '/cloud/a/../b'],
    ['TRACE (hardening refuses)', 'TRACE', '/cloud/x'],
    ['a path outside the public URL', 'GET', '/cloudy/x'],
  ];
  for (const [what, method, target] of toTheApp) {
    test(`${what} goes to the app as the client sent it: ${method} ${target}`, async () => {
      appSaw.length = 0;
      const before = seen.length;
      await ask(laned.url, method, target);
      assert.deepEqual(appSaw, [target]);
      assert.equal(seen.length, before, 'the lane sent it to the backend');
    });
  }

  test('every answer is the one the app alone gives', async () => {
    const requests: [string, string][] = [
      ['GET', '/cloud/index.php/apps/files/?dir=/'],
      ['HEAD', '/cloud/remote.php/webdav/a%20b.txt'],
      ['PUT', '/cloud/remote.php/webdav/new.txt'],
      ['MKCOL', '/cloud/remote.php/dav/files/u/%C3%A9t%C3%A9'],
      ['GET', '/cloud'],
      ['GET', '/cloud/'],
      ['POST', FEDERATION],
      ['POST', '/cloud/ocm/shares/'],
      ['POST', '/cloud//ocm/shares'],
      ['GET', '/cloud/ocm/shares#x'],
      ['GET', '/cloud/a/./b'],
      ['GET', '/cloud/%2e%2e/etc/passwd'],
      ['GET', '/cloud/a%2fb'],
      ['GET', '/cloud/ocs/v2.php/apps/x/..%2f'],
      ['GET', '/cloudy'],
      ['TRACE', '/cloud'],
    ];
    for (const [method, target] of requests) {
      const viaApp = await ask(appOnly.url, method, target);
      const appBackend = seen.at(-1)?.url;
      const viaLane = await ask(laned.url, method, target);
      const laneBackend = seen.at(-1)?.url;
      const label = `${method} ${target}`;
      assert.equal(viaLane.status, viaApp.status, label);
      assert.equal(viaLane.body, viaApp.body, label);
      assert.equal(viaLane.headers['content-type'], viaApp.headers['content-type'], label);
      assert.equal(laneBackend, appBackend, label);
    }
  });
});

describe('a fault inside the lane', () => {
  test('is answered 500 in the caller dialect and logged; the listener keeps serving', async () => {
    const logs: LogLine[] = [];
    let calls = 0;
    const faulty: Pick<Passthrough, 'backendTargetOf' | 'forward' | 'forwardUpgrade'> = {
      backendTargetOf: (target) => target,
      forwardUpgrade: () => undefined,
      forward: () => {
        calls += 1;
        throw new Error('boom');
      },
    };
    const served = await serve(
      passthroughLane({
        app: (_req, res) => {
          res.writeHead(418).end();
        },
        choose: oneBackendChooser([], faulty),
        logger: captureLogger(logs),
        metrics: createMetrics({ collectDefaults: false }),
      }),
    );
    try {
      const ocm = await ask(served.url, 'GET', '/remote.php/webdav/x');
      assert.equal(ocm.status, 500);
      assert.match(ocm.headers['content-type'] ?? '', /^application\/json/);
      assert.equal((JSON.parse(ocm.body) as { message: string }).message, 'INTERNAL');
      const ocs = await ask(served.url, 'GET', '/ocs/v2.php/apps/notifications/api/v2/x');
      assert.equal(ocs.status, 500);
      assert.match(ocs.headers['content-type'] ?? '', /xml/);
      assert.match(ocs.body, /<statuscode>996<\/statuscode>/);
      assert.equal(calls, 2);
      const errors = logs.filter((l) => l.level === 'error');
      assert.equal(errors.length, 2);
      assert.equal(errors[0]?.message, 'pass-through failed');
      assert.ok(!JSON.stringify(ocm.body).includes('boom'), 'the cause is not shown to the caller');
    } finally {
      await served.close();
    }
  });
});
