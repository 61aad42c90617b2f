import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import { PeerRequestError } from '../../../adapters/peer-http/peer-request-error.ts';
import type {
  PeerHttpClient,
  PeerHttpClientOptions,
} from '../../../adapters/peer-http/peer-http-types.ts';
import {
  fakeLookup,
  startPeerServer,
  type Handler,
  type PeerTestServer,
} from './peer-test-server.ts';

const clients: PeerHttpClient[] = [];
const servers: PeerTestServer[] = [];
function client(options: Partial<PeerHttpClientOptions> = {}): PeerHttpClient {
  const c = createPeerHttpClient({ allowPrivatePeers: true, totalTimeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}
async function server(handler: Handler): Promise<PeerTestServer> {
  const s = await startPeerServer(handler);
  servers.push(s);
  return s;
}
after(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function refusal(promise: Promise<unknown>): Promise<PeerRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PeerRequestError, String(error));
    return error;
  }
  assert.fail('the call should have failed');
}

const kib = (n: number) => Buffer.alloc(n * 1024, 'x');

test('the size cap is enforced while the body streams in (no Content-Length)', async () => {
  let written = 0;
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const pump = (): void => {
      // Keeps writing far past the cap; stops once the client has gone.
      while (written < 64 * 1024 * 1024 && !res.destroyed) {
        written += 16 * 1024;
        if (!res.write(kib(16))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  const peer = client({ maxResponseBytes: 100 * 1024 });
  const error = await refusal(peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'json' }));
  assert.equal(error.failure, 'response-too-large');
  assert.equal(error.code, 'UPSTREAM_UNREACHABLE');
  assert.match(error.message, /larger than the 102400-byte limit/);
  assert.ok(written < 64 * 1024 * 1024, 'the client stopped reading early');
});

test('a declared Content-Length above the cap fails before reading; per-call maxBytes wins', async () => {
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-length': String(10 * 1024) });
    res.end(kib(10));
  });
  const peer = client({ maxResponseBytes: 1024 });
  const error = await refusal(peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'text' }));
  assert.equal(error.failure, 'response-too-large');
  const ok = await peer.request({
    url: `http://127.0.0.1:${s.port}/`,
    expect: 'text',
    maxBytes: 20 * 1024,
  });
  assert.equal(ok.text.length, 10 * 1024);
});

test('stream responses pass bytes through and stop at their cap', async () => {
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(kib(8));
    res.end(kib(8));
  });
  const peer = client();
  const whole = await peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'stream' });
  let total = 0;
  for await (const chunk of whole.body) total += (chunk as Buffer).length;
  assert.equal(total, 16 * 1024);

  const capped = await peer.request({
    url: `http://127.0.0.1:${s.port}/`,
    expect: 'stream',
    maxBytes: 4 * 1024,
  });
  await assert.rejects(
    (async () => {
      for await (const chunk of capped.body) assert.ok(chunk);
    })(),
    (error: unknown) => error instanceof PeerRequestError && error.failure === 'response-too-large',
  );
});

test('a server that never answers hits the total timeout, well within bounds', async () => {
  const s = await server(() => undefined);
  const peer = client({ totalTimeoutMs: 300 });
  const started = performance.now();
  const error = await refusal(
    peer.request({ url: `http://127.0.0.1:${s.port}/ocm-provider`, expect: 'json' }),
  );
  const elapsed = performance.now() - started;
  assert.equal(error.failure, 'timeout');
  assert.equal(error.code, 'UPSTREAM_TIMEOUT');
  assert.equal(error.status, 504);
  assert.match(error.message, /^peer http:\/\/127\.0\.0\.1:\d+: no complete answer within 300 ms$/);
  assert.ok(elapsed >= 250 && elapsed < 1_500, `took ${elapsed} ms`);
});

test('a body that trickles forever also hits the total timeout', async () => {
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"a":');
    const tick = setInterval(() => {
      if (res.destroyed) clearInterval(tick);
      else res.write(' ');
    }, 20);
  });
  const peer = client({ totalTimeoutMs: 300 });
  const error = await refusal(peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'json' }));
  assert.equal(error.failure, 'timeout');
});

