import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { startListener } from '../../../gateway/http/start-listener.ts';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('stop() lets an in-flight request finish and refuses new connections', async () => {
  const listener = await startListener(
    'test',
    (_req, res) => {
      setTimeout(() => res.end('done'), 300);
    },
    '127.0.0.1',
    0,
  );
  const inFlight = get(`${listener.url}/slow`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(listener.inFlight(), 1);
  const stopped = listener.stop(5_000);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await assert.rejects(get(`${listener.url}/new`), /ECONNREFUSED|ECONNRESET/);
  assert.deepEqual(await inFlight, { status: 200, body: 'done' });
  assert.deepEqual(await stopped, { cut: 0 });
});

test('requests still running after the drain time are cut, and stop() still resolves', async () => {
  const listener = await startListener('test', () => {}, '127.0.0.1', 0);
  const hanging = get(`${listener.url}/never`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  assert.deepEqual(await listener.stop(100), { cut: 1 });
  assert.ok(Date.now() - started < 2_000);
  await assert.rejects(hanging, /socket hang up|ECONNRESET/);
});

test('a port already in use is a start-up error, not a crash', async () => {
  const first = await startListener('a', (_q, s) => s.end(), '127.0.0.1', 0);
  await assert.rejects(
    startListener('b', (_q, s) => s.end(), '127.0.0.1', first.port),
    /EADDRINUSE/,
  );
  await first.stop(0);
});

test('IPv6 loopback listeners print a bracketed URL', async () => {
  const listener = await startListener('v6', (_q, s) => s.end('ok'), '::1', 0);
  assert.match(listener.url, /^http:\/\/\[::1\]:\d+$/);
  assert.deepEqual(await get(listener.url), { status: 200, body: 'ok' });
  await listener.stop(0);
});

test('an idle keep-alive connection outlives node’s default, and stop() still closes it at once', async () => {
  const listener = await startListener('test', (_req, res) => res.end('ok'), '127.0.0.1', 0);
  const { port } = new URL(listener.url);
  const socket = connect(Number(port), '127.0.0.1');
  try {
    const answers: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => answers.push(chunk));
    socket.on('error', () => undefined);
    const ask = () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('connect', resolve));
    ask();
    // node adds a 1 s buffer to keepAliveTimeout: its default closes an idle socket after 6 s.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    assert.equal(socket.destroyed, false, 'still open after 6.5 s idle');
    ask();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(answers.join('').match(/HTTP\/1\.1 200/g)?.length, 2);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const started = Date.now();
    await listener.stop(5_000);
    await closed;
    assert.ok(Date.now() - started < 2_000, 'idle connection closed on stop');
  } finally {
    socket.destroy();
    await listener.stop(0);
  }
});
