import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { rawBodyOf } from '../../../gateway/http/middleware/body-limit.ts';
import { rawExchange, responsesIn, type RawExchange } from './raw-http.ts';
import { startPublicListener, type PublicListener } from './public-listener-harness.ts';

// Bounded random garbage at a real public listener (hardening, guarded federation routes, the
// pass-through to a live backend). Never a 5xx, never a stack trace, the server stays up, no
// connection is left behind, and no traversal reaches the backend. FUZZ_REQUESTS and FUZZ_SEED
// make a run larger or reproducible; a failure prints the seed and the request.
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 3_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PARALLEL = 8;

/** mulberry32: small, seedable, good enough to pick fuzz cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
const repeat = (n: number, make: () => string) => Array.from({ length: n }, make).join('');

const PATHS = [
  '/ocm/shares',
  '/ocm/shares/',
  '/OCM/shares',
  '/ocs/v2.php/cloud/shares',
  '/ocs/v2.php/cloud/shares/7/accept',
  '/ocs/v1.php/cloud/shares',
  '/status.php',
  '/remote.php/dav/files/x/a%20b/%C3%A9.txt',
  '/index.php/s/AbC',
  '/ocm-provider/',
  '/',
];
const BAD_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E.',
  '%252e%252e',
  '%2f',
  '%2F..',
  '%5c',
  '\\',
  '%00',
  '%c0%ae',
  '%e0%80%ae',
  '%ff',
  '%',
  '%z1',
  '',
  '..;',
  'é',
  ' ',
  '%7e',
  'oc%6D',
];
const TARGET_FORMS = ['http://evil.example', 'https://a:1', '*', 'x', '//'];
const BAD_VERSIONS = ['HTTP/0.9', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/1', '', 'http/1.1'];
const GOOD_HEADERS = [
  'Host: cloud.example.org',
  'Content-Type: application/json',
  'Accept: */*',
  'Content-Type: application/x-www-form-urlencoded',
  'X-Forwarded-For: 1.2.3.4, garbage',
  'Signature-Input: ocm=("@method");keyid="peer.example#k"',
  'Signature-Input: ((((',
  'Signature: keyId="https://x/ocm#signature",signature="a"',
  'Connection: close',
  'Expect: 100-continue',
  'Upgrade: h2c',
  'Connection: Upgrade',
  'User-Agent: fuzz',
];
const BAD_HEADERS = [
  'Host: a/b',
  'Host:',
  'Host: second',
  'Content-Length: 5',
  'Content-Length: -1',
  'Content-Length: 99999999999999999999',
  'Content-Length: 5, 5',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip, chunked',
  'Transfer-Encoding: identity',
  'Transfer-Encoding : chunked',
  'Transfer-Encoding:\r\n chunked',
  'X-Nul: a\x00b',
  'X-Cr: a\rb',
  'Bad Header: x',
  ': empty',
  'X-Long: ' + 'a'.repeat(20_000),
];
const BODIES = [
  '',
  'hello',
  '{"shareWith":"a@b"}',
  'remote=peer.example&token=t',
  'x'.repeat(3_000),
];

