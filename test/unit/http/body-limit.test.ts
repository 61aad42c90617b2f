import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import express from 'express';
import { bodyLimit, rawBodyOf } from '../../../gateway/http/middleware/body-limit.ts';
import { ocmErrorResponder } from '../../../gateway/http/ocm-error-responder.ts';
import { captureLogger, type LogLine } from './capture-logger.ts';
import { serveApp, type ServedApp } from './serve-app.ts';

const logs: LogLine[] = [];
const routeCalls: string[] = [];
let served: ServedApp;

before(async () => {
  const app = express();
  app.use('/zero', bodyLimit(0));
  app.use(bodyLimit(10, { timeoutMs: 2_000 }));
  app.use((req, res) => {
    const body = rawBodyOf(req);
    routeCalls.push(body?.toString() ?? 'none');
    res.json({ length: body?.length ?? -1 });
  });
  app.use(ocmErrorResponder(captureLogger(logs)));
  served = await serveApp(app);
});

after(async () => {
  await served.close();
});

test('options are checked when the middleware is built', () => {
  assert.throws(() => bodyLimit(-1), RangeError);
  assert.throws(() => bodyLimit(1.5), RangeError);
  assert.throws(() => bodyLimit(10, { timeoutMs: 0 }), RangeError);
});

test('no body: an empty buffer, the route runs', async () => {
  const reply = await fetch(`${served.url}/x`);
  assert.deepEqual(await reply.json(), { length: 0 });
});

test('exactly the limit passes; one byte more is 413', async () => {
  assert.deepEqual(
    await (await fetch(`${served.url}/x`, { method: 'POST', body: '0123456789' })).json(),
    { length: 10 },
  );
  const over = await fetch(`${served.url}/x`, { method: 'POST', body: '0123456789A' });
  assert.equal(over.status, 413);
  assert.equal(over.headers.get('connection'), 'close');
});

test('a zero limit refuses any body', async () => {
  assert.equal((await fetch(`${served.url}/zero`, { method: 'POST', body: 'a' })).status, 413);
});

test('a client that leaves mid-body: no route call, no crash, the server still answers', async () => {
  const callsBefore = routeCalls.length;
  await new Promise<void>((resolve) => {
    const socket = net.connect(served.port, '127.0.0.1', () => {
      socket.write('POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nabc');
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 50);
    });
    socket.on('error', () => undefined);
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(routeCalls.length, callsBefore);
  assert.equal((await fetch(`${served.url}/x`)).status, 200);
});
