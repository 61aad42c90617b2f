/** What a scenario is (its planned figures and targets), what it gets from the runner, and what it hands back. */
import type { ChildFleet } from '../child-fleet.ts';
import type { Figure, ScenarioId, StateKind, Target } from '../bench-results.ts';
import type { ProgressLine } from '../progress-line.ts';

/** `full` for the committed figures, `quick` for a rough look, `tiny` for the smoke test (plumbing only). */
export type BenchSize = 'full' | 'quick' | 'tiny';

export interface ScenarioContext {
  readonly fleet: ChildFleet;
  /** True for `quick` and `tiny`. */
  readonly quick: boolean;
  readonly size: BenchSize;
  readonly progress: ProgressLine;
  /** Redis for the shared-state figures. */
  readonly redisUrl: string;
  /** A private temporary directory (gateway data dirs); removed by the runner. */
  readonly tmpDir: string;
}

export interface ScenarioMeasurement {
  readonly rounds: number;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly samples: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  readonly figures: readonly Figure[];
}

/** A figure before it is measured: enough to show its row (and target) when it cannot be. */
export interface PlannedFigure {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly state: StateKind;
  readonly target?: Target;
  readonly judgedOn?: 'median' | 'max';
}

export interface ScenarioDefinition {
  readonly id: ScenarioId;
  readonly title: string;
  readonly planned: readonly PlannedFigure[];
  /** Absent while the flow it measures is not built; `notBuilt` then says so. */
  readonly run?: (context: ScenarioContext) => Promise<ScenarioMeasurement>;
  readonly notBuilt?: string;
}

/** The planned figure of that id (a scenario's figures keep their planned labels and targets). */
export function plannedFigure(definition: readonly PlannedFigure[], id: string): PlannedFigure {
  const found = definition.find((figure) => figure.id === id);
  if (found === undefined) throw new Error(`no planned figure ${id}`);
  return found;
}

/** The settings of this run's size; `tiny` falls back to `quick` where a scenario has no tiny set. */
export function settingsFor<T>(
  context: Pick<ScenarioContext, 'size'>,
  sets: { readonly full: T; readonly quick: T; readonly tiny?: T },
): T {
  if (context.size === 'tiny') return sets.tiny ?? sets.quick;
  return context.size === 'quick' ? sets.quick : sets.full;
}
