import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { firstBody, rawExchange } from './raw-http.ts';
import {
  refusedCount,
  startPublicListener,
  type PublicListener,
} from './public-listener-harness.ts';

// What reaches the public listener on raw sockets: node's own refusals (found by probing node 24:
// duplicate/conflicting Content-Length, CL+TE, codings not ending in chunked, bad header bytes)
// and the gateway's (everything node lets through). The backend must see none of them.
let gateway: PublicListener;

before(async () => {
  gateway = await startPublicListener();
});

after(async () => {
  await gateway.close();
});

const get = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: cloud.example.org\r\n${extra}\r\n`;

async function refused(bytes: string, status: number): Promise<string> {
  const before = gateway.backendSeen.length;
  const reply = await rawExchange(gateway.port, bytes);
  assert.equal(reply.statuses[0], status, reply.text.slice(0, 300));
  assert.equal(reply.statuses.length, 1, 'nothing after the refusal is answered');
  assert.ok(reply.closed, 'the connection is closed after a refusal');
  assert.equal(gateway.backendSeen.length, before, 'the backend saw nothing');
  return reply.text;
}

describe('smuggling: node refuses these itself (400, connection closed)', () => {
  const cases: Record<string, string> = {
    'Content-Length and Transfer-Encoding':
      'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'Transfer-Encoding then Content-Length':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
    'duplicate equal Content-Length':
      'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello',
    'conflicting Content-Length':
      'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    'Content-Length list': 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello',
    'Content-Length with sign': 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello',
    'coding not ending in chunked':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n',
    'Transfer-Encoding: identity':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n',
    'duplicate chunked':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'space before colon':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n',
    'obs-fold': 'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n',
    'vertical tab in coding':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\n',
    'bare LF line ends': 'GET /x HTTP/1.1\nHost: a\n\n',
    'NUL in path': 'GET /a\x00b HTTP/1.1\r\nHost: a\r\n\r\n',
    'bad chunk size':
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n',
  };
  for (const [name, bytes] of Object.entries(cases)) {
    test(name, async () => {
      await refused(bytes, 400);
    });
  }
});

describe('smuggling node lets through: the gateway refuses (400, connection closed)', () => {
  const cases: Record<string, [string, string]> = {
    'coding list ending in chunked': [
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      'transfer-coding',
    ],
    'coding split over two headers': [
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'transfer-coding',
    ],
    'Transfer-Encoding on HTTP/1.0': [
      'POST /x HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'transfer-encoding-http10',
    ],
    'duplicate Host': ['GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 'duplicate-host'],
    'malformed Host': ['GET /x HTTP/1.1\r\nHost: a/b@c\r\n\r\n', 'bad-host'],
    'HTTP/0.9 request line': ['GET /x\r\n\r\n', 'bad-version'],
    'HTTP/2.0 on a text line': ['GET /x HTTP/2.0\r\nHost: a\r\n\r\n', 'bad-version'],
  };
  for (const [name, [bytes, reason]] of Object.entries(cases)) {
    test(name, async () => {
      const before = await refusedCount(gateway.metrics, 'hardening', reason);
      await refused(bytes, 400);
      assert.equal(await refusedCount(gateway.metrics, 'hardening', reason), before + 1);
    });
  }

  test('a request smuggled behind a refused one is never answered or forwarded', async () => {
    const smuggled = 'GET /admin-only HTTP/1.1\r\nHost: a\r\n\r\n';
    const body = `0\r\n\r\n${smuggled}`;
    const text = await refused(
      `POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${body}`,
      400,
    );
    assert.ok(!text.includes('admin-only'));
  });
});

describe('request targets and methods', () => {
  test('absolute-form is refused: the forward proxy is on the internal listener only', async () => {
    const text = await refused(get('http://evil.example/x'), 400);
    assert.match(firstBody(text), /not a proxy/);
    await refused(get('https://cloud.example.org/status.php'), 400);
  });

  test('CONNECT gets 405 with Allow, not a silent drop', async () => {
    const reply = await rawExchange(
      gateway.port,
      'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n',
    );
    assert.deepEqual(reply.statuses, [405]);
    assert.match(reply.text, /\r\nAllow: /);
    assert.match(firstBody(reply.text), /"METHOD_NOT_ALLOWED"/);
    assert.ok(reply.closed);
  });

  test('TRACE is 405; asterisk-form is 400', async () => {
    const text = await refused('TRACE / HTTP/1.1\r\nHost: a\r\n\r\n', 405);
    assert.match(text, /\r\nAllow: GET/);
    await refused('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n', 400);
  });

  test('the refusal is an OCM JSON error without a stack trace', async () => {
    const text = await refused(get('/a/../b'), 400);
    const body = JSON.parse(firstBody(text)) as { message: string; detail: string };
    assert.equal(body.message, 'INVALID_REQUEST');
    assert.match(body.detail, /"\." or "\.\." segment/);
    assert.ok(!text.includes('    at '));
  });

  test('a refusal on an OCS path is an OCS envelope (v2: HTTP 400; XML by default)', async () => {
    const text = await refused(get('/ocs/v2.php/cloud/shares/%2e%2e/accept'), 400);
    assert.match(text, /Content-Type: text\/xml/i);
    assert.match(firstBody(text), /<statuscode>400<\/statuscode>/);
  });
});

describe('path traversal into the backend', () => {
  const traversals = [
    '/a/../b',
    '/a/./b',
    '/..',
    '/a/%2e%2e/b',
    '/a/%2E%2e/b',
    '/a/.%2e/b',
    '/a/%2e/b',
    '/a%2f..%2fb',
    '/a/..%2Fb',
    '/a/%252e%252e/b',
    '/a/%25252e%25252e%25252f',
    '/a/..;x/b',
    '/a\\..\\b',
    '/a/%5c..%5cb',
    '/a/%00',
    '/a/%c0%ae%c0%ae/b',
    '/a/%e0%80%ae/b',
    '/a/%ff',
    '/a/%zz',
    '/a/%',
    '/remote.php/dav/files/x/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  ];
  for (const target of traversals) {
    test(`${target} never reaches the backend`, async () => {
      await refused(get(target), 400);
    });
  }

  test('legitimate odd paths pass, query untouched', async () => {
    const before = gateway.backendSeen.length;
    const reply = await rawExchange(
      gateway.port,
      get('/remote.php/dav/files/x/...%2e/a%20b/%C3%A9/%5B1%5D.txt?next=/../%2e%2e'),
    );
    assert.deepEqual(reply.statuses, [200]);
    assert.equal(gateway.backendSeen.length, before + 1);
    assert.equal(
      gateway.backendSeen.at(-1)?.url,
      '/remote.php/dav/files/x/..../a%20b/%C3%A9/%5B1%5D.txt?next=/../%2e%2e',
    );
  });

  test('duplicate slashes and escaped unreserved characters reach routes and backend normalised', async () => {
    const reply = await rawExchange(gateway.port, get('//remote.php//dav/%7Euser/oc%6D?a=b//c'));
    assert.deepEqual(reply.statuses, [200]);
    assert.equal(gateway.backendSeen.at(-1)?.url, '/remote.php/dav/~user/ocm?a=b//c');
  });
});

describe('header limits (server options of the public listener)', () => {
  test('more than 100 header lines: 431', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const reply = await rawExchange(gateway.port, get('/x', many));
    assert.deepEqual(reply.statuses, [431]);
  });

  test('more than 16 KiB of headers: 431', async () => {
    const reply = await rawExchange(gateway.port, get('/x', `X-Big: ${'a'.repeat(17_000)}\r\n`));
    assert.deepEqual(reply.statuses, [431]);
  });

  test('a normal request with 60 headers passes', async () => {
    const some = Array.from({ length: 60 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const reply = await rawExchange(gateway.port, get('/ok', some));
    assert.deepEqual(reply.statuses, [200]);
  });
});

test('one log line per refusal, naming the reason and not the path', () => {
  const lines = gateway.logs.filter((l) => l.message === 'request refused by hardening');
  assert.ok(lines.length > 10);
  for (const line of lines) {
    assert.equal(typeof line.fields.reason, 'string');
    assert.ok(!JSON.stringify(line.fields).includes('passwd'));
  }
});
