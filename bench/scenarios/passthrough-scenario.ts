/**
 * Pass-through (issue 4): requests/s and added latency of small responses through the whole
 * gateway, against a bare node:http proxy and straight to the backend, in interleaved rounds.
 */
import { buildFigure } from '../bench-results.ts';
import { perRound, runInterleavedRounds } from '../interleaved-rounds.ts';
import { sampleStats } from '../sample-stats.ts';
import type { RequestsResult } from '../children/load-child.ts';
import { SMALL_PATH } from '../children/backend-paths.ts';
import type { BenchChild } from '../child-fleet.ts';
import {
  plannedFigure,
  settingsFor,
  type PlannedFigure,
  type ScenarioContext,
  type ScenarioDefinition,
  type ScenarioMeasurement,
} from './scenario-context.ts';
import {
  startBackend,
  startBareProxy,
  startGatewayChild,
  startLoadGenerator,
} from './start-bench-servers.ts';

const SUBJECTS = ['direct', 'bare-proxy', 'gateway', 'gateway-logged'] as const;
type Subject = (typeof SUBJECTS)[number];

const SETTINGS = {
  // Many short rounds: each ratio pairs runs seconds apart, and a burst of load from other
  // processes spoils one round instead of shifting the median.
  full: {
    rounds: 9,
    warmupRequests: 3_000,
    throughputRequests: 8_000,
    concurrency: 32,
    latencyRequests: 1_000,
  },
  quick: {
    rounds: 2,
    warmupRequests: 300,
    throughputRequests: 1_500,
    concurrency: 16,
    latencyRequests: 200,
  },
  tiny: {
    rounds: 2,
    warmupRequests: 100,
    throughputRequests: 300,
    concurrency: 16,
    latencyRequests: 50,
  },
};
const RESPONSE_BYTES = 1024;
const CALL_TIMEOUT_MS = 120_000;

const PLANNED: readonly PlannedFigure[] = [
  {
    id: 'rps-gateway-vs-bare',
    label: 'Pass-through req/s: gateway ÷ bare node:http proxy',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.8 },
  },
  {
    id: 'added-p50-gateway',
    label: 'Pass-through added p50: gateway − direct (1 request in flight)',
    unit: 'ms',
    state: 'embedded',
    target: { comparator: '<=', value: 0.3 },
  },
  {
    id: 'added-p99-gateway',
    label: 'Pass-through added p99: gateway − direct (1 request in flight)',
    unit: 'ms',
    state: 'embedded',
  },
  {
    id: 'rps-gateway-vs-direct',
    label: 'Pass-through req/s: gateway ÷ direct to backend',
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'rps-bare-vs-direct',
    label: 'Pass-through req/s: bare proxy ÷ direct to backend',
    unit: '×',
    state: 'none',
  },
  {
    id: 'added-p50-bare',
    label: 'Pass-through added p50: bare proxy − direct',
    unit: 'ms',
    state: 'none',
  },
  {
    id: 'rps-gateway-logged-vs-bare',
    label:
      'Pass-through req/s: gateway with the pass-through access log on (level http) ÷ bare proxy',
    unit: '×',
    state: 'embedded',
  },
];

