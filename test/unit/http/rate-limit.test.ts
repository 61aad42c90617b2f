import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { parseCidrList } from '../../../gateway/core/network/cidr.ts';
import {
  compilePeerPolicy,
  type PeerPolicyConfig,
} from '../../../gateway/core/policy/peer-policy.ts';
import { rateLimit } from '../../../gateway/http/middleware/rate-limit.ts';
import { ocmErrorResponder } from '../../../gateway/http/ocm-error-responder.ts';
import { ocsErrorResponder } from '../../../gateway/http/ocs-error-responder.ts';
import {
  createMetrics,
  type GatewayMetrics,
} from '../../../gateway/observability/create-metrics.ts';
import type { ShortLivedStore } from '../../../gateway/ports/short-lived-store.ts';
import { ManualClock } from '../../contract/manual-clock.ts';
import { captureLogger, type LogLine } from './capture-logger.ts';
import { serveApp, type ServedApp } from './serve-app.ts';

const running: ServedApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

interface Setup {
  readonly url: string;
  readonly clock: ManualClock;
  readonly metrics: GatewayMetrics;
  readonly logs: LogLine[];
}

async function setup(
  policy: Partial<PeerPolicyConfig>,
  options: { store?: ShortLivedStore; trustedProxies?: string[] } = {},
): Promise<Setup> {
  const compiled = compilePeerPolicy({
    allowHosts: [],
    denyHosts: [],
    allowNetworks: [],
    denyNetworks: [],
    signatures: 'prefer',
    rateLimit: { requests: 1_000, windowSeconds: 60 },
    perPeerRateLimit: { requests: 3, windowSeconds: 60 },
    peers: [],
    ...policy,
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const clock = new ManualClock(1_000_000);
  const metrics = createMetrics({ collectDefaults: false });
  const logs: LogLine[] = [];
  const logger = captureLogger(logs);
  const app = express();
  app.use(
    rateLimit({
      store: options.store ?? new MemoryShortLivedStore({ clock: clock.now }),
      policy: compiled.policy,
      trustedProxies: parseCidrList(options.trustedProxies ?? [], 'p').networks,
      logger,
      metrics,
    }),
  );
  app.use((_req, res) => {
    res.status(204).end();
  });
  app.use(ocsErrorResponder(logger));
  app.use(ocmErrorResponder(logger));
  const served = await serveApp(app);
  running.push(served);
  return { url: served.url, clock, metrics, logs };
}

const from = (host: string) => ({
  'Signature-Input': `ocm=("@method");keyid="${host}#k"`,
});

async function statuses(url: string, count: number, headers: Record<string, string> = {}) {
  const result: number[] = [];
  for (let i = 0; i < count; i += 1) result.push((await fetch(url, { headers })).status);
  return result;
}

test('per caller: over the limit is 429 with Retry-After, in the dialect, and counted', async () => {
  const { url, metrics } = await setup({});
  assert.deepEqual(await statuses(`${url}/ocm/shares`, 3, from('a.example')), [204, 204, 204]);
  const reply = await fetch(`${url}/ocm/shares`, { headers: from('a.example') });
  assert.equal(reply.status, 429);
  // 3 per 60 s refills one token every 20 s.
  assert.equal(reply.headers.get('retry-after'), '20');
  assert.equal(((await reply.json()) as { message: string }).message, 'RATE_LIMITED');
  const ocs = await fetch(`${url}/ocs/v2.php/cloud/shares?format=json`, {
    headers: from('a.example'),
  });
  assert.equal(ocs.status, 429);
  assert.match(await ocs.text(), /"statuscode":429/);
  const { values } = await metrics.requestsRefused.get();
  assert.equal(values.find((v) => v.labels.reason === 'peer')?.value, 2);
});

test('the bucket refills with time', async () => {
  const { url, clock } = await setup({});
  await statuses(url, 3, from('a.example'));
  assert.equal((await fetch(url, { headers: from('a.example') })).status, 429);
  clock.advance(20_000);
  assert.equal((await fetch(url, { headers: from('a.example') })).status, 204);
});

test('the key is the claimed host with the client address; without a claim, the address', async () => {
  const { url } = await setup({});
  await statuses(url, 3, from('a.example'));
  assert.equal((await fetch(url, { headers: from('a.example') })).status, 429);
  assert.equal((await fetch(url, { headers: from('b.example') })).status, 204);
  assert.deepEqual(await statuses(url, 4), [204, 204, 204, 429]);
});

test('a forger claiming a real peer from elsewhere cannot empty that peer’s bucket', async () => {
  const { url } = await setup({}, { trustedProxies: ['127.0.0.0/8'] });
  const as = (ip: string) => ({ ...from('real.example'), 'X-Forwarded-For': ip });
  // The forger at 203.0.113.66 spends the claim from its own address, then is refused.
  assert.deepEqual(await statuses(url, 4, as('203.0.113.66')), [204, 204, 204, 429]);
  // The real peer, sending from its own address, still has its whole bucket before the body
  // (its own bucket across addresses is spent once its signature is verified).
  assert.deepEqual(await statuses(url, 3, as('198.51.100.10')), [204, 204, 204]);
});

test('a peers[] entry raises (or lowers) one peer limit', async () => {
  const { url } = await setup({
    peers: [{ host: 'big.example', rateLimit: { requests: 10, windowSeconds: 60 } }],
  });
  const results = await statuses(url, 11, from('big.example'));
  assert.deepEqual(results.slice(0, 10), Array(10).fill(204));
  assert.equal(results[10], 429);
});

test('the global bucket caps all callers; a caller over its own limit cannot drain it', async () => {
  const { url, metrics } = await setup({
    rateLimit: { requests: 5, windowSeconds: 60 },
    perPeerRateLimit: { requests: 2, windowSeconds: 60 },
    // Every caller here shares 127.0.0.1: keep the address bucket out of this test.
    perAddressRateLimit: { requests: 100, windowSeconds: 60 },
  });
  // a.example spends 2 global tokens, then 10 refused hits that must spend nothing.
  assert.deepEqual(await statuses(url, 12, from('a.example')), [
    204,
    204,
    ...Array<number>(10).fill(429),
  ]);
  assert.deepEqual(await statuses(url, 2, from('b.example')), [204, 204]);
  assert.deepEqual(await statuses(url, 2, from('c.example')), [204, 429]);
  const { values } = await metrics.requestsRefused.get();
  assert.equal(values.find((v) => v.labels.reason === 'global')?.value, 1);
});

test('one address claiming made-up hosts is held by its address bucket (default: twice per peer)', async () => {
  const { url, metrics, logs } = await setup({});
  // perPeerRateLimit 3: each made-up host has a fresh peer bucket, the address has 6 in all.
  const hosts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((h) => `${h}.forged.example`);
  const results: number[] = [];
  for (const host of hosts) results.push((await fetch(url, { headers: from(host) })).status);
  assert.deepEqual(results, [204, 204, 204, 204, 204, 204, 429]);
  const { values } = await metrics.requestsRefused.get();
  assert.equal(values.find((v) => v.labels.reason === 'address')?.value, 1);
  assert.ok(logs.some((l) => l.message === 'rate limited' && l.fields.bucket === 'address'));
});

test('behind a trusted proxy each forwarded address has its own address bucket', async () => {
  const { url } = await setup(
    {
      perPeerRateLimit: { requests: 1, windowSeconds: 60 },
      perAddressRateLimit: { requests: 2, windowSeconds: 60 },
    },
    { trustedProxies: ['127.0.0.0/8'] },
  );
  const as = (ip: string, host: string) => ({ ...from(host), 'X-Forwarded-For': ip });
  assert.equal((await fetch(url, { headers: as('198.51.100.1', 'a.example') })).status, 204);
  assert.equal((await fetch(url, { headers: as('198.51.100.1', 'b.example') })).status, 204);
  assert.equal((await fetch(url, { headers: as('198.51.100.1', 'c.example') })).status, 429);
  assert.equal((await fetch(url, { headers: as('198.51.100.2', 'd.example') })).status, 204);
});

test('a peer whose own limit is higher is not held below it by the address bucket', async () => {
  const { url } = await setup({
    perAddressRateLimit: { requests: 2, windowSeconds: 60 },
    peers: [{ host: 'big.example', rateLimit: { requests: 10, windowSeconds: 60 } }],
  });
  const results = await statuses(url, 11, from('big.example'));
  assert.deepEqual(results.slice(0, 10), Array(10).fill(204));
  assert.equal(results[10], 429);
});

test('X-Forwarded-For names the caller only behind a trusted proxy', async () => {
  const trusted = await setup({}, { trustedProxies: ['127.0.0.0/8'] });
  const xff = (ip: string) => ({ 'X-Forwarded-For': ip });
  assert.deepEqual(await statuses(trusted.url, 4, xff('198.51.100.1')), [204, 204, 204, 429]);
  assert.equal((await fetch(trusted.url, { headers: xff('198.51.100.2') })).status, 204);

  const untrusted = await setup({});
  await statuses(untrusted.url, 3, xff('198.51.100.1'));
  // A forged header does not buy a fresh bucket.
  assert.equal((await fetch(untrusted.url, { headers: xff('198.51.100.2') })).status, 429);
});

test('a failing store lets the request through, logged and counted', async () => {
  const broken = new MemoryShortLivedStore();
  broken.hit = () =>
    Promise.reject(new GatewayError('UNAVAILABLE', 'redis down', { retryAfterSeconds: 5 }));
  const { url, metrics, logs } = await setup({}, { store: broken });
  assert.deepEqual(await statuses(url, 5), [204, 204, 204, 204, 204]);
  const { values } = await metrics.storeErrors.get();
  assert.equal(values.find((v) => v.labels.operation === 'rate-limit')?.value, 5);
  assert.ok(logs.some((l) => l.level === 'warn' && /rate limit not applied/.test(l.message)));
});
