/** Headers that belong to this hop: Forwarded / X-Forwarded-* added, Host set to the backend, hop-by-hop removed. */
import type http from 'node:http';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  readBody,
  send,
  startGateway,
  startUpstream,
  type RunningGateway,
  type RunningServer,
} from './passthrough-harness.ts';

describe('forwarded and hop-by-hop headers', () => {
  let upstream: RunningServer;
  let gateway: RunningGateway;
  let gatewayV6: RunningGateway;
  let last: http.IncomingHttpHeaders = {};

  before(async () => {
    upstream = await startUpstream((req, res) => {
      void readBody(req).then(() => {
        last = req.headers;
        if (req.url === '/hop-response') {
          res.writeHead(200, {
            connection: 'keep-alive, x-backend-internal',
            'keep-alive': 'timeout=99, max=7',
            'x-backend-internal': 'do-not-leak',
            'proxy-authenticate': 'Basic realm="backend proxy"',
            upgrade: 'h2c',
            trailer: 'x-checksum',
            'x-end-to-end': 'kept',
          });
        }
        res.end('ok');
      });
    });
    const backendUrl = new URL(upstream.origin);
    gateway = await startGateway({
      backendUrl,
      publicUrl: new URL('https://cloud.example.org:8443/'),
    });
    gatewayV6 = await startGateway({
      backendUrl,
      publicUrl: new URL('http://files.example.net'),
      host: '::1',
    });
  });

  after(async () => {
    await gateway.close();
    await gatewayV6.close();
    await upstream.close();
  });

  test('the backend sees its own Host; the public identity travels in X-Forwarded-* and Forwarded', async () => {
    await send(gateway.port, { path: '/x', headers: { host: 'evil.example' } });
    assert.equal(last.host, `127.0.0.1:${upstream.port}`);
    assert.equal(last['x-forwarded-proto'], 'https');
    assert.equal(last['x-forwarded-host'], 'cloud.example.org:8443');
    assert.equal(last['x-forwarded-port'], '8443');
    assert.equal(last['x-forwarded-for'], '127.0.0.1');
    assert.equal(last.forwarded, 'for=127.0.0.1;host="cloud.example.org:8443";proto=https');
  });

  test('client-supplied X-Forwarded-Proto/Host/Port are replaced, not trusted', async () => {
    await send(gateway.port, {
      path: '/x',
      headers: {
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-port': '1',
      },
    });
    assert.equal(last['x-forwarded-proto'], 'https');
    assert.equal(last['x-forwarded-host'], 'cloud.example.org:8443');
    assert.equal(last['x-forwarded-port'], '8443');
  });

  test('X-Forwarded-For and Forwarded chains are appended to', async () => {
    await send(gateway.port, {
      path: '/x',
      headers: {
        'x-forwarded-for': '203.0.113.7, 198.51.100.2',
        forwarded: 'for=203.0.113.7;proto=https, for="[2001:db8::1]"',
      },
    });
    assert.equal(last['x-forwarded-for'], '203.0.113.7, 198.51.100.2, 127.0.0.1');
    assert.equal(
      last.forwarded,
      'for=203.0.113.7;proto=https, for="[2001:db8::1]", for=127.0.0.1;host="cloud.example.org:8443";proto=https',
    );
  });

  test('an IPv6 client is quoted and bracketed in Forwarded, plain in X-Forwarded-For', async () => {
    await send(gatewayV6.port, { path: '/x', host: '::1' });
    assert.equal(last['x-forwarded-for'], '::1');
    assert.equal(last.forwarded, 'for="[::1]";host=files.example.net;proto=http');
    assert.equal(last['x-forwarded-port'], '80');
  });

  test('hop-by-hop request headers, and headers listed in Connection, do not reach the backend', async () => {
    await send(gateway.port, {
      path: '/x',
      headers: {
        connection: 'keep-alive, upgrade, x-hop-only, x-request-id, x-forwarded-for',
        'keep-alive': 'timeout=30',
        upgrade: 'websocket',
        te: 'trailers',
        'proxy-authorization': 'Basic c2VjcmV0',
        'x-hop-only': 'gone',
        'x-request-id': 'req-7',
        'x-end-to-end': 'kept',
      },
    });
    for (const name of ['keep-alive', 'upgrade', 'te', 'proxy-authorization', 'x-hop-only']) {
      assert.equal(last[name], undefined, name);
    }
    // node's client states its own connection management toward the pooled backend socket.
    assert.equal(last.connection, 'keep-alive');
    assert.equal(last['x-end-to-end'], 'kept');
    // Headers the gateway vouches for survive a client's attempt to strip them via Connection.
    assert.equal(last['x-request-id'], 'req-7');
    assert.equal(last['x-forwarded-for'], '127.0.0.1');
  });

  test('Expect is answered on the client hop and not forwarded', async () => {
    await send(gateway.port, {
      method: 'PUT',
      path: '/x',
      headers: { expect: '100-continue' },
      body: 'payload',
    });
    assert.equal(last.expect, undefined);
  });

  test('hop-by-hop response headers, and headers listed in Connection, do not reach the client', async () => {
    const response = await send(gateway.port, { path: '/hop-response' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-backend-internal'], undefined);
    assert.equal(response.headers['proxy-authenticate'], undefined);
    assert.equal(response.headers.upgrade, undefined);
    assert.equal(response.headers.trailer, undefined);
    // node's server states its own keep-alive policy, never the backend's.
    assert.notEqual(response.headers['keep-alive'], 'timeout=99, max=7');
    assert.equal(response.headers['x-end-to-end'], 'kept');
    assert.equal(response.body.toString(), 'ok');
  });
});
