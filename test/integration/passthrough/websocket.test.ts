/** WebSocket upgrades through a real startGateway: tunnels to the backend, refusals, limits, shutdown. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../config/load-config.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { freePort } from '../../support/free-port.ts';
import { captureLogger, type LogLine } from '../../unit/http/capture-logger.ts';
import { eventually } from './passthrough-harness.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const accept = (key: string) =>
  createHash('sha1')
    .update(key + GUID)
    .digest('base64');

interface BackendSeen {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly upgrade: boolean;
}

/** A backend that speaks just enough WebSocket: a 101, "hello", then an echo of every byte. */
async function startWebSocketBackend() {
  const seen: BackendSeen[] = [];
  const open = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers, upgrade: false });
    res.end(`plain ${req.headers.upgrade ?? 'without upgrade'}`);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    seen.push({ url: req.url ?? '', headers: req.headers, upgrade: true });
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    // As WebSocket servers do: the peer's end of the stream ends this side too.
    socket.once('end', () => socket.end());
    if (req.url?.includes('/refuse') === true) {
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="nc"\r\n' +
          'Content-Type: text/plain\r\nContent-Length: 6\r\n\r\nlogin!',
      );
      return;
    }
    if (req.url?.includes('/silent') === true) return;
    const key = req.headers['sec-websocket-key'];
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Set-Cookie: nc_session=abc; Path=/nextcloud/; HttpOnly\r\n' +
        `Sec-WebSocket-Accept: ${accept(typeof key === 'string' ? key : '')}\r\n\r\nhello`,
    );
    socket.on('data', (chunk: Buffer) => socket.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    open,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of open) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Answer =
  | {
      readonly kind: 'upgraded';
      readonly status: number;
      readonly headers: http.IncomingHttpHeaders;
      readonly socket: Socket;
      readonly head: Buffer;
    }
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly headers: http.IncomingHttpHeaders;
      readonly body: string;
    };

function handshake(
  base: string,
  path: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: hostname,
      port,
      path,
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': KEY,
        'sec-websocket-version': '13',
        ...headers,
      },
    });
    req.once('upgrade', (res, socket, head) => {
      resolve({
        kind: 'upgraded',
        status: res.statusCode ?? 0,
        headers: res.headers,
        socket,
        head,
      });
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => {
        resolve({
          kind: 'answered',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    req.once('error', reject);
    req.end();
  });
}

/** Reads from a tunnel until `expected` bytes arrived. */
function readExactly(socket: Socket, first: Buffer, expected: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = first;
    const check = () => {
      if (got.length < expected) return;
      socket.off('data', onData);
      resolve(got.toString());
    };
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      check();
    };
    socket.on('data', onData);
    socket.once('error', reject);
    check();
  });
}

async function gatewayFor(backendUrl: string, yaml: string, logs: LogLine[], dataDir: string) {
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
      GATEWAY_BACKEND_URL: backendUrl,
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_INTERNAL_PORT: String(await freePort()),
      GATEWAY_ADMIN_PORT: String(await freePort()),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_CONFIG: 'gateway.yaml',
    },
    readFile: () => yaml,
  });
  return startGateway(config, {
    logger: captureLogger(logs),
    metrics: createMetrics({ collectDefaults: false }),
  });
}

const gauge = async (gateway: RunningGateway) =>
  (await gateway.metrics.websocketTunnels.get()).values[0]?.value ?? 0;