interface Measurement {
  readonly rps: number;
  readonly loadedP50Ms: number;
  readonly loadedP99Ms: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const LABELS: Record<Subject, string> = {
  direct: 'direct',
  'bare-proxy': 'bare proxy',
  gateway: 'gateway',
  'gateway-logged': 'gateway (log http)',
};

async function measure(load: BenchChild, url: string, count: number, concurrency: number) {
  const result = await load.call<RequestsResult>(
    'requests',
    { url, count, concurrency },
    CALL_TIMEOUT_MS,
  );
  if (result.errors > 0) {
    throw new Error(`${result.errors} of ${count} requests to ${url} failed: ${result.firstError}`);
  }
  return result;
}

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const { fleet, progress } = context;
  const started: BenchChild[] = [];
  try {
    progress.update('starting backend, bare proxy, gateways, load generator…');
    const backend = await startBackend(fleet, RESPONSE_BYTES);
    started.push(backend.child);
    const servers = await Promise.all([
      startBareProxy(fleet, backend.origin),
      startGatewayChild(fleet, {
        role: 'gateway',
        backendOrigin: backend.origin,
        tmpDir: context.tmpDir,
      }),
      startGatewayChild(fleet, {
        role: 'gateway-logged',
        backendOrigin: backend.origin,
        tmpDir: context.tmpDir,
        logLevel: 'http',
      }),
    ]);
    started.push(...servers.map((server) => server.child));
    const load = await startLoadGenerator(fleet);
    started.push(load);
    const [bare, gateway, logged] = servers;
    const url: Record<Subject, string> = {
      direct: backend.origin + SMALL_PATH,
      'bare-proxy': bare.origin + SMALL_PATH,
      gateway: gateway.origin + SMALL_PATH,
      'gateway-logged': logged.origin + SMALL_PATH,
    };
    for (const subject of SUBJECTS) {
      progress.update(`warming up ${LABELS[subject]}`);
      await measure(load, url[subject], settings.warmupRequests, settings.concurrency);
      await measure(load, url[subject], Math.ceil(settings.warmupRequests / 10), 1);
    }

    const samples = await runInterleavedRounds<Subject, Measurement>({
      subjects: SUBJECTS,
      rounds: settings.rounds,
      measure: async (subject, round) => {
        progress.update(`round ${round + 1}/${settings.rounds} · ${LABELS[subject]}…`);
        const loaded = await measure(
          load,
          url[subject],
          settings.throughputRequests,
          settings.concurrency,
        );
        const single = await measure(load, url[subject], settings.latencyRequests, 1);
        return {
          rps: loaded.rps,
          loadedP50Ms: loaded.p50Ms,
          loadedP99Ms: loaded.p99Ms,
          p50Ms: single.p50Ms,
          p99Ms: single.p99Ms,
        };
      },
      afterEach: (round, subject, measurement) => {
        progress.update(
          `round ${round + 1}/${settings.rounds} · ${LABELS[subject]} ${Math.round(measurement.rps)} req/s, p50 ${measurement.p50Ms.toFixed(3)} ms`,
        );
      },
    });
    return {
      rounds: settings.rounds,
      settings: { ...settings, responseBytes: RESPONSE_BYTES, state: 'embedded' },
      samples: Object.fromEntries(SUBJECTS.map((subject) => [subject, columns(samples[subject])])),
      figures: figures(samples),
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

function columns(measurements: readonly Measurement[]): Record<string, number[]> {
  const keys = ['rps', 'p50Ms', 'p99Ms', 'loadedP50Ms', 'loadedP99Ms'] as const;
  return Object.fromEntries(keys.map((key) => [key, measurements.map((m) => m[key])]));
}

function figures(samples: Record<Subject, Measurement[]>) {
  const med = (subject: Subject, key: keyof Measurement) =>
    sampleStats(samples[subject].map((m) => m[key])).median;
  const rps = (subject: Subject) => `${LABELS[subject]} ${Math.round(med(subject, 'rps'))} req/s`;
  const ms = (subject: Subject, key: 'p50Ms' | 'p99Ms') =>
    `${LABELS[subject]} ${med(subject, key).toFixed(3)} ms`;
  const ratio = (id: string, top: Subject, bottom: Subject) =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: perRound(samples[top], samples[bottom], (a, b) => a.rps / b.rps),
      detail: `${rps(top)} vs ${rps(bottom)}`,
    });
  const added = (id: string, subject: Subject, key: 'p50Ms' | 'p99Ms') =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: perRound(samples[subject], samples.direct, (a, b) => a[key] - b[key]),
      detail: `${ms(subject, key)} vs ${ms('direct', key)}`,
    });
  return [
    ratio('rps-gateway-vs-bare', 'gateway', 'bare-proxy'),
    added('added-p50-gateway', 'gateway', 'p50Ms'),
    added('added-p99-gateway', 'gateway', 'p99Ms'),
    ratio('rps-gateway-vs-direct', 'gateway', 'direct'),
    ratio('rps-bare-vs-direct', 'bare-proxy', 'direct'),
    added('added-p50-bare', 'bare-proxy', 'p50Ms'),
    ratio('rps-gateway-logged-vs-bare', 'gateway-logged', 'bare-proxy'),
  ];
}

export const passthroughScenario: ScenarioDefinition = {
  id: 'passthrough',
  title: 'Pass-through (1 KiB responses, keep-alive)',
  planned: PLANNED,
  run,
};
