import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackendProbeOutcome, BackendProbeResults } from '../core/backend/index.ts';
import type { Logger } from '../ports/logger.ts';
import {
  createBackendDialectDetection,
  startBackendDialectDetection,
  type DetectionTimers,
} from './detect-backend-dialect.ts';

const BACKEND = 'http://backend.internal';
const FIXTURES = fileURLToPath(new URL('../../test/sim/fixtures/legacy/', import.meta.url));

function fixtureBody(name: string): string {
  const doc = JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as {
    response: { body: unknown };
  };
  return JSON.stringify(doc.response.body);
}

function ok(path: string, body: string, status = 200): BackendProbeOutcome {
  return { kind: 'answer', url: `${BACKEND}${path}`, status, contentType: undefined, body };
}
const down: BackendProbeResults = {
  ocmProvider: { kind: 'failed', url: `${BACKEND}/ocm-provider/`, failure: 'unreachable' },
  ocsProvider: { kind: 'failed', url: `${BACKEND}/ocs-provider/`, failure: 'unreachable' },
  statusPhp: { kind: 'failed', url: `${BACKEND}/status.php`, failure: 'timeout' },
};
const owncloud10: BackendProbeResults = {
  ocmProvider: ok('/ocm-provider/', fixtureBody('discovery-ocm-provider-owncloud10')),
  ocsProvider: ok('/ocs-provider/', fixtureBody('discovery-ocs-provider')),
  statusPhp: ok('/status.php', fixtureBody('discovery-status-php')),
};
const owncloud10NoOcm: BackendProbeResults = {
  ...owncloud10,
  ocmProvider: ok('/ocm-provider/', 'Not Implemented', 501),
};

class FakeTimers implements DetectionTimers {
  readonly pending = new Map<number, { run: () => void; ms: number }>();
  #next = 1;
  set(run: () => void, ms: number): number {
    const id = this.#next++;
    this.pending.set(id, { run, ms });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires the only pending timer and returns its delay. */
  fire(): number {
    assert.equal(this.pending.size, 1, 'exactly one timer pending');
    const [id, entry] = [...this.pending.entries()][0]!;
    this.pending.delete(id);
    entry.run();
    return entry.ms;
  }
}

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const logger = {
    lines,
    error: (message: string) => lines.push({ level: 'error', message }),
    warn: (message: string) => lines.push({ level: 'warn', message }),
    info: (message: string) => lines.push({ level: 'info', message }),
    http: (message: string) => lines.push({ level: 'http', message }),
    debug: (message: string) => lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return logger;
}

function scripted(answers: BackendProbeResults[]) {
  const calls = { count: 0 };
  return {
    calls,
    prober: {
      probe: () => {
        const next = answers[Math.min(calls.count, answers.length - 1)]!;
        calls.count++;
        return Promise.resolve(next);
      },
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('backend dialect detection', () => {
  test('auto: detects, then re-checks every dialectRecheckSeconds and follows a change', async () => {
    const timers = new FakeTimers();
    const logger = recordingLogger();
    const { prober } = scripted([owncloud10, owncloud10NoOcm]);
    const detection = await startBackendDialectDetection({
      prober,
      backendUrl: BACKEND,
      dialect: 'auto',
      recheckSeconds: 300,
      clock: () => 1000,
      logger,
      timers,
    });
    assert.equal(detection.current().dialect, 'ocm-proposal1');
    assert.equal(detection.current().variant, 'owncloud10');
    assert.equal(detection.current().source, 'probe');
    assert.equal(timers.fire(), 300_000);
    await settle();
    assert.equal(detection.current().dialect, 'ocs-v2');
    assert.ok(logger.lines.some((l) => l.message === 'backend dialect changed'));
    detection.stop();
    assert.equal(timers.pending.size, 0);
  });

  test('unreachable at start: ocs-v2 unknown, retries with backoff until identified', async () => {
    const timers = new FakeTimers();
    const logger = recordingLogger();
    const { prober, calls } = scripted([down, down, owncloud10]);
    const detection = await startBackendDialectDetection({
      prober,
      backendUrl: BACKEND,
      dialect: 'auto',
      recheckSeconds: 60,
      clock: () => 1000,
      logger,
      timers,
    });
    const first = detection.current();
    assert.equal(first.dialect, 'ocs-v2');
    assert.equal(first.status, 'unknown');
    assert.equal(first.source, 'default');
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('unreachable')));
    assert.equal(timers.fire(), 5_000);
    await settle();
    assert.equal(detection.current().status, 'unknown');
    assert.equal(timers.fire(), 10_000);
    await settle();
    assert.equal(detection.current().status, 'known');
    assert.equal(detection.current().variant, 'owncloud10');
    assert.equal(timers.fire(), 60_000, 'back to the normal re-check interval');
    await settle();
    assert.equal(calls.count, 4);
    detection.stop();
  });

  test('a failed re-check keeps the last known profile', async () => {
    const timers = new FakeTimers();
    const { prober } = scripted([owncloud10, down]);
    const detection = await startBackendDialectDetection({
      prober,
      backendUrl: BACKEND,
      dialect: 'auto',
      recheckSeconds: 30,
      clock: () => 1000,
      logger: recordingLogger(),
      timers,
    });
    timers.fire();
    await settle();
    assert.equal(detection.current().status, 'known');
    assert.equal(detection.current().variant, 'owncloud10');
    detection.stop();
  });

  test('forced dialect while unreachable: forced, unknown, and re-probed', async () => {
    const timers = new FakeTimers();
    const { prober } = scripted([down, owncloud10]);
    const detection = await startBackendDialectDetection({
      prober,
      backendUrl: BACKEND,
      dialect: 'ocs-v1',
      recheckSeconds: 0,
      clock: () => 1000,
      logger: recordingLogger(),
      timers,
    });
    assert.equal(detection.current().dialect, 'ocs-v1');
    assert.equal(detection.current().status, 'unknown');
    assert.equal(detection.current().source, 'config');
    timers.fire();
    await settle();
    assert.equal(detection.current().dialect, 'ocs-v1');
    assert.equal(detection.current().status, 'known');
    assert.equal(timers.pending.size, 0, 'recheckSeconds 0: no periodic re-check once known');
  });

  test('refresh() shares one probe between concurrent callers; current() never blocks', async () => {
    const { prober, calls } = scripted([owncloud10]);
    const detection = createBackendDialectDetection({
      prober,
      backendUrl: BACKEND,
      dialect: 'auto',
      recheckSeconds: 0,
      clock: () => 1000,
      logger: recordingLogger(),
      timers: new FakeTimers(),
    });
    assert.equal(detection.current().status, 'unknown');
    const [a, b] = await Promise.all([detection.refresh(), detection.refresh()]);
    assert.equal(calls.count, 1);
    assert.equal(a, b);
    assert.equal(a.variant, 'owncloud10');
  });

  test('stop() before a pending retry fires: nothing more is scheduled', async () => {
    const timers = new FakeTimers();
    const { prober, calls } = scripted([down]);
    const detection = await startBackendDialectDetection({
      prober,
      backendUrl: BACKEND,
      dialect: 'auto',
      recheckSeconds: 60,
      clock: () => 1000,
      logger: recordingLogger(),
      timers,
    });
    detection.stop();
    assert.equal(timers.pending.size, 0);
    assert.equal(calls.count, 1);
  });
});