describe('WebSocket upgrades on the public listener', () => {
  let backend: Awaited<ReturnType<typeof startWebSocketBackend>>;
  let gateway: RunningGateway;
  let stopped = false;
  let dataDir: string;
  const logs: LogLine[] = [];

  before(async () => {
    backend = await startWebSocketBackend();
    dataDir = mkdtempSync(join(tmpdir(), 'gw-websocket-'));
    gateway = await gatewayFor(
      `${backend.origin}/nextcloud`,
      'timeouts:\n  backendConnectMs: 500\n  backendResponseMs: 800\nlimits:\n  websocketTunnels: 2\n',
      logs,
      dataDir,
    );
  });

  after(async () => {
    if (!stopped) await gateway.stop();
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a WebSocket becomes a tunnel to the backend: its 101, then bytes both ways', async () => {
    const answer = await handshake(gateway.publicUrl, '/push/ws?x=1', {
      'proxy-authorization': 'Basic c2VjcmV0',
    });
    assert.equal(answer.kind, 'upgraded');
    assert.equal(answer.status, 101);
    assert.equal(answer.headers['sec-websocket-accept'], accept(KEY));
    // The backend's cookie is scoped to the public path, as on any pass-through answer.
    assert.deepEqual(answer.headers['set-cookie'], ['nc_session=abc; Path=/; HttpOnly']);
    assert.equal(await readExactly(answer.socket, answer.head, 5), 'hello');
    answer.socket.write('ping');
    assert.equal(await readExactly(answer.socket, Buffer.alloc(0), 4), 'ping');
    const seen = backend.seen.filter((s) => s.upgrade).at(-1);
    assert.equal(seen?.url, '/nextcloud/push/ws?x=1');
    assert.equal(seen.headers.host, new URL(backend.origin).host);
    assert.equal(seen.headers.upgrade, 'websocket');
    assert.equal(seen.headers['sec-websocket-key'], KEY);
    assert.equal(seen.headers['x-forwarded-host'], 'cloud.example.org');
    assert.equal(seen.headers['proxy-authorization'], undefined);
    assert.match(String(seen.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(await gauge(gateway), 1);

    answer.socket.end();
    await eventually(() => backend.open.size === 0);
    await eventually(() => logs.some((l) => l.message === 'websocket'));
    const line = logs.find((l) => l.message === 'websocket');
    assert.equal(line?.fields.status, 101);
    assert.equal(line.fields.path, '/push/ws?x=1');
    assert.equal(await gauge(gateway), 0);
  });

  test('the backend closing the tunnel closes the client side too', async () => {
    const answer = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(answer.kind, 'upgraded');
    const closed = new Promise((resolve) => answer.socket.once('close', resolve));
    answer.socket.resume();
    await eventually(() => backend.open.size === 1);
    for (const socket of backend.open) socket.destroy();
    await closed;
    await eventually(() => backend.open.size === 0);
  });

  test('a backend that declines the upgrade is answered as it answered', async () => {
    const answer = await handshake(gateway.publicUrl, '/push/refuse');
    assert.equal(answer.kind, 'answered');
    assert.equal(answer.status, 401);
    assert.equal(answer.body, 'login!');
    assert.equal(answer.headers['www-authenticate'], 'Basic realm="nc"');
  });

  test('a backend that stays silent gets 504 after backendResponseMs (plus the connect time)', async () => {
    const answer = await handshake(gateway.publicUrl, '/push/silent');
    assert.equal(answer.kind, 'answered');
    assert.equal(answer.status, 504);
    assert.equal((JSON.parse(answer.body) as { message: string }).message, 'BACKEND_TIMEOUT');
    await eventually(() => backend.open.size === 0);
  });

  test('no tunnel on a federation path, a refused path, or for another protocol', async () => {
    const before = backend.seen.filter((s) => s.upgrade).length;
    const federation = await handshake(gateway.publicUrl, '/ocm/shares');
    assert.equal(federation.kind, 'answered');
    assert.notEqual(federation.status, 101);
    const traversal = await handshake(gateway.publicUrl, '/push/%2e%2e/ws');
    assert.equal(traversal.kind, 'answered');
    assert.equal(traversal.status, 400);
    const h2c = await handshake(gateway.publicUrl, '/status.php', { upgrade: 'h2c' });
    assert.equal(h2c.kind, 'answered');
    // Served as an ordinary request: the backend never sees the Upgrade header.
    assert.equal(h2c.status, 200);
    assert.equal(h2c.body, 'plain without upgrade');
    assert.equal(backend.seen.filter((s) => s.upgrade).length, before);
  });

  test('past limits.websocketTunnels a handshake gets 503 with Retry-After; a freed slot is reused', async () => {
    const first = await handshake(gateway.publicUrl, '/push/ws');
    const second = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(first.kind, 'upgraded');
    assert.equal(second.kind, 'upgraded');
    const third = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(third.kind, 'answered');
    assert.equal(third.status, 503);
    assert.equal(third.headers['retry-after'], '30');
    assert.equal((JSON.parse(third.body) as { message: string }).message, 'TOO_MANY_CONNECTIONS');
    first.socket.destroy();
    await eventually(() => backend.open.size === 1);
    await eventually(() => logs.filter((l) => l.message === 'websocket').length >= 3);
    const fourth = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(fourth.kind, 'upgraded');
    fourth.socket.destroy();
    second.socket.destroy();
    await eventually(() => backend.open.size === 0);
  });

  test('stopping the gateway closes open tunnels on both sides', async () => {
    const answer = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(answer.kind, 'upgraded');
    const closed = new Promise((resolve) => answer.socket.once('close', resolve));
    answer.socket.resume();
    stopped = true;
    await gateway.stop();
    await closed;
    await eventually(() => backend.open.size === 0);
  });
});

test('a backend that cannot be reached: 503 with Retry-After, as for any pass-through request', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-websocket-down-'));
  const logs: LogLine[] = [];
  const gateway = await gatewayFor(`http://127.0.0.1:${await freePort()}`, '', logs, dataDir);
  try {
    const answer = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(answer.kind, 'answered');
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['retry-after'], '10');
    assert.equal((JSON.parse(answer.body) as { message: string }).message, 'BACKEND_UNREACHABLE');
    assert.ok(!answer.body.includes('127.0.0.1'), 'the backend address stays hidden');
  } finally {
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an organisation edge tunnels each WebSocket to the backend its Host names; unknown hosts get 421', async () => {
  const [first, second] = [await startWebSocketBackend(), await startWebSocketBackend()];
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-websocket-edge-'));
  const [publicPort, internalA, internalB, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = loadConfig({
    env: {
      GATEWAY_PORT: String(publicPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_CONFIG: 'edge.yaml',
    },
    readFile: () => `
backends:
  - id: a
    url: ${first.origin}
    publicUrl: http://127.0.0.1:${publicPort}
    dialect: ocs-v2
    internalPort: ${internalA}
  - id: b
    url: ${second.origin}
    publicUrl: http://localhost:${publicPort}
    dialect: ocs-v2
    internalPort: ${internalB}
`,
  });
  const gateway = await startGateway(config, {
    logger: captureLogger([]),
    metrics: createMetrics({ collectDefaults: false }),
  });
  try {
    const toA = await handshake(gateway.publicUrl, '/push/ws', { host: `127.0.0.1:${publicPort}` });
    const toB = await handshake(gateway.publicUrl, '/push/ws', { host: `localhost:${publicPort}` });
    assert.equal(toA.kind, 'upgraded');
    assert.equal(toB.kind, 'upgraded');
    assert.equal(await readExactly(toA.socket, toA.head, 5), 'hello');
    assert.equal(await readExactly(toB.socket, toB.head, 5), 'hello');
    assert.equal(first.seen.filter((s) => s.upgrade).length, 1);
    assert.equal(second.seen.filter((s) => s.upgrade).length, 1);
    toA.socket.destroy();
    toB.socket.destroy();
    const unknown = await handshake(gateway.publicUrl, '/push/ws', { host: 'other.example' });
    assert.equal(unknown.kind, 'answered');
    assert.equal(unknown.status, 421);
  } finally {
    await gateway.stop();
    await Promise.all([first.close(), second.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('limits.websocketTunnelsPerAddress: one client address cannot hold every tunnel; others still get theirs', async () => {
  const backend = await startWebSocketBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-websocket-address-'));
  const logs: LogLine[] = [];
  // Behind a trusted proxy (the test itself), the client address is X-Forwarded-For's.
  const gateway = await gatewayFor(
    backend.origin,
    'proxy:\n  trustedProxies: [127.0.0.0/8, "::1/128"]\n' +
      'limits:\n  websocketTunnels: 10\n  websocketTunnelsPerAddress: 2\n',
    logs,
    dataDir,
  );
  const from = (address: string) =>
    handshake(gateway.publicUrl, '/push/ws', { 'x-forwarded-for': address });
  try {
    const [a1, a2] = [await from('203.0.113.5'), await from('203.0.113.5')];
    assert.equal(a1.kind, 'upgraded');
    assert.equal(a2.kind, 'upgraded');
    const a3 = await from('203.0.113.5');
    assert.equal(a3.kind, 'answered');
    assert.equal(a3.status, 503);
    assert.equal(a3.headers['retry-after'], '30');
    assert.match(a3.body, /TOO_MANY_CONNECTIONS.*Your address/);
    const refusal = logs.find((l) => l.message.includes('limit of the client address'));
    assert.equal(refusal?.fields.clientAddress, '203.0.113.5');
    const other = await from('198.51.100.7');
    assert.equal(other.kind, 'upgraded', 'another address is not held back');
    a1.socket.destroy();
    await eventually(() => backend.open.size === 2);
    await eventually(() => logs.filter((l) => l.message === 'websocket').length >= 1);
    const again = await from('203.0.113.5');
    assert.equal(again.kind, 'upgraded', 'a closed tunnel frees its address slot');
    for (const answer of [a2, other, again]) answer.socket.destroy();
    await eventually(() => backend.open.size === 0);
    const refused = await gateway.metrics.requestsRefused.get();
    assert.equal(refused.values.find((v) => v.labels.reason === 'too-many-from-address')?.value, 1);
  } finally {
    await gateway.stop();
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('limits.websocketIdleSeconds: a tunnel silent both ways is closed; traffic either way keeps it', async () => {
  const backend = await startWebSocketBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-websocket-idle-'));
  const logs: LogLine[] = [];
  const gateway = await gatewayFor(
    backend.origin,
    'limits:\n  websocketIdleSeconds: 2\n',
    logs,
    dataDir,
  );
  try {
    const busy = await handshake(gateway.publicUrl, '/push/ws');
    assert.equal(busy.kind, 'upgraded');
    busy.socket.resume();
    // The busy tunnel's client speaks every 200 ms (the backend echoes): never 2 s without a byte.
    const ticker = setInterval(() => busy.socket.write('.'), 200);
    try {
      const asked = Date.now();
      const silent = await handshake(gateway.publicUrl, '/push/ws');
      assert.equal(silent.kind, 'upgraded');
      const closedAt = await new Promise<number>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('the idle tunnel stayed open')), 8000);
        silent.socket.once('close', () => {
          clearTimeout(deadline);
          resolve(Date.now());
        });
        silent.socket.resume();
      });
      // Armed at its 101, which came after `asked`: never closed sooner than 2 s from there.
      assert.ok(closedAt - asked >= 1950, `closed ${closedAt - asked} ms after the handshake`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(busy.socket.destroyed, false, 'a tunnel with traffic stays open');
    } finally {
      clearInterval(ticker);
    }
    await eventually(() => backend.open.size === 1);
    const isIdleLine = (l: LogLine) => l.message === 'websocket' && l.fields.closed === 'idle';
    await eventually(() => logs.some(isIdleLine));
    const idleLine = logs.find(isIdleLine);
    assert.equal(idleLine?.fields.status, 101);
    assert.equal((await gateway.metrics.websocketIdleCloses.get()).values[0]?.value, 1);
    busy.socket.destroy();
    await eventually(() => backend.open.size === 0);
  } finally {
    await gateway.stop();
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
