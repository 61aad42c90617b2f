import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { redact, redactText, REDACTED } from '../../../gateway/observability/redact.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';

const SECRET = 'Xy9zA1bC2dE3fG4';

test('secret-named fields are replaced whatever their value', () => {
  const out = redact({
    authorization: `Bearer ${SECRET}`,
    headers: { Cookie: 'a=b', 'x-request-id': 'r1' },
    notification: { sharedSecret: SECRET, message: 'hi' },
    protocol: { options: { sharedSecret: SECRET }, webdav: { uri: '/dav/x' } },
    token: { nested: SECRET },
    access_token: SECRET,
    privateKeyPem: 'k',
    name: 'Project Docs',
  }) as Record<string, unknown>;
  const text = JSON.stringify(out);
  assert.ok(!text.includes(SECRET), text);
  assert.ok(text.includes('Project Docs'));
  assert.ok(text.includes('/dav/x'));
  assert.ok(text.includes('r1'));
  assert.equal(out.authorization, REDACTED);
});

test('credentials inside free text, URLs and PEM blocks are removed', () => {
  const cases = [
    `Authorization: Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`,
    `calling with bearer ${SECRET} now`,
    `/index.php/apps/files_sharing/shareinfo?t=${SECRET}&x=1`,
    `https://${SECRET}:@peer.example/public.php/webdav`,
    `-----BEGIN PRIVATE KEY-----\nMIIB${SECRET}\n-----END PRIVATE KEY-----`,
    `/token?code=${SECRET}`,
  ];
  for (const c of cases) {
    const cleaned = redactText(c);
    assert.ok(!cleaned.includes(SECRET), cleaned);
    assert.ok(!cleaned.includes(Buffer.from(`${SECRET}:`).toString('base64')), cleaned);
  }
  assert.equal(redactText('/shareinfo?t=abc&x=1'), `/shareinfo?t=${REDACTED}&x=1`);
});

test('errors keep their message (redacted) but lose the stack; cycles deeper than the limit stop', () => {
  const out = redact({ error: new Error(`failed for token=${SECRET}`) }) as {
    error: { message: string };
  };
  assert.ok(!out.error.message.includes(SECRET));
  let deep: Record<string, unknown> = {};
  const rootObj = deep;
  for (let i = 0; i < 20; i += 1) {
    const next: Record<string, unknown> = {};
    deep.child = next;
    deep = next;
  }
  assert.match(JSON.stringify(redact(rootObj)), /too deep/);
});

test('the winston logger writes one redacted JSON object per line', async () => {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const logger = createLogger({ level: 'info', stream });
  logger.info(`share from peer with secret ?token=${SECRET}`, {
    requestId: 'abc',
    body: { sharedSecret: SECRET },
    headers: { authorization: `Bearer ${SECRET}` },
  });
  logger.child({ peer: 'peer.example' }).warn('child line', { token: SECRET });
  logger.debug('not at info level');
  await new Promise((resolve) => setImmediate(resolve));
  const lines = chunks.join('').trim().split('\n');
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(first.level, 'info');
  assert.equal(first.requestId, 'abc');
  assert.equal(first.service, 'ocm-gateway');
  assert.ok(typeof first.timestamp === 'string');
  const second = JSON.parse(lines[1]!) as Record<string, unknown>;
  assert.equal(second.peer, 'peer.example');
  assert.ok(!chunks.join('').includes(SECRET));
});

test('a line below the level is neither written nor formatted; http lines show at level http', async () => {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  let read = 0;
  const costly = {
    get path() {
      read += 1;
      return '/remote.php/webdav/x';
    },
  };
  createLogger({ level: 'info', stream }).http('request', costly);
  createLogger({ level: 'info', stream }).debug('detail', costly);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(read, 0, 'fields of a dropped line are not even read');
  assert.equal(chunks.join(''), '');
  createLogger({ level: 'http', stream }).http('request', costly);
  await new Promise((resolve) => setImmediate(resolve));
  const line = JSON.parse(chunks.join('').trim()) as Record<string, unknown>;
  assert.equal(line.level, 'http');
  assert.equal(line.path, '/remote.php/webdav/x');
});
