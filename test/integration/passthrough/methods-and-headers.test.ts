/** Every HTTP and WebDAV method, body, status and end-to-end header passes through unchanged. */
import { METHODS } from 'node:http';
import type http from 'node:http';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  linesNamed,
  readBody,
  send,
  startGateway,
  startUpstream,
  type RunningGateway,
  type RunningServer,
} from './passthrough-harness.ts';

const WEBDAV_METHODS = [
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'MOVE',
  'COPY',
  'LOCK',
  'UNLOCK',
  'REPORT',
];
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', ...WEBDAV_METHODS];

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('pass-through of methods, bodies, statuses and headers', () => {
  let upstream: RunningServer;
  let gateway: RunningGateway;
  const seen: Seen[] = [];

  before(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/early-401') {
        // Like a WebDAV server refusing an upload before reading it (node then discards the
        // unread body itself, as servers with lingering close do).
        res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' });
        res.end();
        return;
      }
      void readBody(req).then((body) => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: body.toString(),
        });
        const path = req.url ?? '';
        if (path.startsWith('/status/207')) {
          res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8', dav: '1, 2' });
          res.end('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>');
        } else if (path.startsWith('/status/204')) {
          res.writeHead(204, { etag: '"e1"' });
          res.end();
        } else if (path.startsWith('/status/304')) {
          res.writeHead(304, { etag: '"e2"' });
          res.end();
        } else if (path.startsWith('/status/401')) {
          res.writeHead(401, [
            ['WWW-Authenticate', 'Basic realm="Nextcloud", charset="UTF-8"'],
            ['WWW-Authenticate', 'Bearer realm="Nextcloud"'],
            ['Content-Type', 'text/plain'],
          ]);
          res.end('no');
        } else if (path.startsWith('/cookies')) {
          res.writeHead(200, [
            ['Set-Cookie', 'oc_sessionPassphrase=abc; path=/; HttpOnly'],
            ['Set-Cookie', 'nc_sameSiteCookielax=true; path=/; SameSite=lax'],
            ['Set-Cookie', 'nc_session_id=xyz, with comma; path=/'],
          ]);
          res.end();
        } else if (path.startsWith('/lock')) {
          res.writeHead(200, {
            'lock-token': '<opaquelocktoken:e71d4fae-5dec-22d6-fea5-00a0c91e6be4>',
            'content-type': 'application/xml; charset=utf-8',
          });
          res.end('<d:prop xmlns:d="DAV:"><d:lockdiscovery/></d:prop>');
        } else {
          res.writeHead(200, { 'content-type': 'text/plain', 'x-method': req.method });
          res.end(`echo ${req.method} ${body.toString()}`);
        }
      });
    });
    gateway = await startGateway({ backendUrl: new URL(upstream.origin) });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  test("node's HTTP parser knows every WebDAV method we rely on", () => {
    for (const method of ALL_METHODS) assert.ok(METHODS.includes(method), method);
  });

  for (const method of ALL_METHODS) {
    test(`${method} passes with its request and response bodies`, async () => {
      const body = method === 'GET' || method === 'HEAD' ? undefined : `<body of ${method}/>`;
      const response = await send(gateway.port, {
        method,
        path: `/echo/${method.toLowerCase()}?q=1`,
        headers: { 'content-type': 'application/xml' },
        ...(body === undefined ? {} : { body }),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers['x-method'], method);
      const last = seen.at(-1)!;
      assert.equal(last.method, method);
      assert.equal(last.url, `/echo/${method.toLowerCase()}?q=1`);
      assert.equal(last.body, body ?? '');
      assert.equal(
        response.body.toString(),
        method === 'HEAD' ? '' : `echo ${method} ${body ?? ''}`,
      );
    });
  }

  for (const method of ['PUT', 'PROPFIND', 'DELETE']) {
    test(`${method} with a chunked request body (no Content-Length) arrives whole`, async () => {
      const body = `chunked body of ${method} `.repeat(100);
      const response = await send(gateway.port, {
        method,
        path: '/echo/chunked',
        body,
        chunked: true,
      });
      assert.equal(response.status, 200);
      assert.equal(seen.at(-1)!.body, body);
      assert.equal(seen.at(-1)!.headers['transfer-encoding'], 'chunked');
    });
  }

  test('207 Multi-Status keeps its XML body and the DAV header', async () => {
    const response = await send(gateway.port, {
      method: 'PROPFIND',
      path: '/status/207',
      headers: { depth: '1' },
      body: '<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>',
    });
    assert.equal(response.status, 207);
    assert.equal(response.headers.dav, '1, 2');
    assert.match(response.body.toString(), /multistatus/);
    assert.equal(seen.at(-1)!.headers.depth, '1');
  });

  test('204 and 304 pass without a body and keep their ETag', async () => {
    const noContent = await send(gateway.port, { method: 'DELETE', path: '/status/204' });
    assert.equal(noContent.status, 204);
    assert.equal(noContent.headers.etag, '"e1"');
    assert.equal(noContent.body.length, 0);
    const notModified = await send(gateway.port, {
      path: '/status/304',
      headers: { 'if-none-match': '"e2"' },
    });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.etag, '"e2"');
    assert.equal(seen.at(-1)!.headers['if-none-match'], '"e2"');
  });

  test('401 keeps each WWW-Authenticate line separately', async () => {
    const response = await send(gateway.port, { path: '/status/401' });
    assert.equal(response.status, 401);
    assert.deepEqual(linesNamed(response, 'www-authenticate'), [
      'Basic realm="Nextcloud", charset="UTF-8"',
      'Bearer realm="Nextcloud"',
    ]);
  });

  test('several Set-Cookie lines stay separate and in order', async () => {
    const response = await send(gateway.port, { path: '/cookies' });
    assert.deepEqual(linesNamed(response, 'set-cookie'), [
      'oc_sessionPassphrase=abc; path=/; HttpOnly',
      'nc_sameSiteCookielax=true; path=/; SameSite=lax',
      'nc_session_id=xyz, with comma; path=/',
    ]);
  });

  test('WebDAV request headers (Depth, Overwrite, If, Lock-Token) reach the backend', async () => {
    const token = '<opaquelocktoken:e71d4fae-5dec-22d6-fea5-00a0c91e6be4>';
    await send(gateway.port, {
      method: 'COPY',
      path: '/echo/copy',
      headers: {
        depth: 'infinity',
        overwrite: 'F',
        if: `(${token} ["etag-1"])`,
        'lock-token': token,
        authorization: 'Basic dXNlcjpwYXNz',
        cookie: 'a=1; b=2',
      },
    });
    const last = seen.at(-1)!;
    assert.equal(last.headers.depth, 'infinity');
    assert.equal(last.headers.overwrite, 'F');
    assert.equal(last.headers.if, `(${token} ["etag-1"])`);
    assert.equal(last.headers['lock-token'], token);
    assert.equal(last.headers.authorization, 'Basic dXNlcjpwYXNz');
    assert.equal(last.headers.cookie, 'a=1; b=2');
  });

  test('LOCK returns its Lock-Token header and body', async () => {
    const response = await send(gateway.port, {
      method: 'LOCK',
      path: '/lock/file.txt',
      headers: { timeout: 'Second-3600', depth: '0' },
      body: '<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope></d:lockinfo>',
    });
    assert.equal(response.status, 200);
    assert.equal(
      response.headers['lock-token'],
      '<opaquelocktoken:e71d4fae-5dec-22d6-fea5-00a0c91e6be4>',
    );
    assert.match(response.body.toString(), /lockdiscovery/);
    assert.equal(seen.at(-1)!.headers.timeout, 'Second-3600');
  });

  test('a backend answering before reading a large upload: the client gets the answer, no hang', async () => {
    const response = await send(gateway.port, {
      method: 'PUT',
      path: '/early-401',
      body: Buffer.alloc(8 * 1024 * 1024, 7),
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers['www-authenticate'], 'Basic realm="x"');
  });

  test('x-request-id set by earlier middleware reaches the backend', async () => {
    await send(gateway.port, { path: '/echo/id', headers: { 'x-request-id': 'req-42' } });
    assert.equal(seen.at(-1)!.headers['x-request-id'], 'req-42');
  });
});
