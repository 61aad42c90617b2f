import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { RequestHandler } from 'express';
import { rawBodyOf } from '../../../gateway/http/middleware/body-limit.ts';
import { confirmPeerHost } from '../../../gateway/http/middleware/peer-policy.ts';
import { firstBody, rawExchange } from './raw-http.ts';
import {
  policyOf,
  refusedCount,
  startPublicListener,
  type PublicListener,
} from './public-listener-harness.ts';

// A dummy federation route on a real public listener: the guards (policy → rate limit → body
// limit) run in front of it, answers are in the caller's dialect, and the pass-through is not limited.
const seenBodies: string[] = [];
const echo: RequestHandler = (req, res, next) => {
  try {
    const body = rawBodyOf(req)?.toString() ?? '<no body read>';
    const sender = new URLSearchParams(body).get('remote');
    if (sender !== null) confirmPeerHost(req, sender);
    seenBodies.push(body);
    res.status(201).json({ bytes: body.length });
  } catch (error) {
    next(error);
  }
};
const routes = [
  { path: '/ocm/shares', handler: echo, bodyLimitBytes: 1_000 },
  { path: '/ocs/v1.php/cloud/shares', handler: echo, bodyLimitBytes: 1_000 },
  { path: '/ocs/v2.php/cloud/shares', handler: echo, bodyLimitBytes: 1_000 },
];

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  port: number,
  path: string,
  body: string | undefined,
  headers: http.OutgoingHttpHeaders = {},
  chunked = false,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
      },
    );
    // The server may answer and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (chunked && body !== undefined) {
      req.setHeader('Transfer-Encoding', 'chunked');
      for (let i = 0; i < body.length; i += 100) req.write(body.slice(i, i + 100));
      req.end();
    } else req.end(body);
  });
}

describe('peer policy', () => {
  let gateway: PublicListener;
  before(async () => {
    gateway = await startPublicListener({
      routes,
      policy: policyOf({ denyHosts: ['spam.example'], allowHosts: ['*.partner.example'] }),
    });
  });
  after(async () => {
    await gateway.close();
  });

  const signedBy = (keyId: string) => ({
    'Signature-Input': `ocm=("@method");created=1;keyid="${keyId}"`,
    Signature: 'ocm=:AAAA:',
    'Content-Type': 'application/json',
  });

  test('a denied claimed host gets 403 in OCM JSON and one log line with the reason', async () => {
    const reply = await send(gateway.port, '/ocm/shares', '{}', signedBy('spam.example#k1'));
    assert.equal(reply.status, 403);
    assert.deepEqual(JSON.parse(reply.body), {
      message: 'FORBIDDEN',
      detail: 'This server does not accept federation requests from you.',
    });
    const lines = gateway.logs.filter((l) => l.message === 'peer refused by policy');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.fields.reason, 'denied-host');
    assert.equal(await refusedCount(gateway.metrics, 'peer-policy', 'denied-host'), 1);
  });

  test('an allowed claimed host reaches the route', async () => {
    const reply = await send(gateway.port, '/ocm/shares', '{}', signedBy('eos.partner.example#k'));
    assert.equal(reply.status, 201);
  });

  test('no claim yet: the route decides with the body sender (confirmPeerHost)', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const ok = await send(
      gateway.port,
      '/ocs/v2.php/cloud/shares',
      'remote=a.partner.example',
      form,
    );
    assert.equal(ok.status, 201);
    const denied = await send(
      gateway.port,
      '/ocs/v2.php/cloud/shares?format=json',
      'remote=stranger.example',
      form,
    );
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.body), {
      ocs: {
        meta: {
          status: 'failure',
          statuscode: 403,
          message: 'This server does not accept federation requests from you.',
        },
        data: [],
      },
    });
  });

  test('OCS v1: HTTP 200 with the code in meta.statuscode, XML by default', async () => {
    const reply = await send(gateway.port, '/ocs/v1.php/cloud/shares', 'remote=spam.example', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    assert.equal(reply.status, 200);
    assert.match(reply.headers['content-type'] ?? '', /^text\/xml/);
    assert.match(reply.body, /<status>failure<\/status>/);
    assert.match(reply.body, /<statuscode>403<\/statuscode>/);
  });
});

describe('body limit', () => {
  let gateway: PublicListener;
  before(async () => {
    gateway = await startPublicListener({ routes, bodyTimeoutMs: 300 });
  });
  after(async () => {
    await gateway.close();
  });

  test('a body within the limit reaches the route byte for byte, chunked or not', async () => {
    const body = 'x'.repeat(1_000);
    assert.equal((await send(gateway.port, '/ocm/shares', body)).status, 201);
    assert.equal((await send(gateway.port, '/ocm/shares', body, {}, true)).status, 201);
    assert.equal(seenBodies.at(-1), body);
  });

  test('a declared Content-Length over the limit: 413 at once, connection closed', async () => {
    // Only the head is sent: the answer must not wait for 10 MB that never come.
    const reply = await rawExchange(
      gateway.port,
      'POST /ocm/shares HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n',
      { endAfterMs: 2_000 },
    );
    assert.deepEqual(reply.statuses, [413]);
    assert.match(reply.text, /\r\nConnection: close\r\n/i);
    assert.equal(
      (JSON.parse(firstBody(reply.text)) as { message: string }).message,
      'PAYLOAD_TOO_LARGE',
    );
  });

  test('a chunked body passing the limit: 413 in the dialect (v2 → HTTP 413)', async () => {
    const big = 'y'.repeat(5_000);
    const ocm = await send(gateway.port, '/ocm/shares', big, {}, true);
    assert.equal(ocm.status, 413);
    const ocs = await send(gateway.port, '/ocs/v2.php/cloud/shares?format=json', big, {}, true);
    assert.equal(ocs.status, 413);
    assert.equal(
      (JSON.parse(ocs.body) as { ocs: { meta: { statuscode: number } } }).ocs.meta.statuscode,
      413,
    );
  });

  test('a body that stops arriving: 408 after the body timeout', async () => {
    const reply = await rawExchange(
      gateway.port,
      'POST /ocm/shares HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly part',
      { endAfterMs: 2_000 },
    );
    assert.deepEqual(reply.statuses, [408]);
  });

  test('the pass-through is not limited: a large upload outside federation routes goes through', async () => {
    const body = 'z'.repeat(200_000);
    const reply = await send(gateway.port, '/remote.php/dav/files/u/big.bin', body, {}, true);
    assert.equal(reply.status, 200);
    assert.equal(gateway.backendSeen.at(-1)?.bodyBytes, body.length);
  });

  test('a federation path the route does not answer never reaches the backend half-read', async () => {
    const noop: RequestHandler = (_req, _res, next) => {
      next();
    };
    const other = await startPublicListener({
      routes: [{ path: '/ocm/notifications', handler: noop, bodyLimitBytes: 100 }],
    });
    try {
      const reply = await send(other.port, '/ocm/notifications', 'abc');
      assert.equal(reply.status, 404);
      assert.equal(other.backendSeen.length, 0);
    } finally {
      await other.close();
    }
  });
});
