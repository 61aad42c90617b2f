/** The backend every pass-through figure is measured against: a plain node:http server with a 1 KiB page and WebDAV-like big files. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { generatedBody } from './generated-body.ts';
import { SMALL_PATH, WEBDAV_PATH } from './backend-paths.ts';
import { serveCommands } from './serve-commands.ts';

const SMALL = Buffer.alloc(Number(process.argv[2] ?? 1024), 'x');

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://backend');
  if (req.method === 'GET' && url.pathname === SMALL_PATH) {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': SMALL.length });
    res.end(SMALL);
    return;
  }
  if (req.method === 'GET' && url.pathname === WEBDAV_PATH) {
    const bytes = Number(url.searchParams.get('bytes'));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes });
    pipeline(generatedBody(bytes), res).catch(() => undefined);
    return;
  }
  if (req.method === 'PUT' && url.pathname === WEBDAV_PATH) {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    req.once('end', () => {
      const body = JSON.stringify({ bytes: received });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    return;
  }
  res.writeHead(404, { 'content-length': 0 });
  res.end();
});
// Longer than any pause between rounds, so a pooled connection is never closed under a request.
server.keepAliveTimeout = 65_000;

const ready = serveCommands({}, () => {
  server.closeAllConnections();
  server.close();
});
server.listen(0, '127.0.0.1', () => {
  ready({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
