/** Backend failures become clear 502/503/504 answers or a cut connection; a client that leaves aborts the backend call. */
import http from 'node:http';
import net from 'node:net';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  errorBody,
  eventually,
  onlyUpstreamError,
  listen,
  send,
  startGateway,
  startUpstream,
  type RunningServer,
} from './passthrough-harness.ts';

async function closedPort(): Promise<number> {
  const running = await startUpstream(() => undefined);
  await running.close();
  return running.port;
}

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Starts a raw server answering each connection with `reply`. */
async function rawServer(reply: (socket: net.Socket) => void): Promise<RunningServer> {
  const server = http.createServer();
  server.removeAllListeners('connection');
  server.on('connection', (socket: net.Socket) => {
    socket.once('data', () => {
      reply(socket);
    });
  });
  return listen(server);
}

/** Sends a request and settles with how the response ended: complete, or cut after the headers. */
function fetchOutcome(
  port: number,
  path: string,
): Promise<{ status: number; outcome: 'complete' | 'cut'; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, outcome: 'complete', bytes });
      });
      res.on('error', () => {
        resolve({ status: res.statusCode ?? 0, outcome: 'cut', bytes });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('upstream failures', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('connection refused → 503 with Retry-After and a JSON body that names no internal address', async () => {
    const port = await closedPort();
    const gateway = await startGateway({
      backendUrl: new URL(`http://127.0.0.1:${port}/nextcloud`),
      retryAfterSeconds: 7,
    });
    cleanups.push(gateway.close);
    const response = await send(gateway.port, {
      method: 'PUT',
      path: '/remote.php/dav/files/x/a.txt?token=secret',
      headers: { 'x-request-id': 'req-1' },
      body: 'data',
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers['retry-after'], '7');
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = errorBody(response);
    assert.equal(body.message, 'BACKEND_UNREACHABLE');
    assert.match(body.detail, /could not be reached/);
    assert.doesNotMatch(response.body.toString(), new RegExp(`127\\.0\\.0\\.1|${port}|nextcloud`));
    assert.equal(gateway.events.length, 1);
    assert.deepEqual(
      { ...gateway.events[0], errorMessage: undefined },
      {
        kind: 'unreachable',
        method: 'PUT',
        path: '/remote.php/dav/files/x/a.txt',
        requestId: 'req-1',
        errorCode: 'ECONNREFUSED',
        errorMessage: undefined,
        status: 503,
      },
    );
  });

  test('a backend that accepts TCP but never completes TLS → 503 after connectTimeoutMs', async () => {
    const silent = await silentServer();
    cleanups.push(silent.close);
    const gateway = await startGateway({
      backendUrl: new URL(`https://127.0.0.1:${silent.port}`),
      connectTimeoutMs: 200,
    });
    cleanups.push(gateway.close);
    const started = Date.now();
    const response = await send(gateway.port, { path: '/status.php' });
    const elapsed = Date.now() - started;
    assert.equal(response.status, 503);
    assert.ok(elapsed >= 180 && elapsed < 5000, `answered after ${elapsed} ms`);
    assert.equal(errorBody(response).message, 'BACKEND_UNREACHABLE');
    const event = onlyUpstreamError(gateway);
    assert.equal(event.kind, 'unreachable');
    assert.equal(event.errorCode, 'GATEWAY_CONNECT_TIMEOUT');
  });

  test('no response headers within responseTimeoutMs → 504, and the backend request is aborted', async () => {
    let backendSawClose = false;
    const upstream = await startUpstream((_req, res) => {
      res.on('close', () => {
        backendSawClose = !res.writableFinished;
      });
    });
    cleanups.push(upstream.close);
    const gateway = await startGateway({
      backendUrl: new URL(upstream.origin),
      responseTimeoutMs: 300,
    });
    cleanups.push(gateway.close);
    const started = Date.now();
    const response = await send(gateway.port, { path: '/slow' });
    const elapsed = Date.now() - started;
    assert.equal(response.status, 504);
    assert.ok(elapsed >= 280 && elapsed < 5000, `answered after ${elapsed} ms`);
    const body = errorBody(response);
    assert.equal(body.message, 'BACKEND_TIMEOUT');
    assert.match(body.detail, /0\.3 s/);
    assert.equal(response.headers['retry-after'], undefined);
    await eventually(() => backendSawClose);
    assert.equal(onlyUpstreamError(gateway).kind, 'timeout');
    assert.equal(onlyUpstreamError(gateway).status, 504);
  });

  test('a slow upload is the client’s time: the response clock starts once the body is sent', async () => {
    const upstream = await startUpstream((req, res) => {
      req.resume();
      req.on('end', () => res.end('stored'));
    });
    cleanups.push(upstream.close);
    const gateway = await startGateway({
      backendUrl: new URL(upstream.origin),
      responseTimeoutMs: 1000,
    });
    cleanups.push(gateway.close);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: gateway.port, method: 'PUT', path: '/upload', agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      let sent = 0;
      const tick = setInterval(() => {
        sent += 1;
        if (sent < 4) req.write('part ');
        else {
          clearInterval(tick);
          req.end('last');
        }
      }, 400);
    });
    assert.equal(status, 200);
    assert.deepEqual(gateway.events, []);
  });

  test('a connection dropped before any response → 502 BACKEND_BAD_RESPONSE', async () => {
    const upstream = await rawServer((socket) => socket.destroy());
    cleanups.push(upstream.close);
    const gateway = await startGateway({ backendUrl: new URL(upstream.origin) });
    cleanups.push(gateway.close);
    const response = await send(gateway.port, { method: 'POST', path: '/x', body: 'a' });
    assert.equal(response.status, 502);
    assert.equal(response.headers['retry-after'], undefined);
    assert.equal(errorBody(response).message, 'BACKEND_BAD_RESPONSE');
    assert.equal(onlyUpstreamError(gateway).kind, 'bad-response');
    assert.equal(onlyUpstreamError(gateway).status, 502);
  });

  test('an invalid HTTP response → 502', async () => {
    const upstream = await rawServer((socket) => socket.end('this is not http\r\n\r\n'));
    cleanups.push(upstream.close);
    const gateway = await startGateway({ backendUrl: new URL(upstream.origin) });
    cleanups.push(gateway.close);
    const response = await send(gateway.port, { path: '/x' });
    assert.equal(response.status, 502);
    assert.equal(onlyUpstreamError(gateway).kind, 'bad-response');
  });

  for (const framing of ['content-length', 'chunked'] as const) {
    test(`a backend failing after the headers (${framing}) → the client connection is cut, never a hang`, async () => {
      const upstream = await rawServer((socket) => {
        const head =
          framing === 'content-length'
            ? 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789'
            : 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n';
        socket.write(head, () => setTimeout(() => socket.destroy(), 50));
      });
      cleanups.push(upstream.close);
      const gateway = await startGateway({ backendUrl: new URL(upstream.origin) });
      cleanups.push(gateway.close);
      const result = await fetchOutcome(gateway.port, '/big.iso');
      assert.equal(result.status, 200);
      assert.equal(result.outcome, 'cut');
      assert.equal(result.bytes, 10);
      await eventually(() => gateway.events.length === 1);
      const event = onlyUpstreamError(gateway);
      assert.equal(event.kind, 'bad-response');
      assert.equal(event.status, undefined);
    });
  }
});

