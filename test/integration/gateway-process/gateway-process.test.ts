import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../support/free-port.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: string,
  method = 'GET',
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A stand-in backend on a sub-path that records what reached it. */
function startBackend(): Promise<{
  server: Server;
  url: string;
  seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[];
}> {
  const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] =
    [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/nextcloud/slow') {
        setTimeout(() => res.end('slow done'), 700);
        return;
      }
      if (req.method === 'PROPFIND') {
        res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8', DAV: '1, 2' });
        res.end('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': ['a=1', 'b=2'] });
      res.end(`page ${req.url ?? ''}`);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/nextcloud`, seen });
    });
  });
}

describe('the gateway as a process, in front of a backend', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  let gateway: GatewayProcess;

  before(async () => {
    backend = await startBackend();
    const publicPort = await freePort();
    gateway = await startGatewayProcess({
      GATEWAY_PUBLIC_URL: `http://127.0.0.1:${publicPort}`,
      GATEWAY_PORT: String(publicPort),
      GATEWAY_BACKEND_URL: backend.url,
      // Plain pass-through lines are at `http` level, below the default `info`.
      GATEWAY_LOG_LEVEL: 'http',
    });
    await gateway.waitForLog((l) => l.message === 'gateway started');
  });

  after(async () => {
    await gateway.stop('SIGKILL');
    backend.server.close();
  });

  test('pages and WebDAV pass through unchanged, with forwarding headers and a request id', async () => {
    const page = await send(`${gateway.publicUrl}/index.php/apps/files?dir=/`, 'GET', undefined, {
      'X-Request-Id': 'req-page-1',
    });
    assert.equal(page.status, 200);
    assert.equal(page.body, 'page /nextcloud/index.php/apps/files?dir=/');
    assert.deepEqual(page.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(page.headers['x-request-id'], 'req-page-1');
    const atBackend = backend.seen.find((s) => s.headers['x-request-id'] === 'req-page-1');
    assert.ok(atBackend);
    assert.equal(atBackend.headers['x-forwarded-for'], '127.0.0.1');
    assert.match(String(atBackend.headers.forwarded), /for=127\.0\.0\.1/);

    const dav = await send(
      `${gateway.publicUrl}/remote.php/dav/files/alice/`,
      'PROPFIND',
      '<propfind xmlns="DAV:"><allprop/></propfind>',
      {
        Depth: '1',
        'Content-Type': 'application/xml',
      },
    );
    assert.equal(dav.status, 207);
    assert.equal(dav.headers.dav, '1, 2');
    const davAtBackend = backend.seen.find((s) => s.method === 'PROPFIND');
    assert.ok(davAtBackend);
    assert.equal(davAtBackend.url, '/nextcloud/remote.php/dav/files/alice/');
    assert.equal(davAtBackend.headers.depth, '1');
    assert.match(davAtBackend.body, /allprop/);
  });

  test('/metrics counts the requests and the log has one line per request', async () => {
    await send(`${gateway.publicUrl}/status.php`);
    const metrics = await send(`${gateway.adminUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(
      metrics.body,
      /gateway_http_request_duration_seconds_count\{listener="public",route="passthrough",method="GET",status_class="2xx"\} \d+/,
    );
    assert.match(
      metrics.body,
      /gateway_http_request_duration_seconds_count\{listener="public",route="passthrough",method="PROPFIND",status_class="2xx"\} 1/,
    );
    assert.match(metrics.body, /process_cpu_user_seconds_total/);
    const line = await gateway.waitForLog(
      (l) => l.message === 'request' && l.path === '/status.php',
    );
    assert.equal(line.level, 'http');
    assert.equal(line.listener, 'public');
    assert.equal(line.status, 200);
    assert.equal(typeof line.requestId, 'string');
  });

  test('/healthz and /readyz answer on the admin listener', async () => {
    assert.deepEqual(JSON.parse((await send(`${gateway.adminUrl}/healthz`)).body), {
      status: 'ok',
    });
    const ready = await send(`${gateway.adminUrl}/readyz`);
    assert.equal(ready.status, 200);
    const body = JSON.parse(ready.body) as {
      status: string;
      checks: Record<string, { ok: boolean }>;
    };
    assert.equal(body.status, 'ready');
    assert.deepEqual(Object.keys(body.checks).sort(), [
      'capability-cache',
      'ledger',
      'short-lived',
    ]);
  });

  test('the internal listener answers unknown routes with a clear OCM 404, not a stack trace', async () => {
    const reply = await send(`${gateway.internalUrl}/nothing-here`);
    assert.equal(reply.status, 404);
    assert.equal((JSON.parse(reply.body) as { message: string }).message, 'NOT_FOUND');
  });
});

test('SIGTERM drains an in-flight request, then exits 0', async () => {
  const backend = await startBackend();
  const gateway = await startGatewayProcess({
    GATEWAY_PUBLIC_URL: 'http://gateway.test',
    GATEWAY_BACKEND_URL: backend.url,
  });
  try {
    await gateway.waitForLog((l) => l.message === 'gateway started');
    const slow = send(`${gateway.publicUrl}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = gateway.stop('SIGTERM');
    const reply = await slow;
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'slow done');
    assert.equal(await exit, 0);
    assert.ok(gateway.logs.some((l) => l.message === 'stopped' && l.cutRequests === 0));
  } finally {
    await gateway.stop('SIGKILL');
    backend.server.close();
  }
});

