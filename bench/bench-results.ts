/** The shape of bench/results.json (schema ocm-gateway-bench/1), how a figure is judged, and a checker for the smoke test. */
import { sampleStats } from './sample-stats.ts';

export const RESULTS_SCHEMA = 'ocm-gateway-bench/1';

/** Every scenario of issue 4, measured or not, in table order. */
export const SCENARIO_IDS = [
  'passthrough',
  'webdav-streaming',
  'facade-streaming',
  'capability-lookups',
  'share-creation',
  'notification-round-trips',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Scenarios that can run today (a scenario whose flow is not built yet would be left out). */
export const MEASURABLE_SCENARIOS = [
  'passthrough',
  'webdav-streaming',
  'facade-streaming',
  'capability-lookups',
  'share-creation',
  'notification-round-trips',
] as const satisfies readonly ScenarioId[];

export type ScenarioStatus = 'measured' | 'not-measured' | 'skipped' | 'failed';
export type StateKind = 'embedded' | 'redis' | 'none';

export interface Target {
  readonly comparator: '>=' | '<=';
  readonly value: number;
}

export interface Figure {
  readonly id: string;
  readonly label: string;
  /** '×' for a ratio, or the unit of an absolute or difference figure. */
  readonly unit: string;
  readonly state: StateKind;
  /** The figure as computed from each round's side-by-side runs. */
  readonly perRound: readonly number[];
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Ratios are judged on the median; memory on the worst round. */
  readonly judgedOn: 'median' | 'max';
  readonly target: Target | null;
  /** null when there is no target or nothing was measured. */
  readonly met: boolean | null;
  /** Some rounds fall on each side of the target: the verdict is within the noise. */
  readonly straddles: boolean;
  /** The absolute medians behind the figure, or why it was not measured. */
  readonly detail: string;
}

export interface ScenarioResult {
  readonly id: ScenarioId;
  readonly title: string;
  readonly status: ScenarioStatus;
  readonly reason: string | null;
  readonly rounds: number;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** subject → metric → one value per round (warm-up runs excluded). */
  readonly samples: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  /** subject → metric → median over the rounds. */
  readonly medians: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
  readonly figures: readonly Figure[];
  readonly durationSeconds: number;
}

export interface BenchEnvironment {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryMiB: number;
  /** 1-minute load average when the run started: a busy machine widens the spread. */
  readonly loadAverage: number;
  readonly date: string;
  readonly gitCommit: string | null;
  /** Tracked files differed from the commit when the run started. */
  readonly gitDirty: boolean | null;
}

export interface BenchResults {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly environment: BenchEnvironment;
  readonly run: {
    readonly mode: 'full' | 'quick' | 'tiny';
    readonly only: readonly ScenarioId[] | null;
    readonly durationSeconds: number;
    /** Every child process the run started; none may outlive it. */
    readonly processes: readonly { readonly role: string; readonly pid: number }[];
  };
  readonly scenarios: readonly ScenarioResult[];
}

export interface FigureInput {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly state: StateKind;
  readonly perRound: readonly number[];
  readonly target?: Target;
  readonly judgedOn?: 'median' | 'max';
  readonly detail: string;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function meets(value: number, target: Target): boolean {
  return target.comparator === '>=' ? value >= target.value : value <= target.value;
}

/** A measured figure: median and spread of its per-round values, judged against its target. */
export function buildFigure(input: FigureInput): Figure {
  const stats = sampleStats(input.perRound.filter(Number.isFinite));
  const judgedOn = input.judgedOn ?? 'median';
  const judged = judgedOn === 'median' ? stats.median : stats.max;
  const target = input.target ?? null;
  const measured = Number.isFinite(judged);
  return {
    id: input.id,
    label: input.label,
    unit: input.unit,
    state: input.state,
    perRound: [...input.perRound],
    median: finiteOrNull(stats.median),
    min: finiteOrNull(stats.min),
    max: finiteOrNull(stats.max),
    judgedOn,
    target,
    met: target === null || !measured ? null : meets(judged, target),
    straddles: target !== null && measured && meets(stats.min, target) !== meets(stats.max, target),
    detail: input.detail,
  };
}

/** A figure the issue asks for that cannot be measured yet, so the table shows the gap. */
export function unmeasuredFigure(
  input: Omit<FigureInput, 'perRound' | 'detail'> & { readonly why: string },
): Figure {
  return {
    ...buildFigure({ ...input, perRound: [], detail: input.why }),
    met: null,
    straddles: false,
  };
}

/** Per-subject medians of each metric. */
export function mediansOf(
  samples: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>,
): Record<string, Record<string, number | null>> {
  return Object.fromEntries(
    Object.entries(samples).map(([subject, metrics]) => [
      subject,
      Object.fromEntries(
        Object.entries(metrics).map(([metric, values]) => [
          metric,
          finiteOrNull(sampleStats(values).median),
        ]),
      ),
    ]),
  );
}

/** Problems with a parsed results file (empty when well-formed); the smoke test's oracle. */
export function checkBenchResults(value: unknown): string[] {
  const problems: string[] = [];
  const results = value as Partial<BenchResults> | null;
  if (typeof results !== 'object' || results === null) return ['not an object'];
  if (results.schema !== RESULTS_SCHEMA) problems.push(`schema is not ${RESULTS_SCHEMA}`);
  const env = results.environment;
  if (env === undefined) problems.push('environment missing');
  else {
    for (const field of ['node', 'cpuModel', 'date', 'platform'] as const) {
      if (typeof env[field] !== 'string' || env[field] === '')
        problems.push(`environment.${field}`);
    }
    if (!Number.isInteger(env.cores) || env.cores < 1) problems.push('environment.cores');
    if (Number.isNaN(Date.parse(env.date))) problems.push('environment.date is not a date');
    if (env.gitCommit !== null && !/^[0-9a-f]{40}$/.test(env.gitCommit)) {
      problems.push('environment.gitCommit');
    }
  }
  if (!Array.isArray(results.run?.processes)) problems.push('run.processes missing');
  const scenarios = arrayOf(results.scenarios);
  for (const id of SCENARIO_IDS) {
    const found = scenarios.filter((scenario) => scenario.id === id);
    if (found.length !== 1) problems.push(`scenario ${id} appears ${found.length} times`);
  }
  for (const scenario of scenarios) problems.push(...checkScenario(scenario));
  return problems;
}

/** A JSON value that should be an array, read without trusting it. */
function arrayOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [];
}

function checkScenario(scenario: ScenarioResult): string[] {
  const problems: string[] = [];
  const at = `scenario ${scenario.id}`;
  if (!['measured', 'not-measured', 'skipped', 'failed'].includes(scenario.status)) {
    problems.push(`${at}: status ${scenario.status}`);
  }
  if (scenario.status !== 'measured' && !scenario.reason) problems.push(`${at}: no reason`);
  const figures = arrayOf(scenario.figures);
  if (figures.length === 0) return [...problems, `${at}: no figures`];
  for (const figure of figures) {
    const where = `${at} figure ${figure.id}`;
    if (scenario.status === 'measured' && figure.state !== 'redis' && figure.median === null) {
      problems.push(`${where}: measured scenario without a value`);
    }
    if (figure.median !== null) {
      if (figure.perRound.length !== scenario.rounds) problems.push(`${where}: rounds`);
      const { min, median, max } = figure;
      if (min === null || max === null || !(min <= median && median <= max)) {
        problems.push(`${where}: min ≤ median ≤ max does not hold`);
      }
      if (figure.target !== null && typeof figure.met !== 'boolean') problems.push(`${where}: met`);
    } else if (figure.met !== null) problems.push(`${where}: verdict without a value`);
    if (typeof figure.detail !== 'string' || figure.detail === '')
      problems.push(`${where}: detail`);
  }
  if (scenario.status === 'measured') {
    for (const [subject, metrics] of Object.entries(scenario.samples)) {
      for (const [metric, values] of Object.entries(metrics)) {
        if (values.length !== scenario.rounds) problems.push(`${at}: ${subject}.${metric} rounds`);
      }
    }
  }
  return problems;
}
