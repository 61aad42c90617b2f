import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  PEER_CA,
  connectThrough,
  requestOver,
  startProxyHarness,
  startTls,
  startTlsServer,
  type ProxyHarness,
  type TestServer,
} from './proxy-harness.ts';

async function tunnelTo(proxy: ProxyHarness, authority: string) {
  const answer = await connectThrough(proxy.port, authority);
  assert.equal(answer.status, 200, answer.body);
  assert.ok(answer.socket);
  return answer.socket;
}

describe('CONNECT without interception: a raw tunnel', () => {
  let proxy: ProxyHarness;
  let peer: TestServer;
  before(async () => {
    proxy = await startProxyHarness();
    peer = await startTlsServer();
  });
  after(async () => {
    await proxy.close();
    await peer.close();
  });

  test('the client sees the real server and its certificate end to end', async () => {
    const socket = await tunnelTo(proxy, `peer.example:${peer.port}`);
    const session = await startTls(socket, 'peer.example', PEER_CA);
    assert.equal(session.certificate.issuer.CN, 'peer-http test CA');
    const answer = await requestOver(session, `peer.example:${peer.port}`, '/ocs-provider/');
    assert.equal(answer.body, 'GET /ocs-provider/ ');
    assert.equal(proxy.federationCalls.length, 0, 'a tunnel is opaque');
    session.tls.destroy();
    assert.ok(proxy.logs.some((l) => l.message === 'forward proxy: CONNECT tunnelled'));
  });

  test('malformed CONNECT targets and unreachable ones are answered, not hung', async () => {
    assert.equal((await connectThrough(proxy.port, 'no-port.example')).status, 400);
    assert.equal((await connectThrough(proxy.port, 'nowhere.example:443')).status, 502);
    // A port the SSRF guard never connects to (SMTP).
    const smtp = await connectThrough(proxy.port, 'peer.example:25');
    assert.equal(smtp.status, 403);
  });

  test('the internal listener itself cannot be tunnelled to (it speaks plain HTTP)', async () => {
    const self = await connectThrough(proxy.port, `127.0.0.1:${proxy.port}`);
    assert.equal(self.status, 400);
    assert.match(self.body, /absolute-form/);
  });
});

describe('CONNECT and the SSRF guard', () => {
  let peer: TestServer;
  const proxies: ProxyHarness[] = [];
  before(async () => {
    peer = await startTlsServer();
  });
  after(async () => {
    for (const p of proxies) await p.close();
    await peer.close();
  });

  for (const intercept of [false, true]) {
    test(`a private (loopback) target is refused unless allowed (intercept: ${intercept})`, async () => {
      const strict = await startProxyHarness({ intercept, peerHttp: { allowPrivatePeers: false } });
      proxies.push(strict);
      const refused = await connectThrough(strict.port, `peer.example:${peer.port}`);
      assert.equal(refused.status, 403);
      assert.match(refused.body, /loopback/);
      assert.equal(peer.requests.length, 0);
      assert.equal(strict.leaves?.minted ?? 0, 0, 'no certificate minted for a refused target');

      const allowed = await startProxyHarness({
        intercept,
        peerHttp: { allowPrivatePeers: false, allowNetworks: ['127.0.0.0/8'] },
      });
      proxies.push(allowed);
      const opened = await connectThrough(allowed.port, `peer.example:${peer.port}`);
      assert.equal(opened.status, 200);
      opened.socket?.destroy();
    });
  }
});

describe('CONNECT with interception under the organisation CA', () => {
  let proxy: ProxyHarness;
  let peer: TestServer;
  let orgCa: string;
  before(async () => {
    proxy = await startProxyHarness({ intercept: true });
    peer = await startTlsServer();
    orgCa = proxy.ca?.certificatePem ?? '';
  });
  after(async () => {
    await proxy.close();
    await peer.close();
  });

  test('the client sees a leaf for the requested host signed by the org CA; federation calls reach the handler', async () => {
    const socket = await tunnelTo(proxy, `peer.example:${peer.port}`);
    const session = await startTls(socket, 'peer.example', orgCa);
    const leaf = new X509Certificate(session.certificate.raw);
    assert.equal(leaf.subjectAltName, 'DNS:peer.example');
    assert.ok(leaf.checkIssued(new X509Certificate(orgCa)));
    assert.equal(session.tls.alpnProtocol, false, 'no ALPN offered by the client: plain HTTP/1.1');

    const answer = await requestOver(session, `peer.example:${peer.port}`, '/ocs-provider/?x=1');
    assert.equal(answer.status, 200);
    assert.deepEqual(proxy.federationCalls.at(-1), {
      peerHost: `peer.example:${peer.port}`,
      scheme: 'https',
      path: '/ocs-provider/',
      url: '/ocs-provider/?x=1',
      method: 'GET',
    });
    // Keep-alive: a second request on the same intercepted connection.
    const share = await requestOver(
      session,
      `peer.example:${peer.port}`,
      '/ocs/v2.php/cloud/shares',
      {
        method: 'POST',
        body: 'shareWith=bob',
      },
    );
    assert.equal(share.status, 200);
    assert.equal(proxy.federationCalls.at(-1)?.method, 'POST');
    assert.equal(peer.requests.length, 0, 'the spy handler answered; nothing went to the peer');
    session.tls.destroy();
  });

  test('a non-federation path is forwarded to the real server over verified TLS', async () => {
    const socket = await tunnelTo(proxy, `peer.example:${peer.port}`);
    const session = await startTls(socket, 'peer.example', orgCa);
    const answer = await requestOver(
      session,
      `peer.example:${peer.port}`,
      '/apps/market/list?page=2',
      {
        method: 'POST',
        body: 'filter=all',
      },
    );
    session.tls.destroy();
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'POST /apps/market/list?page=2 filter=all');
    assert.equal(answer.headers['x-served-by'], 'test-server');
    assert.equal(peer.requests.at(-1)?.headers.host, `peer.example:${peer.port}`);
  });

  test('leaves are reused per host, and IP hosts get an IP subjectAltName', async () => {
    assert.ok(proxy.leaves);
    const minted = proxy.leaves.minted;
    const serials: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const socket = await tunnelTo(proxy, `peer.example:${peer.port}`);
      const session = await startTls(socket, 'peer.example', orgCa);
      serials.push(session.certificate.serialNumber);
      session.tls.destroy();
    }
    assert.equal(serials[0], serials[1]);
    assert.equal(proxy.leaves.minted, minted, 'no new certificate for a host already seen');

    const socket = await tunnelTo(proxy, `127.0.0.1:${peer.port}`);
    const session = await startTls(socket, undefined, orgCa);
    assert.equal(
      new X509Certificate(session.certificate.raw).subjectAltName,
      'IP Address:127.0.0.1',
    );
    session.tls.destroy();
    assert.equal(proxy.leaves.minted, minted + 1);
  });
});
