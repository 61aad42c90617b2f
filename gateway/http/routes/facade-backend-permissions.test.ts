import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../ports/logger.ts';
import { createBackendSharePermissions, webdavRootUrl } from './facade-backend-permissions.ts';

const lines: { message: string; fields: unknown }[] = [];
const logger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  http: () => undefined,
  debug: (message, fields) => {
    lines.push({ message, fields });
  },
  child: () => logger,
};

interface Seen {
  method: string | undefined;
  url: string | undefined;
  auth: string | undefined;
  depth: string | undefined;
}

describe('reading an outgoing share’s permissions from the backend’s WebDAV', () => {
  const seen: Seen[] = [];
  let answer: (res: http.ServerResponse) => void = () => undefined;
  let server: http.Server;
  let base = '';

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        depth: req.headers.depth as string | undefined,
      });
      req.resume();
      req.on('end', () => {
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const lookup = (timeoutMs = 1_000) =>
    createBackendSharePermissions({
      backendUrl: `${base}/nextcloud/`,
      webdavPath: () => '/public.php/webdav',
      timeoutMs,
      logger,
    });

  test('PROPFIND Depth 0 on the sub-path WebDAV root, token as Basic user; 207 → the bits', async () => {
    answer = (res) => {
      res.writeHead(207, { 'content-type': 'application/xml' });
      res.end(
        '<d:multistatus xmlns:d="DAV:" xmlns:ocs="http://open-collaboration-services.org/ns"><d:response><d:propstat><d:prop><ocs:share-permissions>19</ocs:share-permissions></d:prop></d:propstat></d:response></d:multistatus>',
      );
    };
    assert.equal(await lookup()('Xy9zA1bC2dE3fG4'), 19);
    assert.deepEqual(seen.at(-1), {
      method: 'PROPFIND',
      url: '/nextcloud/public.php/webdav/',
      auth: `Basic ${Buffer.from('Xy9zA1bC2dE3fG4:').toString('base64')}`,
      depth: '0',
    });
  });

  test('a refusal, an answer without the property, a timeout or a closed port: undefined, no token logged', async () => {
    answer = (res) => {
      res.writeHead(401);
      res.end();
    };
    assert.equal(await lookup()('secret-token-1'), undefined);
    answer = (res) => {
      res.writeHead(207);
      res.end('<d:multistatus xmlns:d="DAV:"/>');
    };
    assert.equal(await lookup()('secret-token-2'), undefined);
    answer = () => undefined; // never answers
    assert.equal(await lookup(100)('secret-token-3'), undefined);
    const closed = createBackendSharePermissions({
      backendUrl: 'http://127.0.0.1:1',
      webdavPath: () => '/public.php/webdav',
      timeoutMs: 500,
      logger,
    });
    assert.equal(await closed('secret-token-4'), undefined);
    assert.ok(lines.length >= 4);
    assert.ok(!JSON.stringify(lines).includes('secret-token'));
  });

  test('webdavRootUrl joins a sub-path and the WebDAV path with one slash each', () => {
    assert.equal(
      webdavRootUrl('https://b.internal/cloud/', 'public.php/webdav/'),
      'https://b.internal/cloud/public.php/webdav/',
    );
    assert.equal(
      webdavRootUrl('http://b:8080', '/public.php/webdav'),
      'http://b:8080/public.php/webdav/',
    );
  });
});
