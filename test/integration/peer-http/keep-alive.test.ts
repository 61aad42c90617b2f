import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import { PeerRequestError } from '../../../adapters/peer-http/peer-request-error.ts';
import { startPeerServer, type PeerTestServer } from './peer-test-server.ts';

const servers: PeerTestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Answers the first request on each connection, then drops the connection on the next one. */
async function flakyKeepAliveServer(): Promise<PeerTestServer> {
  const served = new WeakSet<Socket>();
  const s = await startPeerServer((req, res) => {
    if (served.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    served.add(req.socket);
    res.end('fresh');
  });
  servers.push(s);
  return s;
}

test('sequential calls to one origin share a keep-alive connection', async () => {
  const s = await startPeerServer((_req, res) => res.end('ok'));
  servers.push(s);
  const peer = createPeerHttpClient({ allowPrivatePeers: true });
  try {
    for (let i = 0; i < 4; i += 1) {
      await peer.request({ url: `http://127.0.0.1:${s.port}/${i}`, expect: 'text' });
    }
    assert.equal(s.connections(), 1);
  } finally {
    peer.close();
  }
});

test('an idempotent call on a pooled connection the peer just dropped is retried once', async () => {
  const s = await flakyKeepAliveServer();
  const peer = createPeerHttpClient({ allowPrivatePeers: true });
  try {
    await peer.request({ url: `http://127.0.0.1:${s.port}/a`, expect: 'text' });
    const again = await peer.request({ url: `http://127.0.0.1:${s.port}/b`, expect: 'text' });
    assert.equal(again.text, 'fresh');
    assert.equal(s.connections(), 2);
  } finally {
    peer.close();
  }
});

test('a POST on a dropped pooled connection is not resent', async () => {
  const s = await flakyKeepAliveServer();
  const peer = createPeerHttpClient({ allowPrivatePeers: true });
  try {
    await peer.request({ url: `http://127.0.0.1:${s.port}/a`, expect: 'text' });
    await assert.rejects(
      peer.request({
        method: 'POST',
        url: `http://127.0.0.1:${s.port}/shares`,
        body: '{}',
        expect: 'json',
      }),
      (error: unknown) => error instanceof PeerRequestError && error.failure === 'connect-failed',
    );
    assert.equal(s.requests.filter((r) => r.method === 'POST').length, 1);
  } finally {
    peer.close();
  }
});
