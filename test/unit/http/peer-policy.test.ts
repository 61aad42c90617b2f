import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import express, { type Request } from 'express';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { parseCidrList } from '../../../gateway/core/network/cidr.ts';
import { compilePeerPolicy } from '../../../gateway/core/policy/peer-policy.ts';
import {
  confirmPeerHost,
  peerPolicy,
  peerVerdictOf,
} from '../../../gateway/http/middleware/peer-policy.ts';
import { ocmErrorResponder } from '../../../gateway/http/ocm-error-responder.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { captureLogger, type LogLine } from './capture-logger.ts';
import { serveApp, type ServedApp } from './serve-app.ts';

const logs: LogLine[] = [];
let served: ServedApp;

before(async () => {
  const compiled = compilePeerPolicy({
    allowHosts: ['partner.example'],
    denyHosts: [],
    allowNetworks: [],
    denyNetworks: ['198.51.100.0/24'],
    signatures: 'prefer',
    rateLimit: { requests: 100, windowSeconds: 60 },
    perPeerRateLimit: { requests: 100, windowSeconds: 60 },
    peers: [],
  });
  if (!compiled.ok) throw new Error('bad policy');
  const logger = captureLogger(logs);
  const app = express();
  app.get('/unguarded', (req, res, next) => {
    try {
      confirmPeerHost(req, 'partner.example');
      res.end('admitted');
    } catch (error) {
      next(error);
    }
  });
  app.use(
    peerPolicy({
      policy: compiled.policy,
      trustedProxies: parseCidrList(['127.0.0.1'], 'p').networks,
      logger,
      metrics: createMetrics({ collectDefaults: false }),
    }),
  );
  app.use((req, res, next) => {
    const host = req.get('x-test-sender');
    try {
      if (host !== undefined) confirmPeerHost(req, host);
      res.json({ verdict: peerVerdictOf(req as Request)?.kind });
    } catch (error) {
      next(error);
    }
  });
  app.use(ocmErrorResponder(logger));
  served = await serveApp(app);
});

after(async () => {
  await served.close();
});

const get = (headers: Record<string, string>) => fetch(`${served.url}/x`, { headers });

test('a caller in a denied network (seen through a trusted proxy) is refused', async () => {
  const reply = await get({ 'X-Forwarded-For': '198.51.100.20' });
  assert.equal(reply.status, 403);
  const line = logs.find((l) => l.message === 'peer refused by policy');
  assert.ok(line !== undefined);
  assert.equal(line.fields.reason, 'denied-network');
  assert.equal(line.fields.clientAddress, '198.51.100.20');
});

test('an unknown host under an allowlist waits for the route, which decides', async () => {
  assert.deepEqual(await (await get({})).json(), { verdict: 'needs-host' });
  assert.deepEqual(await (await get({ 'X-Test-Sender': 'partner.example' })).json(), {
    verdict: 'allow',
  });
  assert.equal((await get({ 'X-Test-Sender': 'stranger.example' })).status, 403);
  assert.equal((await get({ 'X-Test-Sender': 'not a host' })).status, 403);
});

test('confirmPeerHost without the middleware fails closed', async () => {
  const reply = await fetch(`${served.url}/unguarded`);
  assert.equal(reply.status, 500);
  assert.throws(
    () => {
      confirmPeerHost(Object.create(null) as Request, 'partner.example');
    },
    (error: unknown) => error instanceof GatewayError && error.code === 'INTERNAL',
  );
});
