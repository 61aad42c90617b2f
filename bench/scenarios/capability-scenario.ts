/**
 * Capability lookups (issue 4): the embedded in-process cache, and the Redis cache as an L1 hit,
 * a Redis hit and a miss, in interleaved rounds against the same Redis with a private key prefix.
 */
import { randomBytes } from 'node:crypto';
import { buildFigure, unmeasuredFigure, type Figure, type StateKind } from '../bench-results.ts';
import type { BenchChild } from '../child-fleet.ts';
import type { LookupResult, LookupVariant } from '../children/lookup-variants.ts';
import { perRound, runInterleavedRounds } from '../interleaved-rounds.ts';
import { sampleStats } from '../sample-stats.ts';
import {
  plannedFigure,
  settingsFor,
  type PlannedFigure,
  type ScenarioContext,
  type ScenarioDefinition,
  type ScenarioMeasurement,
} from './scenario-context.ts';

const SETTINGS = {
  full: {
    rounds: 5,
    peers: 1_000,
    concurrency: 16,
    inProcessLookups: 300_000,
    redisLookups: 40_000,
  },
  quick: { rounds: 2, peers: 200, concurrency: 16, inProcessLookups: 20_000, redisLookups: 3_000 },
  tiny: { rounds: 2, peers: 50, concurrency: 16, inProcessLookups: 2_000, redisLookups: 300 },
};
const CALL_TIMEOUT_MS = 120_000;

const LABELS: Record<LookupVariant, string> = {
  'embedded-hit': 'embedded hit',
  'embedded-miss': 'embedded miss',
  'redis-l1-hit': 'L1 hit',
  'redis-hit': 'Redis hit',
  'redis-miss': 'Redis miss',
};
const STATE = (variant: LookupVariant): StateKind =>
  variant.startsWith('redis') ? 'redis' : 'embedded';

const RATIOS: readonly { id: string; top: LookupVariant; bottom: LookupVariant; label: string }[] =
  [
    {
      id: 'l1-hit-vs-embedded-hit',
      top: 'redis-l1-hit',
      bottom: 'embedded-hit',
      label: 'L1 hit ÷ embedded hit',
    },
    {
      id: 'redis-hit-vs-l1-hit',
      top: 'redis-hit',
      bottom: 'redis-l1-hit',
      label: 'Redis hit ÷ L1 hit',
    },
    {
      id: 'redis-miss-vs-redis-hit',
      top: 'redis-miss',
      bottom: 'redis-hit',
      label: 'Redis miss ÷ Redis hit',
    },
    {
      id: 'embedded-miss-vs-hit',
      top: 'embedded-miss',
      bottom: 'embedded-hit',
      label: 'embedded miss ÷ embedded hit',
    },
  ];
const VARIANTS: readonly LookupVariant[] = [
  'embedded-hit',
  'embedded-miss',
  'redis-l1-hit',
  'redis-hit',
  'redis-miss',
];

const PLANNED: readonly PlannedFigure[] = [
  ...RATIOS.map((ratio) => ({
    id: ratio.id,
    label: `Capability lookups/s: ${ratio.label}`,
    unit: '×',
    state: STATE(ratio.top),
  })),
  ...VARIANTS.map((variant) => ({
    id: `${variant}-per-second`,
    label: `Capability lookups/s: ${LABELS[variant]} (absolute)`,
    unit: 'lookups/s',
    state: STATE(variant),
  })),
];

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const { progress } = context;
  const keyPrefix = `ocmgw-bench-${randomBytes(6).toString('hex')}:`;
  progress.update('starting the lookup process, filling the caches…');
  const child: BenchChild = await context.fleet.start('capability-lookups', {
    script: 'capability-child.ts',
    args: [JSON.stringify({ redisUrl: context.redisUrl, keyPrefix, peers: settings.peers })],
    readyTimeoutMs: 60_000,
  });
  try {
    const redisProblem =
      typeof child.announced.redisProblem === 'string' ? child.announced.redisProblem : null;
    const subjects = VARIANTS.filter((v) => redisProblem === null || !v.startsWith('redis'));
    const lookups = (variant: LookupVariant, count: number) =>
      child.call<LookupResult>(
        'lookups',
        { variant, count, concurrency: settings.concurrency },
        CALL_TIMEOUT_MS,
      );
    const countFor = (variant: LookupVariant) =>
      variant === 'redis-hit' || variant === 'redis-miss'
        ? settings.redisLookups
        : settings.inProcessLookups;
    for (const variant of subjects) {
      progress.update(`warming up ${LABELS[variant]}`);
      await lookups(variant, Math.ceil(countFor(variant) / 5));
    }
    const samples = await runInterleavedRounds<LookupVariant, LookupResult>({
      subjects,
      rounds: settings.rounds,
      measure: (variant) => lookups(variant, countFor(variant)),
      afterEach: (round, variant, result) => {
        progress.update(
          `round ${round + 1}/${settings.rounds} · ${LABELS[variant]} ${Math.round(result.perSecond).toLocaleString('en-US')}/s`,
        );
      },
    });
    const cleanup = await child.call<{ deleted: number; left: number }>('cleanup', {}, 30_000);
    if (cleanup.left > 0) throw new Error(`${cleanup.left} bench keys left in Redis after cleanup`);
    return {
      rounds: settings.rounds,
      settings: {
        ...settings,
        redis: redisProblem ?? new URL(context.redisUrl).host,
        keyPrefix,
        redisKeysDeleted: cleanup.deleted,
      },
      samples: Object.fromEntries(
        subjects.map((variant) => [
          variant,
          {
            perSecond: samples[variant].map((r) => r.perSecond),
            redisGetsPerLookup: samples[variant].map((r) => r.redisGets / r.lookups),
          },
        ]),
      ),
      figures: figures(samples, subjects, redisProblem),
    };
  } finally {
    await child.stop();
  }
}

function figures(
  samples: Record<LookupVariant, LookupResult[]>,
  measured: readonly LookupVariant[],
  redisProblem: string | null,
): Figure[] {
  const missing = (id: string) =>
    unmeasuredFigure({
      ...plannedFigure(PLANNED, id),
      why: `not measured: ${redisProblem ?? '?'}`,
    });
  const rate = (variant: LookupVariant) =>
    Math.round(sampleStats(samples[variant].map((r) => r.perSecond)).median).toLocaleString(
      'en-US',
    );
  const ratios = RATIOS.map((ratio) =>
    measured.includes(ratio.top) && measured.includes(ratio.bottom)
      ? buildFigure({
          ...plannedFigure(PLANNED, ratio.id),
          perRound: perRound(
            samples[ratio.top],
            samples[ratio.bottom],
            (a, b) => a.perSecond / b.perSecond,
          ),
          detail: `${LABELS[ratio.top]} ${rate(ratio.top)}/s vs ${LABELS[ratio.bottom]} ${rate(ratio.bottom)}/s`,
        })
      : missing(ratio.id),
  );
  const absolutes = VARIANTS.map((variant) =>
    measured.includes(variant)
      ? buildFigure({
          ...plannedFigure(PLANNED, `${variant}-per-second`),
          perRound: samples[variant].map((r) => r.perSecond),
          detail: `Redis GETs per lookup ${sampleStats(samples[variant].map((r) => r.redisGets / r.lookups)).median}`,
        })
      : missing(`${variant}-per-second`),
  );
  return [...ratios, ...absolutes];
}

export const capabilityScenario: ScenarioDefinition = {
  id: 'capability-lookups',
  title: 'Capability cache lookups (16 in flight)',
  planned: PLANNED,
  run,
};
