/**
 * `npm run bench`: the benchmark of issue 4. Runs each scenario's subjects side by side in child
 * processes, writes results.json and results.md, and leaves no process behind. A benchmark, not a
 * test: a missed target is reported, not failed; only a broken scenario exits non-zero.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  mediansOf,
  RESULTS_SCHEMA,
  unmeasuredFigure,
  type BenchResults,
  type ScenarioResult,
  type ScenarioStatus,
} from './bench-results.ts';
import { benchEnvironment } from './bench-environment.ts';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.ts';
import { ChildFleet } from './child-fleet.ts';
import { ProgressLine } from './progress-line.ts';
import { formatValue, renderResultsMarkdown } from './render-results-markdown.ts';
import { capabilityScenario } from './scenarios/capability-scenario.ts';
import { passthroughScenario } from './scenarios/passthrough-scenario.ts';
import type { ScenarioContext, ScenarioDefinition } from './scenarios/scenario-context.ts';
import { streamingScenario } from './scenarios/streaming-scenario.ts';
import { facadeStreamingScenario } from './scenarios/facade-streaming-scenario.ts';
import { notificationScenario } from './scenarios/notification-scenario.ts';
import { shareCreationScenario } from './scenarios/share-creation-scenario.ts';

const BENCH_DIR = import.meta.dirname;
const REPO_DIR = resolve(BENCH_DIR, '..');

/** Table order (bench-results SCENARIO_IDS); checked by the smoke test through the results file. */
const DEFINITIONS: readonly ScenarioDefinition[] = [
  passthroughScenario,
  streamingScenario,
  facadeStreamingScenario,
  capabilityScenario,
  shareCreationScenario,
  notificationScenario,
];

function unmeasured(
  definition: ScenarioDefinition,
  status: Exclude<ScenarioStatus, 'measured'>,
  reason: string,
  durationSeconds = 0,
): ScenarioResult {
  return {
    id: definition.id,
    title: definition.title,
    status,
    reason,
    rounds: 0,
    settings: {},
    samples: {},
    medians: {},
    figures: definition.planned.map((figure) =>
      unmeasuredFigure({ ...figure, why: `${status.replace('-', ' ')}: ${reason}` }),
    ),
    durationSeconds,
  };
}

async function runScenario(
  definition: ScenarioDefinition,
  options: BenchOptions,
  context: Omit<ScenarioContext, 'progress'>,
): Promise<ScenarioResult> {
  const progress = new ProgressLine(definition.id);
  if (definition.run === undefined) {
    const reason = definition.notBuilt ?? 'not built yet';
    progress.finish(`not measured: ${reason}`);
    return unmeasured(definition, 'not-measured', reason);
  }
  if (options.only !== null && !options.only.includes(definition.id)) {
    return unmeasured(definition, 'skipped', `not selected (--only ${options.only.join(',')})`);
  }
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  try {
    const measurement = await definition.run({ ...context, progress });
    const headline = measurement.figures.find(
      (figure) => figure.target !== null && figure.median !== null,
    );
    progress.finish(
      headline === undefined
        ? `done in ${seconds()} s`
        : `${formatValue(headline.median, headline.unit)} ${headline.met === true ? 'meets' : 'misses'} its target (${headline.id}) · ${seconds()} s`,
    );
    return {
      id: definition.id,
      title: definition.title,
      status: 'measured',
      reason: null,
      ...measurement,
      medians: mediansOf(measurement.samples),
      durationSeconds: seconds(),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress.finish(`FAILED: ${message.split('\n', 1)[0] ?? ''}`);
    process.stderr.write(`${message}\n`);
    return unmeasured(definition, 'failed', message.split('\n', 1)[0] ?? message, seconds());
  }
}

async function writeResults(results: BenchResults, outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  let markdown = renderResultsMarkdown(results);
  try {
    // The committed results.md must pass the repository's `prettier --check`.
    const prettier = await import('prettier');
    const config = await prettier.resolveConfig(join(BENCH_DIR, 'results.md'));
    markdown = await prettier.format(markdown, { ...config, parser: 'markdown' });
  } catch {
    // Without prettier the table is still valid Markdown, only not column-aligned.
  }
  writeFileSync(join(outDir, 'results.md'), markdown);
}

async function main(): Promise<number> {
  const parsed = parseBenchOptions(process.argv.slice(2), BENCH_DIR);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const environment = benchEnvironment(REPO_DIR);
  const fleet = new ChildFleet();
  const tmpDir = mkdtempSync(join(tmpdir(), 'ocm-gateway-bench-'));
  const cleanUp = (): void => {
    fleet.killNow();
    rmSync(tmpDir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every bench process\n`);
      process.exit(130);
    });
  }
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.stderr.write(
    `bench: ${parsed.size} run, node ${environment.node}, ${environment.cores} cores, load ${environment.loadAverage}\n`,
  );
  const started = performance.now();
  const scenarios: ScenarioResult[] = [];
  try {
    for (const definition of DEFINITIONS) {
      scenarios.push(
        await runScenario(definition, parsed, {
          fleet,
          quick: parsed.size !== 'full',
          size: parsed.size,
          redisUrl,
          tmpDir,
        }),
      );
    }
  } finally {
    await fleet.stopAll();
  }
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    environment,
    run: {
      mode: parsed.size,
      only: parsed.only,
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      processes: fleet.started,
    },
    scenarios,
  };
  await writeResults(results, parsed.outDir);
  process.stderr.write(`bench: wrote ${join(parsed.outDir, 'results.json')} and results.md\n`);
  return scenarios.some((scenario) => scenario.status === 'failed') ? 1 : 0;
}

process.exitCode = await main();
