import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createStores, type Stores } from '../../../adapters/create-stores.ts';
import { createPublicApp } from '../../../gateway/http/create-public-app.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startRedisProcess, type RedisProcess } from '../../support/redis-process.ts';

// A durable write during a Redis outage must reach the caller as 503 + Retry-After (the sender
// retries), never as a 500, a hang or a silent loss; and the gateway must recover by itself.
let redis: RedisProcess;
let stores: Stores;
let server: Server;
let url: string;
const logLines: string[] = [];

before(async () => {
  redis = await startRedisProcess();
  stores = await createStores({
    redisUrl: redis.url,
    dataDir: '/nonexistent',
    keyPrefix: `outage-http-${process.pid}:`,
    secretKey: 'an-outage-test-ledger-key-of-32-chars-or-more',
  });
  const routes = express.Router();
  routes.post('/ocm/shares', express.json(), async (req, res) => {
    const body = req.body as { providerId: string };
    const { record, created } = await stores.ledger.shares.create({
      direction: 'incoming',
      peerHost: 'peer.example',
      providerId: body.providerId,
      sharedSecret: `secret-${body.providerId}`,
      dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
      owner: 'alice@peer.example',
      sender: 'alice@peer.example',
      shareWith: 'bob@cloud.example.org',
      resourceName: 'Project Docs',
    });
    res.status(created ? 201 : 200).json({ alias: record.alias });
  });
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
  const app = createPublicApp({
    logger: createLogger({ level: 'info', stream: logStream }),
    metrics: createMetrics({ collectDefaults: false }),
    federationRoutes: [routes],
    passthrough: (_req, res) => res.status(418).end(),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.close();
  await stores.close();
  await redis.stop();
});

const share = (providerId: string) =>
  fetch(`${url}/ocm/shares`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ providerId }),
  });

test('with Redis up the write succeeds', async () => {
  const reply = await share('p-1');
  assert.equal(reply.status, 201);
});

test('with Redis killed the write is a 503 with Retry-After and an OCM body, quickly', async () => {
  await redis.stop();
  const started = Date.now();
  const reply = await share('p-2');
  assert.ok(Date.now() - started < 3_000, 'fails fast, no hang');
  assert.equal(reply.status, 503);
  assert.ok(Number(reply.headers.get('retry-after')) >= 1);
  const body = (await reply.json()) as { message: string };
  assert.equal(body.message, 'UNAVAILABLE');
  assert.ok(!JSON.stringify(logLines).includes('secret-p-2'), 'the secret is not logged');
});

test('after Redis returns the same request succeeds without any manual step', async () => {
  await redis.restart();
  let status = 0;
  for (let i = 0; i < 50 && status !== 201; i += 1) {
    status = (await share('p-2')).status;
    if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(status, 201);
  assert.equal((await share('p-2')).status, 200, 'a retried identical share is not created twice');
});
