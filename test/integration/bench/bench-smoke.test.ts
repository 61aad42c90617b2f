/** `npm run bench -- --tiny` end to end: exits 0 (no scenario broke), writes well-formed results with every scenario measured, leaves no process. Never judges speed. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkBenchResults,
  MEASURABLE_SCENARIOS,
  SCENARIO_IDS,
  type BenchResults,
} from '../../../bench/bench-results.ts';

const RUN_BENCH = join(import.meta.dirname, '..', '..', '..', 'bench', 'run-bench.ts');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Run {
  readonly pid: number;
  readonly code: Promise<number | null>;
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
}

function startBench(args: readonly string[]): Run {
  const child = spawn(process.execPath, [RUN_BENCH, ...args], {
    env: { PATH: process.env.PATH ?? '', BENCH_REDIS_URL: REDIS_URL },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = new Promise<number | null>((resolve) => {
    child.once('exit', (exitCode) => {
      resolve(exitCode);
    });
  });
  // A hung bench must not outlive its test.
  const guard = setTimeout(() => child.kill('SIGKILL'), 80_000);
  void code.then(() => {
    clearTimeout(guard);
  });
  return {
    pid: child.pid ?? -1,
    code,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Direct children of `pid`, read from /proc (each /proc/<n>/stat carries the parent pid). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

describe('npm run bench', () => {
  test(
    '--tiny runs every scenario and writes well-formed results',
    { timeout: 90_000 },
    async (t) => {
      const out = tempDir(t);
      const run = startBench(['--tiny', '--out', out]);
      // Exit 1 when any scenario failed: its error is in stderr.
      assert.equal(await run.code, 0, run.stderr());

      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
      assert.deepEqual(checkBenchResults(results), []);
      assert.deepEqual(
        results.scenarios.map((scenario) => scenario.id),
        [...SCENARIO_IDS],
      );
      assert.deepEqual([...MEASURABLE_SCENARIOS].sort(), [...SCENARIO_IDS].sort());
      for (const scenario of results.scenarios) {
        assert.equal(scenario.status, 'measured', `${scenario.id}: ${scenario.reason ?? ''}`);
        // With a Redis in the test environment, the shared-state figures are measured too.
        for (const figure of scenario.figures) {
          assert.notEqual(figure.median, null, `${scenario.id} ${figure.id}: ${figure.detail}`);
        }
      }
      assert.equal(results.run.mode, 'tiny');
      const settings = (id: string) => results.scenarios.find((s) => s.id === id)?.settings ?? {};
      // The translated flows reached the backend once per share / notification, and the Redis
      // gateways' keys were deleted.
      assert.ok(Number(settings('share-creation').backendCreateShareCalls) > 0);
      assert.ok(Number(settings('share-creation').redisKeysDeleted) > 0);
      assert.ok(Number(settings('notification-round-trips').backendUnshareCalls) > 0);
      assert.ok(Number(settings('notification-round-trips').backendAcceptCalls) > 0);
      assert.ok(Number(settings('notification-round-trips').redisKeysDeleted) > 0);
      assert.ok(Number(settings('facade-streaming').peerGets) > 0);

      const markdown = readFileSync(join(out, 'results.md'), 'utf8');
      for (const figure of results.scenarios.flatMap((s) => s.figures)) {
        assert.ok(markdown.includes(figure.label), `results.md lacks the row "${figure.label}"`);
      }
      assert.doesNotMatch(markdown, /not measured/);
      for (const id of MEASURABLE_SCENARIOS)
        assert.match(run.stderr(), new RegExp(`${id} +round 1/2`));

      assert.ok(results.run.processes.length >= 5);
      const alive = results.run.processes.filter((p) => isAlive(p.pid));
      assert.deepEqual(alive, [], 'bench child processes outlived the run');
    },
  );

  test(
    '--only runs one scenario and records the others as skipped',
    { timeout: 60_000 },
    async (t) => {
      const out = tempDir(t);
      const run = startBench(['--tiny', '--only', 'capability-lookups', '--out', out]);
      assert.equal(await run.code, 0, run.stderr());
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
      assert.deepEqual(checkBenchResults(results), []);
      const status = Object.fromEntries(results.scenarios.map((s) => [s.id, s.status]));
      assert.equal(status['capability-lookups'], 'measured');
      assert.equal(status.passthrough, 'skipped');
      assert.equal(status['webdav-streaming'], 'skipped');
      assert.deepEqual(results.run.only, ['capability-lookups']);
    },
  );

  test('an interrupted run leaves no child process behind', { timeout: 60_000 }, async () => {
    const run = startBench(['--quick', '--only', 'passthrough', '--out', join(tmpdir(), 'unused')]);
    await until(() => /passthrough +round 1\/2/.test(run.stderr()), 40_000);
    const children = childrenOf(run.pid);
    assert.ok(children.length >= 4, `expected the bench's children, found ${children.length}`);
    run.kill('SIGINT');
    assert.equal(await run.code, 130);
    await until(() => children.every((pid) => !isAlive(pid)), 5_000);
  });

  test('a bad option exits 2 with the usage', { timeout: 20_000 }, async () => {
    const unknown = startBench(['--only', 'share-creations']);
    assert.equal(await unknown.code, 2);
    assert.match(unknown.stderr(), /share-creations: is not a scenario/);
    assert.match(unknown.stderr(), /usage: npm run bench/);
    const both = startBench(['--quick', '--tiny']);
    assert.equal(await both.code, 2);
    assert.match(both.stderr(), /choose one/);
  });

  test('the results checker rejects a file with a scenario missing or a figure out of order', () => {
    const scenario = {
      id: 'passthrough',
      title: 't',
      status: 'measured',
      reason: null,
      rounds: 2,
      settings: {},
      samples: { direct: { rps: [1, 2] } },
      medians: {},
      durationSeconds: 1,
      figures: [
        {
          id: 'f',
          label: 'f',
          unit: '×',
          state: 'embedded',
          perRound: [1, 2],
          median: 3,
          min: 1,
          max: 2,
          judgedOn: 'median',
          target: null,
          met: null,
          straddles: false,
          detail: 'd',
        },
      ],
    };
    const problems = checkBenchResults({
      schema: 'ocm-gateway-bench/1',
      environment: {
        node: 'v24',
        cpuModel: 'x',
        date: new Date(0).toISOString(),
        platform: 'p',
        cores: 2,
        gitCommit: null,
      },
      run: { processes: [] },
      scenarios: [scenario],
    });
    assert.ok(problems.includes('scenario webdav-streaming appears 0 times'), problems.join('\n'));
    assert.ok(
      problems.some((p) => p.includes('min ≤ median ≤ max')),
      problems.join('\n'),
    );
  });
});
