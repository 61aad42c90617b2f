import { after, describe, test } from 'node:test';
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
  type PeerTestServer,
} from './peer-test-server.ts';

const clients: PeerHttpClient[] = [];
const servers: PeerTestServer[] = [];
function client(options: PeerHttpClientOptions): PeerHttpClient {
  const c = createPeerHttpClient({ connectTimeoutMs: 2_000, totalTimeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}
async function server(host = '127.0.0.1'): Promise<PeerTestServer> {
  const s = await startPeerServer((_req, res) => json(res, 200, { ok: true }), { host });
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

describe('address guard', () => {
  test('a loopback peer is refused and never receives a connection', async () => {
    const s = await server();
    const peer = client({ allowPrivatePeers: false, allowHttpHosts: ['127.0.0.1'] });
    const error = await refusal(
      peer.request({ url: `http://127.0.0.1:${s.port}/ocm-provider`, expect: 'json' }),
    );
    assert.equal(error.code, 'FORBIDDEN');
    assert.equal(error.status, 403);
    assert.equal(error.failure, 'address-refused');
    assert.equal(error.addressClass, 'loopback');
    assert.match(error.message, /loopback address/);
    assert.equal(s.connections(), 0);
  });

  test('a name that resolves to loopback is refused before connecting', async () => {
    const s = await server();
    const dns = fakeLookup({ 'peer.example': [['127.0.0.1']] });
    const peer = client({
      allowPrivatePeers: false,
      allowHttpHosts: ['peer.example'],
      lookup: dns.lookup,
    });
    const error = await refusal(
      peer.request({ url: `http://peer.example:${s.port}/?token=SECRET`, expect: 'json' }),
    );
    assert.equal(error.failure, 'address-refused');
    assert.equal(error.address, '127.0.0.1');
    // The message may reach the peer: it names the class, not the internal address or the query.
    assert.doesNotMatch(error.message, /127\.0\.0\.1|SECRET/);
    assert.equal(s.connections(), 0);
  });

  test('allowPrivatePeers lets loopback peers and plain http through', async () => {
    const s = await server();
    const peer = client({ allowPrivatePeers: true });
    const response = await peer.request({
      url: `http://127.0.0.1:${s.port}/ocm-provider`,
      expect: 'json',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { ok: true });
    assert.equal(response.remoteAddress, '127.0.0.1');
    assert.equal(s.connections(), 1);
  });

  test('an allowlisted host may be private', async () => {
    const s = await server();
    const dns = fakeLookup({ 'peer.example': [['127.0.0.1']] });
    const peer = client({
      allowPrivatePeers: false,
      allowlistedHosts: ['peer.example'],
      allowHttpHosts: ['peer.example'],
      lookup: dns.lookup,
    });
    const response = await peer.request({ url: `http://peer.example:${s.port}/x`, expect: 'text' });
    assert.equal(response.status, 200);
    const seen = s.requests[0]!;
    assert.equal(seen.headers.host, `peer.example:${s.port}`);
    assert.equal(seen.headers['user-agent'], 'ocm-federation-gateway');
    // A different port of an allowlisted "host:port" entry is not allowlisted.
    const byPort = client({
      allowPrivatePeers: false,
      allowlistedHosts: [`peer.example:${s.port + 1}`],
      allowHttpHosts: ['peer.example'],
      lookup: dns.lookup,
    });
    const error = await refusal(
      byPort.request({ url: `http://peer.example:${s.port}/x`, expect: 'text' }),
    );
    assert.equal(error.failure, 'address-refused');
  });

  test('IPv6 loopback is refused, and reachable when private peers are allowed', async () => {
    const s = await server('::1');
    const strict = client({ allowPrivatePeers: false, allowHttpHosts: ['[::1]'] });
    const error = await refusal(strict.request({ url: `http://[::1]:${s.port}/`, expect: 'json' }));
    assert.equal(error.addressClass, 'loopback');
    assert.equal(s.connections(), 0);
    const mapped = await refusal(
      strict.request({ url: `http://[::ffff:127.0.0.1]:${s.port}/`, expect: 'json' }),
    );
    assert.equal(mapped.failure, 'scheme-refused'); // not in allowHttpHosts, refused even earlier
    const lab = client({ allowPrivatePeers: true });
    const response = await lab.request({ url: `http://[::1]:${s.port}/`, expect: 'json' });
    assert.equal(response.remoteAddress, '::1');
    assert.equal(s.requests[0]?.headers.host, `[::1]:${s.port}`);
  });

  test('odd IPv4 spellings in URLs are caught as the address they denote', async () => {
    const s = await server();
    const peer = client({ allowPrivatePeers: false, allowHttpHosts: ['127.0.0.1'] });
    for (const host of ['0177.0.0.1', '2130706433', '127.1', '0x7f.1']) {
      const error = await refusal(
        peer.request({ url: `http://${host}:${s.port}/`, expect: 'json' }),
      );
      assert.equal(error.addressClass, 'loopback', host);
    }
    assert.equal(s.connections(), 0);
  });

  test('a name with one public and one internal address is refused, whatever the order', async () => {
    const s = await server();
    for (const answer of [
      ['93.184.216.34', '127.0.0.1'],
      ['127.0.0.1', '93.184.216.34'],
    ]) {
      const dns = fakeLookup({ 'peer.example': [answer] });
      const peer = client({
        allowPrivatePeers: false,
        allowHttpHosts: ['peer.example'],
        lookup: dns.lookup,
      });
      const error = await refusal(
        peer.request({ url: `http://peer.example:${s.port}/`, expect: 'json' }),
      );
      assert.equal(error.failure, 'address-refused');
    }
    assert.equal(s.connections(), 0);
  });

  test('metadata addresses and denied networks are refused even for allowlisted hosts', async () => {
    const dns = fakeLookup({
      'meta.example': [['169.254.169.254']],
      'deny.example': [['127.0.0.1']],
    });
    const peer = client({
      allowPrivatePeers: true,
      allowlistedHosts: ['meta.example', 'deny.example'],
      denyNetworks: ['127.0.0.0/8'],
      lookup: dns.lookup,
    });
    const meta = await refusal(
      peer.request({ url: 'https://meta.example/latest/meta-data/', expect: 'text' }),
    );
    assert.equal(meta.addressClass, 'metadata');
    const denied = await refusal(peer.request({ url: 'https://deny.example/', expect: 'text' }));
    assert.match(denied.message, /deny-network/);
  });
});

describe('DNS rebinding', () => {
  test('the checked address is the one connected to: a second answer is never asked for', async () => {
    const twins = await startTwinServers((_req, res) => json(res, 200, { where: 'checked' }));
    servers.push(twins.first, twins.second);
    // 127.0.0.2 stands for a public address: allowNetworks makes the guard accept it.
    const dns = fakeLookup({ 'peer.example': [['127.0.0.2'], ['127.0.0.1']] });
    const peer = client({
      allowPrivatePeers: false,
      allowNetworks: ['127.0.0.2/32'],
      allowHttpHosts: ['peer.example'],
      lookup: dns.lookup,
    });
    const response = await peer.request({
      url: `http://peer.example:${twins.second.port}/`,
      expect: 'json',
    });
    assert.equal(response.remoteAddress, '127.0.0.2');
    assert.deepEqual(dns.calls, ['peer.example']);
    assert.equal(twins.first.connections(), 0);
    assert.equal(twins.second.connections(), 1);
    // The next call resolves again, gets the rebound answer, and is refused before connecting.
    const error = await refusal(
      peer.request({ url: `http://peer.example:${twins.second.port}/`, expect: 'json' }),
    );
    assert.equal(error.addressClass, 'loopback');
    assert.equal(twins.first.connections(), 0);
  });
});

describe('scheme and port', () => {
  test('plain http is refused unless allowed; bad ports are refused', async () => {
    const s = await server();
    const dns = fakeLookup({ 'peer.example': [['127.0.0.1']] });
    const peer = client({
      allowPrivatePeers: false,
      allowlistedHosts: ['peer.example'],
      lookup: dns.lookup,
    });
    const http = await refusal(
      peer.request({ url: `http://peer.example:${s.port}/`, expect: 'json' }),
    );
    assert.equal(http.failure, 'scheme-refused');
    assert.equal(http.code, 'FORBIDDEN');
    const smtp = await refusal(peer.request({ url: 'https://peer.example:25/', expect: 'json' }));
    assert.equal(smtp.failure, 'port-refused');
    const ftp = await refusal(peer.request({ url: 'ftp://peer.example/', expect: 'json' }));
    assert.equal(ftp.failure, 'scheme-refused');
    const creds = await refusal(peer.request({ url: 'https://u:p@peer.example/', expect: 'json' }));
    assert.equal(creds.failure, 'invalid-url');
    assert.equal(creds.code, 'INVALID_REQUEST');
    const garbage = await refusal(peer.request({ url: 'not a url', expect: 'json' }));
    assert.equal(garbage.failure, 'invalid-url');
    assert.equal(s.connections(), 0);
    assert.deepEqual(dns.calls, []);
  });

  test('an unknown name is UPSTREAM_UNREACHABLE, not a crash', async () => {
    const peer = client({ allowPrivatePeers: false, lookup: fakeLookup({}).lookup });
    const error = await refusal(peer.request({ url: 'https://nowhere.example/', expect: 'json' }));
    assert.equal(error.failure, 'dns-failed');
    assert.equal(error.code, 'UPSTREAM_UNREACHABLE');
  });
});
