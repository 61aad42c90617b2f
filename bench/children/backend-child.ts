/**
 * The backend every figure is measured against: a plain node:http server with a 1 KiB page,
 * WebDAV-like big files, a POST sink, and the legacy OCS federated-sharing calls an old
 * ownCloud / Nextcloud takes (createShare and the per-share actions), answered the way OCS v2
 * answers them. It counts the OCS calls, so a scenario can prove each translated request reached it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { generatedBody } from './generated-body.ts';
import { OCS_SHARES_PATH, POST_PATH, SMALL_PATH, WEBDAV_PATH } from './backend-paths.ts';
import { serveCommands } from './serve-commands.ts';

const SMALL = Buffer.alloc(Number(process.argv[2] ?? 1024), 'x');

/** Fields an OCS createShare must carry (legacy-protocols §1.1); a missing one is a 400 as on the real servers. */
const CREATE_FIELDS = ['shareWith', 'token', 'name', 'remoteId', 'owner', 'remote'] as const;
const ocsCalls: Record<string, number> = { create: 0 };

function ocs(res: http.ServerResponse, status: number, message: string | null): void {
  const ok = status === 200;
  const body = JSON.stringify({
    ocs: {
      meta: { status: ok ? 'ok' : 'failure', statuscode: status, message: message ?? 'OK' },
      data: [],
    },
  });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Reads a form-encoded body whole (a share call is a few hundred bytes), then answers. */
function withForm(req: http.IncomingMessage, answer: (form: URLSearchParams) => void): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.once('end', () => {
    answer(new URLSearchParams(body));
  });
}

function serveOcs(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
  if (path === OCS_SHARES_PATH) {
    withForm(req, (form) => {
      const missing = CREATE_FIELDS.filter((name) => (form.get(name) ?? '') === '');
      if (missing.length > 0) {
        ocs(res, 400, `Required parameters are missing: ${missing.join(', ')}`);
        return;
      }
      ocsCalls.create = (ocsCalls.create ?? 0) + 1;
      ocs(res, 200, null);
    });
    return;
  }
  const action = /^\/([^/]+)\/([a-z]+)$/.exec(path.slice(OCS_SHARES_PATH.length))?.[2];
  withForm(req, (form) => {
    if (action === undefined || (form.get('token') ?? '') === '') {
      ocs(res, 400, 'missing token or unknown action');
      return;
    }
    ocsCalls[action] = (ocsCalls[action] ?? 0) + 1;
    ocs(res, 200, null);
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://backend');
  if (req.method === 'POST' && url.pathname.startsWith(OCS_SHARES_PATH)) {
    serveOcs(req, res, url.pathname);
    return;
  }
  if (req.method === 'POST' && url.pathname === POST_PATH) {
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

const ready = serveCommands({ 'ocs-calls': () => Promise.resolve({ ...ocsCalls }) }, () => {
  server.closeAllConnections();
  server.close();
});
server.listen(0, '127.0.0.1', () => {
  ready({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
