/**
 * Requests/s of federation calls, subject by subject in interleaved rounds: what the share and
 * notification scenarios share. A subject may prepare each round untimed (e.g. create the shares
 * its notifications are about); only `send` is timed.
 */
import type { RequestsResult } from '../children/load-child.ts';
import { runInterleavedRounds } from '../interleaved-rounds.ts';
import type { ProgressLine } from '../progress-line.ts';

export interface ThroughputSubject<S extends string> {
  readonly id: S;
  readonly label: string;
  /** Untimed work before the timed batch of this round (`tag` names its shares). */
  readonly prepare?: (tag: string, count: number) => Promise<void>;
  readonly send: (tag: string, count: number) => Promise<RequestsResult>;
}

export interface ThroughputSample {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function runThroughputRounds<S extends string>(options: {
  readonly subjects: readonly ThroughputSubject<S>[];
  readonly rounds: number;
  readonly warmup: number;
  readonly count: number;
  readonly unit: string;
  readonly progress: ProgressLine;
}): Promise<Record<S, ThroughputSample[]>> {
  const { subjects, rounds, progress } = options;
  const byId = new Map(subjects.map((subject) => [subject.id, subject]));
  const subjectOf = (id: S): ThroughputSubject<S> => {
    const subject = byId.get(id);
    if (subject === undefined) throw new Error(`no subject ${id}`);
    return subject;
  };
  for (const subject of subjects) {
    progress.update(`warming up ${subject.label}`);
    const tag = `${subject.id}-warmup`;
    await subject.prepare?.(tag, options.warmup);
    await subject.send(tag, options.warmup);
  }
  return runInterleavedRounds<S, ThroughputSample>({
    subjects: subjects.map((subject) => subject.id),
    rounds,
    measure: async (id, round) => {
      const subject = subjectOf(id);
      const tag = `${id}-r${round + 1}`;
      const step = `round ${round + 1}/${rounds} · ${subject.label}`;
      if (subject.prepare !== undefined) {
        progress.update(`${step}: preparing ${options.count}…`);
        await subject.prepare(tag, options.count);
      }
      progress.update(`${step}…`);
      const result = await subject.send(tag, options.count);
      return { perSecond: result.rps, p50Ms: result.p50Ms, p99Ms: result.p99Ms };
    },
    afterEach: (round, id, sample) => {
      progress.update(
        `round ${round + 1}/${rounds} · ${subjectOf(id).label} ${Math.round(sample.perSecond)} ${options.unit}, p50 ${sample.p50Ms.toFixed(2)} ms`,
      );
    },
  });
}

/** The samples as results.json stores them: metric → one value per round. */
export function throughputColumns(samples: readonly ThroughputSample[]): Record<string, number[]> {
  return {
    perSecond: samples.map((s) => s.perSecond),
    p50Ms: samples.map((s) => s.p50Ms),
    p99Ms: samples.map((s) => s.p99Ms),
  };
}