test('bad configuration stops start-up with exit 2 and one message listing every problem', async () => {
  const gateway = await startGatewayProcess({
    GATEWAY_PORT: 'not-a-port',
    GATEWAY_LEDGER_KEY: 'short-secret-value',
  });
  const code = await gateway.exited;
  assert.equal(code, 2);
  const text = gateway.stderr();
  assert.match(text, /Configuration has 4 problems/);
  for (const name of [
    'GATEWAY_PORT',
    'GATEWAY_PUBLIC_URL',
    'GATEWAY_BACKEND_URL',
    'GATEWAY_LEDGER_KEY',
  ]) {
    assert.match(text, new RegExp(name));
  }
  assert.ok(!text.includes('short-secret-value'));
  await gateway.stop();
});

test('secrets in requests never reach the log', async () => {
  const backend = await startBackend();
  const gateway = await startGatewayProcess({
    GATEWAY_PUBLIC_URL: 'http://gateway.test',
    GATEWAY_BACKEND_URL: backend.url,
    GATEWAY_LOG_LEVEL: 'debug',
  });
  try {
    await gateway.waitForLog((l) => l.message === 'gateway started');
    const secret = 'Xy9zA1bC2dE3fG4';
    await send(
      `${gateway.publicUrl}/index.php/apps/files_sharing/shareinfo?t=${secret}`,
      'POST',
      `password=${secret}`,
      {
        Authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    );
    await gateway.waitForLog(
      (l) => l.message === 'request' && String(l.path).includes('shareinfo'),
    );
    const all = JSON.stringify(gateway.logs);
    assert.ok(!all.includes(secret), 'token in the log');
    assert.ok(
      !all.includes(Buffer.from(`${secret}:`).toString('base64')),
      'Basic credentials in the log',
    );
  } finally {
    await gateway.stop();
    backend.server.close();
  }
});

test('with Redis unreachable the gateway still starts, reports degraded readiness and keeps serving', async () => {
  const backend = await startBackend();
  const deadRedisPort = await freePort();
  const gateway = await startGatewayProcess({
    GATEWAY_PUBLIC_URL: 'http://gateway.test',
    GATEWAY_BACKEND_URL: backend.url,
    GATEWAY_REDIS_URL: `redis://127.0.0.1:${deadRedisPort}`,
    GATEWAY_LEDGER_KEY: 'a-shared-ledger-key-of-at-least-32-characters',
  });
  try {
    await gateway.waitForLog((l) => l.message === 'gateway started', 15_000);
    const ready = await send(`${gateway.adminUrl}/readyz`);
    assert.equal(ready.status, 503);
    const body = JSON.parse(ready.body) as {
      status: string;
      checks: Record<string, { ok: boolean }>;
    };
    assert.equal(body.status, 'degraded');
    assert.equal(body.checks.ledger?.ok, false);
    assert.equal((await send(`${gateway.publicUrl}/page`)).status, 200);
    assert.equal((await send(`${gateway.adminUrl}/healthz`)).status, 200);
    assert.ok(!JSON.stringify(gateway.logs).includes('a-shared-ledger-key'));
  } finally {
    await gateway.stop();
    backend.server.close();
  }
});
