import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  absoluteForm,
  connectThrough,
  startPlainServer,
  startProxyHarness,
  type ProxyHarness,
  type TestServer,
} from './proxy-harness.ts';

describe('absolute-form requests (plain-http federation calls of the backend)', () => {
  let proxy: ProxyHarness;
  let peer: TestServer;
  before(async () => {
    proxy = await startProxyHarness({ allowedClients: ['127.0.0.1/32'] });
    peer = await startPlainServer();
  });
  after(async () => {
    await proxy.close();
    await peer.close();
  });

  test('a client outside the allowlist gets 403 and a log line, and nothing is forwarded', async () => {
    const before = peer.requests.length;
    const refused = await absoluteForm(proxy.port, `http://127.0.0.1:${peer.port}/anything`, {
      localAddress: '127.0.0.2',
    });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /may not use the proxy/);
    const connect = await connectThrough(proxy.port, `127.0.0.1:${peer.port}`, {
      localAddress: '127.0.0.2',
    });
    assert.equal(connect.status, 403);
    assert.equal(peer.requests.length, before);
    const warnings = proxy.logs.filter(
      (l) => l.level === 'warn' && /outside forwardProxy\.allowedClients/.test(l.message),
    );
    assert.equal(warnings.length, 2);
    assert.equal(warnings[0]?.fields.remoteAddress, '127.0.0.2');
    // Origin-form requests from anyone are not proxy use: the facade still answers them.
    const facade = await absoluteForm(
      proxy.port,
      `http://127.0.0.1:${proxy.port}/peers/x/status.php`,
    );
    assert.equal(facade.status, 200);
  });

  test('a non-federation request is forwarded unchanged, body and headers, hop-by-hop dropped', async () => {
    const answer = await absoluteForm(proxy.port, `http://127.0.0.1:${peer.port}/apps/x?q=1`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'x-custom': 'kept',
        'proxy-authorization': 'Basic c2VjcmV0',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': 'listed in Connection',
      },
      body: 'payload',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'POST /apps/x?q=1 payload');
    assert.equal(answer.headers['x-served-by'], 'test-server');
    const seen = peer.requests.at(-1);
    assert.ok(seen);
    assert.equal(seen.headers['x-custom'], 'kept');
    assert.equal(seen.headers['proxy-authorization'], undefined);
    assert.equal(seen.headers['x-drop-me'], undefined);
    assert.equal(seen.headers.host, `127.0.0.1:${peer.port}`);
    assert.equal(proxy.federationCalls.length, 0);
  });

  test('a federation path goes to the federation handler with peer host, scheme and path', async () => {
    const answer = await absoluteForm(
      proxy.port,
      `http://Peer.Example:${peer.port}/nextcloud/ocs/v2.php/cloud/shares/7/accept?format=json`,
      { method: 'POST', body: 'token=abc' },
    );
    assert.equal(answer.status, 200);
    const call = proxy.federationCalls.at(-1);
    assert.deepEqual(call, {
      peerHost: `peer.example:${peer.port}`,
      scheme: 'http',
      path: '/nextcloud/ocs/v2.php/cloud/shares/7/accept',
      url: '/nextcloud/ocs/v2.php/cloud/shares/7/accept?format=json',
      method: 'POST',
    });
    for (const path of [
      '/ocs-provider/',
      '/ocm-provider',
      '/.well-known/ocm',
      '/status.php',
      '/index.php/apps/files_sharing/shareinfo',
      '/public.php/webdav/a/b.txt',
      '/index.php/ocm/shares',
      '/ocm/notifications',
      '/index.php/apps/federatedfilesharing/shares',
      '/ocs/v1.php/cloud/shares',
    ]) {
      const before = proxy.federationCalls.length;
      await absoluteForm(proxy.port, `http://peer.example${path}`);
      assert.equal(proxy.federationCalls.length, before + 1, path);
      assert.equal(proxy.federationCalls.at(-1)?.peerHost, 'peer.example', 'default port omitted');
    }
  });

  test('requests aimed at the gateway itself are served in-process, never forwarded', async () => {
    const forwarded = peer.requests.length;
    const federation = proxy.federationCalls.length;
    for (const host of [`127.0.0.1:${proxy.port}`, `localhost:${proxy.port}`]) {
      const answer = await absoluteForm(
        proxy.port,
        `http://${host}/peers/cloud.peer.example/ocs/v2.php/cloud/shares?x=1`,
        { method: 'POST', body: 'shareWith=a' },
      );
      assert.equal(answer.status, 200, host);
      assert.deepEqual(JSON.parse(answer.body), {
        facade: true,
        url: '/peers/cloud.peer.example/ocs/v2.php/cloud/shares?x=1',
      });
    }
    // A facade URL built on the public host is the facade too; other public paths are the public app.
    const facade = await absoluteForm(
      proxy.port,
      'http://cloud.gateway.example:443/peers/p/status.php',
    );
    assert.equal(facade.status, 200);
    const viaHttps = await absoluteForm(
      proxy.port,
      'https://cloud.gateway.example/peers/p/status.php',
    );
    assert.deepEqual(JSON.parse(viaHttps.body), { facade: true, url: '/peers/p/status.php' });
    const pub = await absoluteForm(proxy.port, 'https://cloud.gateway.example/status.php');
    assert.equal(pub.body, 'public app');
    assert.deepEqual(proxy.publicCalls, ['/status.php']);
    assert.equal(proxy.facadeCalls.length >= 3, true);
    assert.equal(peer.requests.length, forwarded);
    assert.equal(proxy.federationCalls.length, federation);
  });

  test('bad proxy requests are refused with a reason', async () => {
    const credentials = await absoluteForm(proxy.port, `http://user:pw@127.0.0.1:${peer.port}/`);
    assert.equal(credentials.status, 400);
    assert.match(credentials.body, /credentials/);
  });
});

describe('tunnelPolicy deny', () => {
  let proxy: ProxyHarness;
  let peer: TestServer;
  before(async () => {
    proxy = await startProxyHarness({ tunnelPolicy: 'deny' });
    peer = await startPlainServer();
  });
  after(async () => {
    await proxy.close();
    await peer.close();
  });

  test('only federation calls pass; other requests and tunnels are refused, nothing leaves', async () => {
    const other = await absoluteForm(proxy.port, `http://127.0.0.1:${peer.port}/apps/updater`);
    assert.equal(other.status, 403);
    assert.match(other.body, /tunnelPolicy is deny/);
    const tunnel = await connectThrough(proxy.port, `127.0.0.1:${peer.port}`);
    assert.equal(tunnel.status, 403);
    assert.equal(peer.requests.length, 0);
    const federation = await absoluteForm(proxy.port, `http://127.0.0.1:${peer.port}/status.php`);
    assert.equal(federation.status, 200);
    assert.equal(proxy.federationCalls.length, 1);
  });
});
