/**
 * A modern OCM 1.3 peer for the federation scenarios: discovery naming its endPoint, an Ed25519
 * key in its JWKS (what the gateway verifies the shares' RFC 9421 signatures against), an
 * endPoint taking the shares the backend sends it, and the WebDAV behind its own shares, serving generated bodies of any size and counting uploaded bytes so
 * no body ever exists in memory. It announces its private key (PKCS#8) to the bench, which hands
 * it to the load generator: the peer signs nothing itself, so its event loop only serves WebDAV.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { generatedBody } from './generated-body.ts';
import { PEER_WEBDAV_ROOT, peerFileBytes } from './peer-paths.ts';
import { serveCommands } from './serve-commands.ts';

/** The one share secret this peer's WebDAV accepts (as `Bearer`), given by the bench. */
const SECRET = process.argv[2] ?? '';
if (SECRET.length < 16) throw new Error('peer-child: pass the share secret (≥ 16 chars)');

const pair = generateKeyPairSync('ed25519');
let origin = '';
let host = '';
const kid = () => `${host}#bench-key`;
const counts = { discovery: 0, jwks: 0, gets: 0, puts: 0, refused: 0, sharesReceived: 0 };

function json(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://peer');
  const path = url.pathname;
  if (req.method === 'GET' && (path === '/.well-known/ocm' || path === '/ocm-provider/')) {
    counts.discovery += 1;
    json(res, 200, {
      enabled: true,
      apiVersion: '1.3.0',
      endPoint: `${origin}/ocm`,
      provider: 'bench OCM 1.3 peer',
      resourceTypes: [
        { name: 'file', shareTypes: ['user'], protocols: { webdav: `${PEER_WEBDAV_ROOT}/` } },
      ],
      capabilities: ['http-sig', 'notifications'],
    });
    return;
  }
  if (req.method === 'GET' && path === '/.well-known/jwks.json') {
    counts.jwks += 1;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    json(res, 200, { keys: [{ ...jwk, kid: kid(), alg: 'EdDSA', use: 'sig' }] });
    return;
  }
  if (req.method === 'POST' && path === '/ocm/shares') {
    // Shares the backend sends out through the gateway (set-up of the accept figures): taken
    // without checking the gateway's signature, which would only cost this process time.
    req.resume();
    req.once('end', () => {
      counts.sharesReceived += 1;
      json(res, 201, { recipientDisplayName: 'Alice' });
    });
    return;
  }
  if (path.startsWith(`${PEER_WEBDAV_ROOT}/`)) {
    if (req.headers.authorization !== `Bearer ${SECRET}`) {
      counts.refused += 1;
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-length': 0 });
      res.end();
      return;
    }
    if (req.method === 'GET') {
      const bytes = peerFileBytes(path, url.searchParams.get('bytes'));
      if (bytes === undefined) {
        res.writeHead(404, { 'content-length': 0 });
        res.end();
        return;
      }
      counts.gets += 1;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes });
      pipeline(generatedBody(bytes), res).catch(() => undefined);
      return;
    }
    if (req.method === 'PUT') {
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      req.once('end', () => {
        counts.puts += 1;
        json(res, 201, { bytes: received });
      });
      return;
    }
  }
  req.resume();
  res.writeHead(404, { 'content-length': 0 });
  res.end();
});
server.keepAliveTimeout = 65_000;

const ready = serveCommands({ counts: () => Promise.resolve({ ...counts }) }, () => {
  server.closeAllConnections();
  server.close();
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  ready({
    origin,
    host,
    keyId: kid(),
    privateKeyPem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  });
});
