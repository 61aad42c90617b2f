import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import { PeerRequestError } from '../../../adapters/peer-http/peer-request-error.ts';
import type {
  PeerHttpClient,
  PeerHttpClientOptions,
} from '../../../adapters/peer-http/peer-http-types.ts';
import {
  TEST_CA,
  fakeLookup,
  json,
  startPeerServer,
  type PeerTestServer,
} from './peer-test-server.ts';

// The fixture certificate is for peer.example and *.peer.example, signed by the test CA.
let tlsServer: PeerTestServer;
const clients: PeerHttpClient[] = [];
function client(options: Partial<PeerHttpClientOptions>): PeerHttpClient {
  const c = createPeerHttpClient({
    allowPrivatePeers: false,
    allowlistedHosts: ['peer.example', 'www.peer.example', 'other.example'],
    extraCaCerts: [TEST_CA],
    totalTimeoutMs: 5_000,
    ...options,
  });
  clients.push(c);
  return c;
}
const dns = () =>
  fakeLookup({
    'peer.example': [['127.0.0.1']],
    'www.peer.example': [['127.0.0.1']],
    'other.example': [['127.0.0.1']],
  });

before(async () => {
  tlsServer = await startPeerServer(
    (req, res) => {
      if (req.url === '/downgrade') {
        res.writeHead(302, { location: `http://peer.example:${tlsServer.port}/plain` });
        res.end();
      } else json(res, 200, { secure: true }, 'text/html');
    },
    { tls: true },
  );
});
after(async () => {
  for (const c of clients) c.close();
  await tlsServer.close();
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

test('https connects to the checked address while SNI and the certificate use the name', async () => {
  const peer = client({ lookup: dns().lookup });
  const response = await peer.request({
    url: `https://peer.example:${tlsServer.port}/.well-known/ocm`,
    expect: 'json',
  });
  assert.deepEqual(response.json, { secure: true }); // JSON although served as text/html
  assert.equal(response.remoteAddress, '127.0.0.1');
  assert.equal(tlsServer.requests.at(-1)?.servername, 'peer.example');
});

test('a certificate for another name fails as a TLS error, never silently', async () => {
  const peer = client({ lookup: dns().lookup });
  const error = await refusal(
    peer.request({ url: `https://other.example:${tlsServer.port}/`, expect: 'json' }),
  );
  assert.equal(error.failure, 'tls-failed');
  assert.equal(error.code, 'UPSTREAM_UNREACHABLE');
  assert.match(error.message, /ERR_TLS_CERT_ALTNAME_INVALID/);
});

test('an untrusted issuer fails (no extra CA given)', async () => {
  const peer = client({ lookup: dns().lookup, extraCaCerts: [] });
  const error = await refusal(
    peer.request({ url: `https://peer.example:${tlsServer.port}/`, expect: 'json' }),
  );
  assert.equal(error.failure, 'tls-failed');
});

test('a redirect from https down to http is refused', async () => {
  const peer = client({ lookup: dns().lookup, allowHttpHosts: ['peer.example'] });
  const error = await refusal(
    peer.request({ url: `https://peer.example:${tlsServer.port}/downgrade`, expect: 'json' }),
  );
  assert.equal(error.failure, 'redirect-refused');
  assert.match(error.message, /downgrades https to http/);
});

test('keep-alive: consecutive calls to one origin reuse one TLS connection', async () => {
  const before = tlsServer.connections();
  const peer = client({ lookup: dns().lookup });
  for (let i = 0; i < 3; i += 1) {
    await peer.request({ url: `https://peer.example:${tlsServer.port}/k${i}`, expect: 'text' });
  }
  assert.equal(tlsServer.connections() - before, 1);
});
