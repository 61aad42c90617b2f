/** Backend on a sub-path, public URL on another (or none): request paths, Location, Destination, If, cookies. */
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

describe('path mapping between the public URL and a backend on a sub-path', () => {
  let upstream: RunningServer;
  let atRoot: RunningGateway;
  let onSubPath: RunningGateway;
  let last: { url: string; headers: http.IncomingHttpHeaders } = { url: '', headers: {} };

  before(async () => {
    upstream = await startUpstream((req, res) => {
      void readBody(req).then(() => {
        last = { url: req.url ?? '', headers: req.headers };
        const self = `http://127.0.0.1:${upstream.port}`;
        if (req.url?.endsWith('/index.php/login')) {
          res.writeHead(303, { location: `${self}/nextcloud/index.php/apps/files/` });
        } else if (req.url?.endsWith('/relative-redirect')) {
          res.writeHead(302, { location: '/nextcloud/index.php/apps/dashboard/' });
        } else if (req.url?.endsWith('/elsewhere')) {
          res.writeHead(302, { location: 'https://login.example.com/nextcloud/sso' });
        } else if (req.method === 'PUT') {
          res.writeHead(201, {
            location: `${self}/nextcloud/remote.php/dav/files/x/new.txt`,
            'content-location': `${self}/nextcloud/remote.php/dav/files/x/new.txt`,
          });
        } else if (req.url?.endsWith('/login-cookie')) {
          res.writeHead(200, [
            ['Set-Cookie', 'oc_session=1; path=/nextcloud; HttpOnly'],
            ['Set-Cookie', `nc_token=2; Path=/nextcloud/index.php; Domain=127.0.0.1; Secure`],
            ['Set-Cookie', 'other=3; path=/elsewhere'],
          ]);
        }
        res.end();
      });
    });
    const backendUrl = new URL(`${upstream.origin}/nextcloud`);
    atRoot = await startGateway({ backendUrl, publicUrl: new URL('https://cloud.example.org') });
    onSubPath = await startGateway({
      backendUrl,
      publicUrl: new URL('https://example.org/cloud/'),
    });
  });

  after(async () => {
    await atRoot.close();
    await onSubPath.close();
    await upstream.close();
  });

  test('a public path reaches the same path under the backend prefix, query intact', async () => {
    await send(atRoot.port, { method: 'PROPFIND', path: '/remote.php/dav/files/x?a=1&b=%2F' });
    assert.equal(last.url, '/nextcloud/remote.php/dav/files/x?a=1&b=%2F');
    await send(onSubPath.port, { method: 'PROPFIND', path: '/cloud/remote.php/dav/files/x' });
    assert.equal(last.url, '/nextcloud/remote.php/dav/files/x');
  });

  test('the public root maps to the backend root; encoded and dot-like segments are not normalised', async () => {
    await send(atRoot.port, { path: '/' });
    assert.equal(last.url, '/nextcloud/');
    await send(onSubPath.port, { path: '/cloud' });
    assert.equal(last.url, '/nextcloud');
    // (Hardening in front spells unreserved escapes plainly: %2e is ".", see its own tests.)
    await send(atRoot.port, { path: '/remote.php/dav/files/x/a%20b/..../%25%C3%A9' });
    assert.equal(last.url, '/nextcloud/remote.php/dav/files/x/a%20b/..../%25%C3%A9');
  });

  test('paths outside the public prefix are not proxied (next handler answers)', async () => {
    const before = last;
    const response = await send(onSubPath.port, { path: '/cloudy/remote.php' });
    assert.equal(response.status, 404);
    assert.deepEqual(JSON.parse(response.body.toString()), { message: 'NOT_FOUND' });
    assert.equal(last, before);
  });

  test('Location pointing at the backend is rewritten to the public URL', async () => {
    const root = await send(atRoot.port, { path: '/index.php/login' });
    assert.equal(root.status, 303);
    assert.equal(root.headers.location, 'https://cloud.example.org/index.php/apps/files/');
    const sub = await send(onSubPath.port, { path: '/cloud/index.php/login' });
    assert.equal(sub.headers.location, 'https://example.org/cloud/index.php/apps/files/');
  });

  test('a path-absolute Location under the backend prefix is mapped; other hosts are left alone', async () => {
    const relative = await send(onSubPath.port, { path: '/cloud/relative-redirect' });
    assert.equal(relative.headers.location, '/cloud/index.php/apps/dashboard/');
    const elsewhere = await send(atRoot.port, { path: '/elsewhere' });
    assert.equal(elsewhere.headers.location, 'https://login.example.com/nextcloud/sso');
  });

  test('201 Location and Content-Location are rewritten', async () => {
    const response = await send(onSubPath.port, {
      method: 'PUT',
      path: '/cloud/remote.php/dav/files/x/new.txt',
      body: 'hello',
    });
    assert.equal(response.status, 201);
    const expected = 'https://example.org/cloud/remote.php/dav/files/x/new.txt';
    assert.equal(response.headers.location, expected);
    assert.equal(response.headers['content-location'], expected);
  });

  test('MOVE/COPY Destination on the public host is rewritten to the backend URL and path', async () => {
    await send(onSubPath.port, {
      method: 'MOVE',
      path: '/cloud/remote.php/dav/files/x/a.txt',
      headers: { destination: 'https://example.org/cloud/remote.php/dav/files/x/b%20c.txt' },
    });
    assert.equal(
      last.headers.destination,
      `http://127.0.0.1:${upstream.port}/nextcloud/remote.php/dav/files/x/b%20c.txt`,
    );
    await send(atRoot.port, {
      method: 'COPY',
      path: '/remote.php/dav/files/x/a.txt',
      headers: { destination: 'https://CLOUD.example.org:443/remote.php/dav/files/x/copy.txt' },
    });
    assert.equal(
      last.headers.destination,
      `http://127.0.0.1:${upstream.port}/nextcloud/remote.php/dav/files/x/copy.txt`,
    );
  });

  test('a path-absolute Destination is mapped to the backend path', async () => {
    await send(onSubPath.port, {
      method: 'MOVE',
      path: '/cloud/remote.php/dav/files/x/a.txt',
      headers: { destination: '/cloud/remote.php/dav/files/x/b.txt' },
    });
    assert.equal(last.headers.destination, '/nextcloud/remote.php/dav/files/x/b.txt');
  });

  test('a Destination on another host, or another scheme, is left alone', async () => {
    for (const destination of [
      'https://other.example.org/cloud/remote.php/dav/files/x/b.txt',
      'http://example.org/cloud/remote.php/dav/files/x/b.txt',
      'https://example.org/elsewhere/b.txt',
    ]) {
      await send(onSubPath.port, {
        method: 'MOVE',
        path: '/cloud/remote.php/dav/files/x/a.txt',
        headers: { destination },
      });
      assert.equal(last.headers.destination, destination);
    }
  });

  test('If header resource tags are rewritten, lock tokens and entity tags are not', async () => {
    const token = '<opaquelocktoken:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>';
    await send(onSubPath.port, {
      method: 'PUT',
      path: '/cloud/remote.php/dav/files/x/a.txt',
      headers: {
        if: `<https://example.org/cloud/remote.php/dav/files/x/a.txt> (${token} ["e]1"])`,
      },
      body: 'x',
    });
    assert.equal(
      last.headers.if,
      `<http://127.0.0.1:${upstream.port}/nextcloud/remote.php/dav/files/x/a.txt> (${token} ["e]1"])`,
    );
  });

  test('Set-Cookie paths under the backend prefix and its Domain are re-scoped to the public URL', async () => {
    const root = await send(atRoot.port, { path: '/login-cookie' });
    assert.deepEqual(linesNamed(root, 'set-cookie'), [
      'oc_session=1; path=/; HttpOnly',
      'nc_token=2; Path=/index.php; Secure',
      'other=3; path=/elsewhere',
    ]);
    const sub = await send(onSubPath.port, { path: '/cloud/login-cookie' });
    assert.deepEqual(linesNamed(sub, 'set-cookie'), [
      'oc_session=1; path=/cloud; HttpOnly',
      'nc_token=2; Path=/cloud/index.php; Secure',
      'other=3; path=/elsewhere',
    ]);
  });
});
