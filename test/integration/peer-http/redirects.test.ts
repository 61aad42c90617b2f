import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import { PeerRequestError } from '../../../adapters/peer-http/peer-request-error.ts';
import type {
  PeerHttpClient,
  PeerHttpClientOptions,
} from '../../../adapters/peer-http/peer-http-types.ts';
import {
  fakeLookup,
  json,
  startPeerServer,
  startTwinServers,
  type Handler,
  type PeerTestServer,
} from './peer-test-server.ts';

const clients: PeerHttpClient[] = [];
const servers: PeerTestServer[] = [];
function client(options: Partial<PeerHttpClientOptions>): PeerHttpClient {
  const c = createPeerHttpClient({ allowPrivatePeers: false, totalTimeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}
async function server(handler: Handler, host = '127.0.0.1'): Promise<PeerTestServer> {
  const s = await startPeerServer(handler, { host });
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
  assert.fail('the call should have been refused');
}

/** `/hop/N` redirects to `/hop/N+1` until `/hop/last`. */
function chain(last: number): Handler {
  return (req, res) => {
    const n = Number(/^\/hop\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    if (n >= last) json(res, 200, { hops: n });
    else {
      res.writeHead(302, { location: `/hop/${n + 1}` });
      res.end();
    }
  };
}

const peerDns = (extra: Record<string, string[][]> = {}) =>
  fakeLookup({ 'peer.example': [['127.0.0.1']], ...extra });

test('up to three redirects are followed, the fourth is refused', async () => {
  const ok = await server(chain(3));
  const peer = client({ allowPrivatePeers: true });
  const response = await peer.request({ url: `http://127.0.0.1:${ok.port}/hop/0`, expect: 'json' });
  assert.deepEqual(response.json, { hops: 3 });
  assert.equal(response.redirects, 3);
  assert.equal(response.url, `http://127.0.0.1:${ok.port}/hop/3`);

  const endless = await server(chain(1_000));
  const error = await refusal(
    peer.request({ url: `http://127.0.0.1:${endless.port}/hop/0`, expect: 'json' }),
  );
  assert.equal(error.failure, 'too-many-redirects');
  assert.equal(error.code, 'UPSTREAM_UNREACHABLE');
  assert.equal(endless.requests.length, 4);
});

test('followRedirects: false returns the 3xx as it is', async () => {
  const s = await server(chain(5));
  const peer = client({ allowPrivatePeers: true });
  const response = await peer.request({
    url: `http://127.0.0.1:${s.port}/hop/0`,
    expect: 'text',
    followRedirects: false,
  });
  assert.equal(response.status, 302);
  assert.equal(response.headers.location, '/hop/1');
});

test('a cross-site redirect is refused and the other site is never contacted', async () => {
  const evil = await server((_req, res) => json(res, 200, { stolen: true }));
  const peerServer = await server((_req, res) => {
    res.writeHead(301, { location: `http://evil.example:${evil.port}/` });
    res.end();
  });
  const dns = peerDns({ 'evil.example': [['127.0.0.1']] });
  const peer = client({
    allowlistedHosts: ['peer.example', 'evil.example'],
    allowHttpHosts: ['peer.example', 'evil.example'],
    lookup: dns.lookup,
  });
  const error = await refusal(
    peer.request({ url: `http://peer.example:${peerServer.port}/`, expect: 'json' }),
  );
  assert.equal(error.failure, 'redirect-refused');
  assert.equal(error.code, 'FORBIDDEN');
  assert.match(error.message, /leaves the peer's site \(to evil\.example\)/);
  assert.equal(evil.connections(), 0);
  assert.deepEqual(dns.calls, ['peer.example']);
});

test('each hop is guarded: a same-site redirect to a private address is refused', async () => {
  // peer.example (allowlisted) → 127.0.0.1; evil.peer.example → 127.0.0.2 is not allowlisted.
  const twins = await startTwinServers((req, res) => {
    if (req.socket.localAddress === '127.0.0.1') {
      res.writeHead(302, { location: `http://evil.peer.example:${twins.second.port}/internal` });
      res.end();
    } else json(res, 200, { internal: true });
  });
  servers.push(twins.first, twins.second);
  const dns = peerDns({ 'evil.peer.example': [['127.0.0.2']] });
  const peer = client({
    allowlistedHosts: ['peer.example'],
    allowHttpHosts: ['peer.example', 'evil.peer.example'],
    lookup: dns.lookup,
  });
  const error = await refusal(
    peer.request({ url: `http://peer.example:${twins.first.port}/`, expect: 'json' }),
  );
  assert.equal(error.failure, 'address-refused');
  assert.equal(error.addressClass, 'loopback');
  assert.equal(error.origin, `http://evil.peer.example:${twins.second.port}`);
  assert.equal(twins.second.connections(), 0);
  assert.deepEqual(dns.calls, ['peer.example', 'evil.peer.example']);
});

test('credentials and signatures are dropped when the redirect leaves the origin', async () => {
  const s = await server((req, res) => {
    if (req.url === '/start') {
      res.writeHead(307, { location: `http://dav.peer.example:${s.port}/moved` });
      res.end();
    } else if (req.url === '/same') {
      res.writeHead(308, { location: '/kept' });
      res.end();
    } else json(res, 200, { url: req.url });
  });
  const dns = peerDns({ 'dav.peer.example': [['127.0.0.1']] });
  const peer = client({
    allowlistedHosts: ['peer.example', 'dav.peer.example'],
    allowHttpHosts: ['peer.example', 'dav.peer.example'],
    lookup: dns.lookup,
  });
  const headers = {
    authorization: 'Bearer s3cret',
    signature: 'sig1=:AAAA:',
    'signature-input': 'sig1=("@method");keyid="k"',
    'content-type': 'application/json',
  };
  await peer.request({
    method: 'POST',
    url: `http://peer.example:${s.port}/start`,
    headers,
    body: '{"a":1}',
    expect: 'json',
  });
  const [first, moved] = s.requests;
  assert.equal(first?.headers.authorization, 'Bearer s3cret');
  assert.equal(moved?.url, '/moved');
  assert.equal(moved.headers.host, `dav.peer.example:${s.port}`);
  assert.equal(moved.headers.authorization, undefined);
  assert.equal(moved.headers.signature, undefined);
  assert.equal(moved.headers['signature-input'], undefined);
  assert.equal(moved.method, 'POST'); // 307 keeps method and body
  assert.equal(moved.body, '{"a":1}');

  await peer.request({
    method: 'POST',
    url: `http://peer.example:${s.port}/same`,
    headers,
    body: '{"b":2}',
    expect: 'json',
  });
  const kept = s.requests[3];
  assert.equal(kept?.url, '/kept');
  assert.equal(kept.headers.authorization, 'Bearer s3cret');
  assert.equal(kept.body, '{"b":2}');
});

test('a 302 after POST continues as a GET without the body', async () => {
  const s = await server((req, res) => {
    if (req.url === '/shares') {
      res.writeHead(302, { location: '/done' });
      res.end();
    } else json(res, 200, { method: req.method });
  });
  const peer = client({ allowPrivatePeers: true });
  const response = await peer.request({
    method: 'POST',
    url: `http://127.0.0.1:${s.port}/shares`,
    headers: { 'content-type': 'application/json' },
    body: '{"x":1}',
    expect: 'json',
  });
  assert.deepEqual(response.json, { method: 'GET' });
  const done = s.requests[1];
  assert.equal(done?.body, '');
  assert.equal(done.headers['content-type'], undefined);
  assert.equal(done.headers['content-length'], undefined);
});