/** A request that is well-framed except for at most a few chosen defects. */
function structured(): string {
  const defect = () => random() < 0.25;
  const method = defect()
    ? pick(['get', 'G ET', 'FOO', '', 'TRACE', 'CONNECT'])
    : pick(['GET', 'POST', 'POST', 'PUT', 'PROPFIND', 'OPTIONS', 'DELETE', 'HEAD']);
  let path = pick(PATHS);
  if (defect()) path += `/${repeat(1 + int(3), () => `${pick(BAD_SEGMENTS)}/`)}`;
  if (defect()) path = pick(TARGET_FORMS) + path;
  const query = random() < 0.3 ? `?format=${pick(['json', 'xml', '%zz'])}&a=..%2f` : '';
  const version = defect() ? pick(BAD_VERSIONS) : pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0']);
  const eol = random() < 0.95 ? '\r\n' : pick(['\n', '\r', '']);
  const headers = [pick(GOOD_HEADERS), ...Array.from({ length: int(4) }, () => pick(GOOD_HEADERS))];
  if (!headers.some((h) => h.startsWith('Host:'))) headers.unshift('Host: cloud.example.org');
  if (defect()) headers.splice(int(headers.length + 1), 0, pick(BAD_HEADERS));
  const body = pick(BODIES);
  let framed = body;
  if (random() < 0.3) {
    headers.push('Transfer-Encoding: chunked');
    framed = body === '' ? '0\r\n\r\n' : `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  } else if (body !== '' || random() < 0.5) {
    headers.push(`Content-Length: ${defect() ? body.length + pick([-2, 1, 100]) : body.length}`);
  }
  if (defect()) framed += pick(['GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n', 'garbage\r\n']);
  return `${method} ${path}${query} ${version}${eol}${headers.map((h) => `${h}\r\n`).join('')}\r\n${framed}`;
}

function mutated(): string {
  // Latin-1 text: one UTF-16 unit per byte, so splitting into units is splitting into bytes.
  const chars = structured().split('');
  for (let i = int(8); i >= 0 && chars.length > 0; i -= 1) {
    const at = int(chars.length);
    const byte = String.fromCharCode(int(256));
    const op = int(3);
    if (op === 0) chars[at] = byte;
    else if (op === 1) chars.splice(at, 0, byte);
    else chars.splice(at, 1);
  }
  return chars.join('');
}

function garbage(): string {
  return repeat(1 + int(300), () => String.fromCharCode(int(256)));
}

function nextCase(): string {
  const r = random();
  if (r < 0.6) return structured();
  if (r < 0.9) return mutated();
  return garbage();
}

let gateway: PublicListener;

before(async () => {
  const echo: RequestHandler = (req, res) => {
    res.status(201).json({ bytes: rawBodyOf(req)?.length ?? 0 });
  };
  gateway = await startPublicListener({
    routes: [
      { path: '/ocm/shares', handler: echo, bodyLimitBytes: 1_000 },
      { path: '/ocs/v1.php/cloud/shares', handler: echo, bodyLimitBytes: 1_000 },
      { path: '/ocs/v2.php/cloud/shares', handler: echo, bodyLimitBytes: 1_000 },
    ],
    bodyTimeoutMs: 500,
  });
});

after(async () => {
  await gateway.close();
});

function check(bytes: string, reply: RawExchange): void {
  const context = `seed ${SEED}, request ${JSON.stringify(bytes.slice(0, 300))}`;
  if (reply.text !== '') assert.match(reply.text, /^HTTP\/1\.1 \d{3} /, context);
  for (const status of reply.statuses) assert.ok(status < 500, `${status}: ${context}`);
  assert.ok(!reply.text.includes('    at '), `stack trace: ${context}`);
  // Responses to HEAD have headers but no body, so their framing cannot be followed here.
  if (bytes.startsWith('HEAD ')) return;
  for (const response of responsesIn(reply.text)) {
    if (/content-type: application\/json/.test(response.head)) {
      assert.doesNotThrow(() => JSON.parse(response.body) as unknown, context);
    }
    if (/content-type: text\/xml/.test(response.head))
      assert.match(response.body, /^<\?xml/, context);
  }
}

test(`${COUNT} malformed requests: no 5xx, no crash, nothing unsafe reaches the backend`, async () => {
  let sent = 0;
  const worker = async () => {
    while (sent < COUNT) {
      sent += 1;
      const bytes = nextCase();
      const reply = await rawExchange(gateway.port, Buffer.from(bytes, 'latin1'), {
        endAfterMs: 20,
        timeoutMs: 2_000,
      });
      check(bytes, reply);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));

  const healthy = await rawExchange(gateway.port, 'GET /status.php HTTP/1.1\r\nHost: a\r\n\r\n');
  assert.deepEqual(healthy.statuses, [200]);
  for (const { url } of gateway.backendSeen) {
    const path = url.split('?', 1)[0] ?? '';
    assert.ok(!/(^|\/)\.\.?(\/|;|$)|%2e|%2f|%5c|%00|\\|^\/\//i.test(path), `backend saw ${url}`);
  }
  // Every connection the fuzzer opened is gone (allow the last closes a moment to land).
  for (let i = 0; i < 50 && (await gateway.connections()) > 0; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(await gateway.connections(), 0);
});