describe('client aborts', () => {
  async function setup(handler: http.RequestListener) {
    const upstream = await startUpstream(handler);
    const gateway = await startGateway({ backendUrl: new URL(upstream.origin) });
    return {
      gateway,
      close: async () => {
        await gateway.close();
        await upstream.close();
      },
    };
  }

  test('mid-upload: the backend request is aborted', async () => {
    let received = 0;
    let backendAborted = false;
    const { gateway, close } = await setup((req) => {
      req.on('data', (chunk: Buffer) => (received += chunk.length));
      req.on('close', () => {
        backendAborted = !req.complete;
      });
    });
    try {
      const client = http.request({
        host: '127.0.0.1',
        port: gateway.port,
        method: 'PUT',
        path: '/remote.php/dav/files/x/big.bin',
        headers: { 'content-length': 10_000_000 },
        agent: false,
      });
      client.on('error', () => undefined);
      client.write(Buffer.alloc(64 * 1024, 1));
      await eventually(() => received > 0);
      client.destroy();
      await eventually(() => backendAborted);
      await eventually(() => gateway.events.length === 1);
      assert.deepEqual(
        gateway.events.map((event) => [event.kind, event.method, event.path]),
        [['client-aborted', 'PUT', '/remote.php/dav/files/x/big.bin']],
      );
    } finally {
      await close();
    }
  });

  test('while waiting for the response: the backend request is aborted', async () => {
    let arrived = false;
    let backendAborted = false;
    const { gateway, close } = await setup((_req, res) => {
      arrived = true;
      res.on('close', () => {
        backendAborted = !res.writableFinished;
      });
    });
    try {
      const client = http.request({
        host: '127.0.0.1',
        port: gateway.port,
        path: '/x',
        agent: false,
      });
      client.on('error', () => undefined);
      client.end();
      await eventually(() => arrived);
      client.destroy();
      await eventually(() => backendAborted);
      await eventually(() => gateway.events.length === 1);
      assert.equal(gateway.events[0]?.kind, 'client-aborted');
    } finally {
      await close();
    }
  });

  test('mid-download: the backend response stream is closed', async () => {
    let backendAborted = false;
    const { gateway, close } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const tick = setInterval(() => res.write(Buffer.alloc(16 * 1024)), 10);
      res.on('close', () => {
        clearInterval(tick);
        backendAborted = !res.writableFinished;
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const client = http.request(
          { host: '127.0.0.1', port: gateway.port, path: '/big.iso', agent: false },
          (res) => {
            res.once('data', () => {
              client.destroy();
              resolve();
            });
          },
        );
        client.on('error', () => undefined);
        client.on('close', () => {
          resolve();
        });
        client.once('error', reject);
        client.end();
      });
      await eventually(() => backendAborted);
      await eventually(() => gateway.events.length === 1);
      assert.equal(gateway.events[0]?.kind, 'client-aborted');
    } finally {
      await close();
    }
  });
});