test('a stream that goes quiet after its headers ends with an idle timeout', async () => {
  const s = await server((_req, res) => {
    res.writeHead(200);
    res.write('start');
  });
  const peer = client({ totalTimeoutMs: 200 });
  const response = await peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'stream' });
  await assert.rejects(
    (async () => {
      for await (const chunk of response.body) assert.ok(chunk);
    })(),
    (error: unknown) => error instanceof PeerRequestError && error.failure === 'timeout',
  );
});

test('a TLS handshake that never completes is a connect timeout', async () => {
  const held = new Set<Socket>();
  const silent = createServer((socket) => held.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  try {
    const dns = fakeLookup({ 'peer.example': [['127.0.0.1']] });
    const peer = client({
      allowPrivatePeers: false,
      allowlistedHosts: ['peer.example'],
      lookup: dns.lookup,
      connectTimeoutMs: 200,
    });
    const started = performance.now();
    const error = await refusal(
      peer.request({ url: `https://peer.example:${port}/`, expect: 'json' }),
    );
    assert.equal(error.failure, 'connect-timeout');
    assert.equal(error.code, 'UPSTREAM_TIMEOUT');
    assert.ok(performance.now() - started < 1_500);
    assert.equal(held.size, 1);
  } finally {
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('a slow resolver counts against the connect timeout', async () => {
  const peer = client({
    connectTimeoutMs: 150,
    lookup: () =>
      new Promise((resolve) =>
        setTimeout(() => resolve([{ address: '127.0.0.1', family: 4 }]), 2_000).unref(),
      ),
  });
  const error = await refusal(peer.request({ url: 'https://slow-dns.example/', expect: 'json' }));
  assert.equal(error.failure, 'connect-timeout');
});

test('the caller can abort a call', async () => {
  const s = await server(() => undefined);
  const peer = client();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const error = await refusal(
    peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'json', signal: controller.signal }),
  );
  assert.equal(error.failure, 'aborted');
});

test('JSON is read whatever the content type; non-JSON leaves json undefined', async () => {
  const s = await server((req, res) => {
    if (req.url === '/json-as-html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('\ufeff  {"enabled":true,"apiVersion":"1.0-proposal1"}\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>Not found</html>');
    }
  });
  const peer = client();
  const good = await peer.request({
    url: `http://127.0.0.1:${s.port}/json-as-html`,
    expect: 'json',
  });
  assert.deepEqual(good.json, { enabled: true, apiVersion: '1.0-proposal1' });
  const bad = await peer.request({ url: `http://127.0.0.1:${s.port}/missing`, expect: 'json' });
  assert.equal(bad.status, 404);
  assert.equal(bad.json, undefined);
  assert.equal(bad.text, '<html>Not found</html>');
});

test('close() ends keep-alive connections and refuses later calls', async () => {
  const s = await server((_req, res) => res.end('ok'));
  const peer = client();
  await peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'text' });
  peer.close();
  const error = await refusal(peer.request({ url: `http://127.0.0.1:${s.port}/`, expect: 'text' }));
  assert.equal(error.failure, 'client-closed');
});

test('bad options are reported by name, all at once', () => {
  assert.throws(
    () =>
      createPeerHttpClient({
        allowPrivatePeers: false,
        denyNetworks: ['10.0.0.1/8'],
        allowlistedHosts: ['bad host'],
        maxRedirects: -1,
        connectTimeoutMs: 0,
      }),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /denyNetworks\.0: host bits are set/);
      assert.match(error.message, /allowlistedHosts\.0/);
      assert.match(error.message, /maxRedirects/);
      assert.match(error.message, /connectTimeoutMs/);
      return true;
    },
  );
});

test('per-call limits must make sense: a NaN cap is refused, not read as "no cap"', async () => {
  const peer = client();
  const nan = await refusal(
    peer.request({ url: 'http://127.0.0.1:1/', expect: 'json', maxBytes: Number.NaN }),
  );
  assert.equal(nan.failure, 'invalid-url');
  const zero = await refusal(
    peer.request({ url: 'http://127.0.0.1:1/', expect: 'json', totalTimeoutMs: 0 }),
  );
  assert.match(zero.message, /totalTimeoutMs/);
});
