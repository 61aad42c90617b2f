import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import type { ErrorCode } from '../../../gateway/core/errors/error-catalog.ts';
import { ocmErrorResponder } from '../../../gateway/http/ocm-error-responder.ts';
import {
  ocsErrorResponder,
  ocsFormatOfTarget,
  ocsVersionOfTarget,
} from '../../../gateway/http/ocs-error-responder.ts';
import { parseOcsEnvelope } from '../../../gateway/core/dialects/ocs-envelope/index.ts';
import { captureLogger, type LogLine } from './capture-logger.ts';
import { serveApp, type ServedApp } from './serve-app.ts';

const logs: LogLine[] = [];
let served: ServedApp;

before(async () => {
  const app = express();
  app.use((req, _res, next) => {
    const code = (req.query.code ?? 'FORBIDDEN') as ErrorCode;
    if (code === 'INTERNAL') {
      next(new Error('database password is hunter2'));
      return;
    }
    if (req.query.raw === '1') {
      next(Object.assign(new Error('body parser'), { status: 400 }));
      return;
    }
    next(new GatewayError(code, `a ${code} <refusal> & more`, { retryAfterSeconds: 2.2 }));
  });
  app.use(ocsErrorResponder(captureLogger(logs)));
  app.use(ocmErrorResponder(captureLogger(logs)));
  served = await serveApp(app);
});

after(async () => {
  await served.close();
});

test('targets: which OCS version, which format', () => {
  assert.equal(ocsVersionOfTarget('/ocs/v1.php/cloud/shares'), 1);
  assert.equal(ocsVersionOfTarget('/nextcloud/ocs/v2.php/cloud/shares/7/accept?format=json'), 2);
  assert.equal(ocsVersionOfTarget('/ocm/shares?x=/ocs/v2.php/'), undefined);
  assert.equal(ocsVersionOfTarget('/ocs/v2.phpx'), undefined);
  assert.equal(ocsFormatOfTarget('/ocs/v2.php/x?format=json'), 'json');
  assert.equal(ocsFormatOfTarget('/ocs/v2.php/x?format=%zz&format=json'), 'xml');
  assert.equal(ocsFormatOfTarget('/ocs/v2.php/x'), 'xml');
});

test('v2: HTTP status is the code, XML by default, parseable by the envelope codec', async () => {
  const reply = await fetch(`${served.url}/ocs/v2.php/cloud/shares?code=RATE_LIMITED`);
  assert.equal(reply.status, 429);
  assert.equal(reply.headers.get('retry-after'), '3');
  assert.match(reply.headers.get('content-type') ?? '', /^text\/xml/);
  const envelope = parseOcsEnvelope(await reply.text());
  assert.ok(envelope.ok);
  assert.deepEqual(envelope.value.meta, {
    status: 'failure',
    statuscode: 429,
    message: 'a RATE_LIMITED <refusal> & more',
  });
});

test('v1: HTTP 200 with the code in meta; JSON with format=json', async () => {
  const reply = await fetch(
    `${served.url}/ocs/v1.php/cloud/shares?format=json&code=PAYLOAD_TOO_LARGE`,
  );
  assert.equal(reply.status, 200);
  assert.deepEqual(await reply.json(), {
    ocs: {
      meta: { status: 'failure', statuscode: 413, message: 'a PAYLOAD_TOO_LARGE <refusal> & more' },
      data: [],
    },
  });
});

test('unauthenticated is 997 (HTTP 401 on both versions)', async () => {
  const reply = await fetch(
    `${served.url}/ocs/v1.php/cloud/shares?format=json&code=UNAUTHENTICATED`,
  );
  assert.equal(reply.status, 401);
  const body = (await reply.json()) as { ocs: { meta: { statuscode: number } } };
  assert.equal(body.ocs.meta.statuscode, 997);
});

test('an unexpected error is 996 with a generic message and nothing of its cause', async () => {
  const reply = await fetch(`${served.url}/ocs/v2.php/cloud/shares?format=json&code=INTERNAL`);
  assert.equal(reply.status, 500);
  const text = await reply.text();
  assert.match(text, /"statuscode":996/);
  assert.ok(!text.includes('hunter2'));
  assert.ok(!text.includes('    at '));
  assert.ok(logs.some((l) => l.level === 'error'));
});

test('a framework 4xx stays a 4xx, not a 996', async () => {
  const reply = await fetch(`${served.url}/ocs/v2.php/cloud/shares?format=json&raw=1`);
  assert.equal(reply.status, 400);
});

test('non-OCS targets fall through to the OCM responder', async () => {
  const reply = await fetch(`${served.url}/ocm/shares?code=FORBIDDEN`);
  assert.equal(reply.status, 403);
  assert.equal(((await reply.json()) as { message: string }).message, 'FORBIDDEN');
});
