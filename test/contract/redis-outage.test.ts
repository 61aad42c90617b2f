/**
 * DESIGN §4 failure semantics against a real redis-server that is killed and restarted: the cache
 * degrades to misses, durable and short-lived writes fail with UNAVAILABLE + Retry-After, health
 * says why, nothing crashes, and everything recovers without a manual reconnect.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStores, type Stores, type StoreName } from '../../adapters/create-stores.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { startRedisProcess } from '../support/redis-process.ts';
import { LEDGER_TEST_KEY, newShare } from './ledger.contract.ts';
import { ManualClock } from './manual-clock.ts';

function isUnavailable(error: unknown): boolean {
  assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
  assert.equal(error.code, 'UNAVAILABLE');
  assert.equal(error.status, 503);
  assert.ok((error.retryAfterSeconds ?? 0) > 0, 'Retry-After is set');
  return true;
}

async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) assert.fail(`${what} within ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function allHealthy(stores: Stores): Promise<boolean> {
  const reports = await Promise.all(stores.checks.map((check) => check.health()));
  return reports.every((report) => report.ok);
}

function watchConsole(t: TestContext): () => string[] {
  const error = t.mock.method(console, 'error', () => undefined);
  const warn = t.mock.method(console, 'warn', () => undefined);
  return () =>
    [...error.mock.calls, ...warn.mock.calls].map((call) => call.arguments.map(String).join(' '));
}

test('a Redis outage degrades, never crashes, and heals by itself', async (t) => {
  const consoleLines = watchConsole(t);
  const redis = await startRedisProcess();
  t.after(() => redis.stop());
  const dataDir = mkdtempSync(join(tmpdir(), 'outage-'));
  t.after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const clock = new ManualClock();
  const reported: { store: StoreName; operation: string }[] = [];
  const stores = await createStores({
    redisUrl: redis.url,
    dataDir,
    keyPrefix: 'outage:',
    secretKey: LEDGER_TEST_KEY,
    clock: clock.now,
    capabilityCacheL1Ms: 1_000,
    onError: (store, operation) => reported.push({ store, operation }),
  });
  t.after(() => stores.close());
  const { capabilityCache: cache, ledger, shortLived } = stores;
  assert.equal(stores.mode, 'shared');

  const entry = {
    value: { v: 1 },
    fetchedAt: clock.now(),
    staleAt: clock.now() + 60_000,
    expiresAt: clock.now() + 120_000,
  };
  await cache.put('known.example.org', entry);
  await ledger.shares.create(newShare());
  assert.ok(await allHealthy(stores));

  await redis.stop();

  // Right after the kill, before the client has necessarily noticed: nothing hangs.
  const started = performance.now();
  assert.equal(await cache.get('unknown.example.org'), undefined);
  assert.ok(performance.now() - started < 1_000, 'a cache read during an outage is fast');
  await assert.rejects(ledger.shares.create(newShare()), isUnavailable);

  await until('health turns bad', async () => !(await allHealthy(stores)), 2_000);
  for (const check of stores.checks) {
    const report = await check.health();
    assert.equal(report.ok, false, check.name);
    assert.match(report.detail, /redis .*not connected \(status: \w+\)/);
  }

  const readStart = performance.now();
  assert.equal(await cache.get('other.example.org'), undefined, 'a miss, not a throw');
  clock.advance(1_001); // the L1 copy is no longer trusted, Redis is asked, and fails
  assert.deepEqual(await cache.get('known.example.org'), entry, 'the L1 copy bridges the outage');
  await cache.put('new.example.org', entry); // reported, not thrown
  await cache.forget('known.example.org');
  assert.ok(performance.now() - readStart < 1_000);
  await assert.rejects(cache.list(), isUnavailable);

  await assert.rejects(ledger.shares.create(newShare()), isUnavailable);
  await assert.rejects(ledger.shares.findBySecret('x'), isUnavailable);
  await assert.rejects(
    ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: {} }),
    isUnavailable,
  );
  await assert.rejects(
    ledger.outbox.claim({ owner: 'w', leaseMs: 1_000, limit: 1 }),
    isUnavailable,
  );
  await assert.rejects(
    ledger.invites.create({ token: 't', sender: 's', expiresAt: 1 }),
    isUnavailable,
  );
  await assert.rejects(shortLived.remember('n', 1_000), isUnavailable);
  await assert.rejects(shortLived.hit('r', 1, 1_000), isUnavailable);
  await assert.rejects(shortLived.setToken('t', 'v', 1_000), isUnavailable);
  await assert.rejects(shortLived.getToken('t'), isUnavailable);
  await assert.rejects(shortLived.acquireLock('l', 'me', 1_000), isUnavailable);

  const stores_ = new Set(reported.map((r) => r.store));
  assert.ok(stores_.has('redis'), 'the connection loss was reported');
  assert.ok(stores_.has('capability-cache'), 'absorbed cache failures were reported');
  const connectionReports = reported.filter((r) => r.store === 'redis').length;
  assert.ok(connectionReports <= 2, `one report per outage, got ${String(connectionReports)}`);

  await redis.restart();
  await until('health recovers without a manual reconnect', () => allHealthy(stores), 5_000);

  await cache.put('after.example.org', entry);
  clock.advance(1_001);
  assert.deepEqual(await cache.get('after.example.org'), entry);
  const { created } = await ledger.shares.create(newShare());
  assert.equal(created, true);
  assert.equal(await shortLived.remember('after', 1_000), true);
  assert.equal((await ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: 1 })).attempts, 0);

  assert.deepEqual(
    consoleLines().filter((line) => line.includes('ioredis')),
    [],
    'no unhandled ioredis error events',
  );
});

test('a Redis that is down at start-up does not stop the stores; they connect once it is up', async (t) => {
  const redis = await startRedisProcess();
  t.after(() => redis.stop());
  await redis.stop();
  const dataDir = mkdtempSync(join(tmpdir(), 'outage-'));
  t.after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const reported: StoreName[] = [];
  const started = performance.now();
  const stores = await createStores({
    redisUrl: redis.url,
    dataDir,
    keyPrefix: 'late:',
    secretKey: LEDGER_TEST_KEY,
    onError: (store) => reported.push(store),
  });
  t.after(() => stores.close());
  assert.ok(performance.now() - started < 2_000, 'start-up is not held up');
  assert.ok(reported.includes('redis'));
  assert.equal(await stores.capabilityCache.get('x'), undefined);
  await assert.rejects(stores.shortLived.remember('n', 1_000), isUnavailable);
  assert.equal(await allHealthy(stores), false);

  await redis.restart();
  await until('the stores connect by themselves', () => allHealthy(stores), 5_000);
  assert.equal(await stores.shortLived.remember('n', 1_000), true);
});
