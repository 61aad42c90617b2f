/** Command line of `npm run bench`: --quick, --tiny, --only <scenario>[,…], --out <dir>, --help. */
import { parseArgs } from 'node:util';
import { MEASURABLE_SCENARIOS, SCENARIO_IDS, type ScenarioId } from './bench-results.ts';
import type { BenchSize } from './scenarios/scenario-context.ts';

export interface BenchOptions {
  readonly size: BenchSize;
  /** null = every measurable scenario. */
  readonly only: readonly ScenarioId[] | null;
  readonly outDir: string;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick | --tiny] [--only <scenario>[,<scenario>…]] [--out <dir>]

  --quick   small counts (a few minutes); the figures are rough, the plumbing is the same
  --tiny    the smallest counts and sizes (the smoke test): proves every scenario works, figures meaningless
  --only    run only these scenarios: ${MEASURABLE_SCENARIOS.join(', ')}
  --out     where results.json and results.md go (default: bench/)
  BENCH_REDIS_URL   Redis for the shared-state figures (default redis://127.0.0.1:6379)`;

export function parseBenchOptions(
  argv: readonly string[],
  defaultOutDir: string,
): BenchOptions | { readonly error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        tiny: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const { values } = parsed;
  const requested = (values.only ?? []).flatMap((entry) =>
    entry
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
  for (const name of requested) {
    if (!(MEASURABLE_SCENARIOS as readonly string[]).includes(name)) {
      const why = (SCENARIO_IDS as readonly string[]).includes(name)
        ? 'cannot be measured yet (its flow is not built)'
        : 'is not a scenario';
      return { error: `--only ${name}: ${why}; choose from ${MEASURABLE_SCENARIOS.join(', ')}` };
    }
  }
  if (values.out === '') return { error: '--out needs a directory' };
  if (values.quick && values.tiny) return { error: '--quick and --tiny: choose one' };
  return {
    size: values.tiny ? 'tiny' : values.quick ? 'quick' : 'full',
    only: requested.length === 0 ? null : [...new Set(requested as ScenarioId[])],
    outDir: values.out ?? defaultOutDir,
    help: values.help,
  };
}
