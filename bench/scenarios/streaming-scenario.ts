/**
 * WebDAV streaming (issue 4): a 1 GiB GET and a 1 GiB PUT through the gateway's public
 * pass-through against the same transfer straight to the backend, with the gateway's peak memory.
 */
import { buildFigure } from '../bench-results.ts';
import type { BenchChild } from '../child-fleet.ts';
import { WEBDAV_PATH } from '../children/backend-paths.ts';
import type { StreamResult } from '../children/load-child.ts';
import type { MemoryPeak } from '../children/memory-watch.ts';
import { perRound, runInterleavedRounds } from '../interleaved-rounds.ts';
import { sampleStats } from '../sample-stats.ts';
import {
  plannedFigure,
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

const MiB = 2 ** 20;
const SUBJECTS = ['direct', 'bare-proxy', 'gateway'] as const;
type Subject = (typeof SUBJECTS)[number];
const SETTINGS = {
  full: { rounds: 3, bytes: 1024 * MiB, warmupBytes: 64 * MiB },
  quick: { rounds: 2, bytes: 48 * MiB, warmupBytes: 8 * MiB },
};
const TRANSFER_TIMEOUT_MS = 300_000;
const GC_EVERY_MS = 50;
const MEMORY_TARGET = { comparator: '<=', value: 64 } as const;

const PLANNED: readonly PlannedFigure[] = [
  {
    id: 'get-gateway-vs-direct',
    label: 'WebDAV GET (public pass-through): throughput gateway ÷ direct',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.7 },
  },
  {
    id: 'put-gateway-vs-direct',
    label: 'WebDAV PUT (public pass-through): throughput gateway ÷ direct',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.7 },
  },
  {
    id: 'get-bare-vs-direct',
    label: 'WebDAV GET: throughput bare node:http proxy ÷ direct (the hop alone)',
    unit: '×',
    state: 'none',
  },
  {
    id: 'put-bare-vs-direct',
    label: 'WebDAV PUT: throughput bare node:http proxy ÷ direct (the hop alone)',
    unit: '×',
    state: 'none',
  },
  {
    id: 'peak-rss-growth',
    label: 'WebDAV streaming: gateway peak RSS growth',
    unit: 'MiB',
    state: 'embedded',
    target: MEMORY_TARGET,
    judgedOn: 'max',
  },
  {
    id: 'live-after-gc-growth',
    label: 'WebDAV streaming: gateway live heap + Buffers growth (after GC)',
    unit: 'MiB',
    state: 'embedded',
    target: MEMORY_TARGET,
    judgedOn: 'max',
  },
  {
    id: 'sampled-heap-growth',
    label: 'WebDAV streaming: gateway heap + Buffers growth as sampled (garbage included)',
    unit: 'MiB',
    state: 'embedded',
    judgedOn: 'max',
  },
];

interface Measurement {
  readonly getMiBps: number;
  readonly putMiBps: number;
  /** Gateway only (NaN otherwise), worst of GET and PUT, over a post-GC baseline. */
  readonly peakRssGrowthMiB: number;
  readonly sampledHeapGrowthMiB: number;
  readonly liveAfterGcGrowthMiB: number;
}

interface Growth {
  readonly rss: number;
  readonly sampled: number;
  readonly liveAfterGc: number;
}

const NO_GROWTH: Growth = { rss: Number.NaN, sampled: Number.NaN, liveAfterGc: Number.NaN };

/** Growth over the post-GC baseline; the kernel's exact peak RSS when /proc allows resetting it. */
function growth(memory: MemoryPeak): Growth {
  const rssPeak = Math.max(memory.kernelPeakRss ?? 0, memory.peak.rss);
  return {
    rss: (rssPeak - memory.baseline.rss) / MiB,
    sampled: (memory.peak.live - memory.baseline.live) / MiB,
    liveAfterGc:
      memory.peakLiveAfterGc === null
        ? Number.NaN
        : (memory.peakLiveAfterGc - memory.baseline.live) / MiB,
  };
}

async function transfer(
  load: BenchChild,
  command: 'get-stream' | 'put-stream',
  url: string,
  bytes: number,
): Promise<number> {
  const result = await load.call<StreamResult>(command, { url, bytes }, TRANSFER_TIMEOUT_MS);
  return result.bytes / MiB / (result.elapsedMs / 1000);
}

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = context.quick ? SETTINGS.quick : SETTINGS.full;
  const { fleet, progress } = context;
  const started: BenchChild[] = [];
  try {
    progress.update('starting backend, bare proxy, gateway, load generator…');
    const backend = await startBackend(fleet, 1024);
    started.push(backend.child);
    const bare = await startBareProxy(fleet, backend.origin);
    started.push(bare.child);
    const gateway = await startGatewayChild(fleet, {
      role: 'gateway-streaming',
      backendOrigin: backend.origin,
      tmpDir: context.tmpDir,
      exposeGc: true,
    });
    started.push(gateway.child);
    const load = await startLoadGenerator(fleet);
    started.push(load);
    const url: Record<Subject, string> = {
      direct: backend.origin + WEBDAV_PATH,
      'bare-proxy': bare.origin + WEBDAV_PATH,
      gateway: gateway.origin + WEBDAV_PATH,
    };
    for (const subject of SUBJECTS) {
      progress.update(`warming up ${subject}`);
      await transfer(load, 'get-stream', url[subject], settings.warmupBytes);
      await transfer(load, 'put-stream', url[subject], settings.warmupBytes);
    }

    const watched = async (subject: Subject, work: () => Promise<number>, gcEveryMs = 0) => {
      if (subject !== 'gateway') return { rate: await work(), ...NO_GROWTH };
      await gateway.child.call('memory-start', { gcEveryMs }, 10_000);
      const rate = await work();
      const memory = await gateway.child.call<MemoryPeak>('memory-stop', {}, 10_000);
      return { rate, ...growth(memory) };
    };
    // Live memory needs forced GCs, which cost the gateway a little time: an untimed extra
    // GET and PUT per round measure it, so the timed transfers (and their RSS) stay untouched.
    const probeLiveMemory = async (): Promise<number> => {
      const probe = (command: 'get-stream' | 'put-stream') =>
        watched('gateway', () => transfer(load, command, url.gateway, settings.bytes), GC_EVERY_MS);
      const get = await probe('get-stream');
      const put = await probe('put-stream');
      return Math.max(get.liveAfterGc, put.liveAfterGc);
    };
    const samples = await runInterleavedRounds<Subject, Measurement>({
      subjects: SUBJECTS,
      rounds: settings.rounds,
      measure: async (subject, round) => {
        const step = `round ${round + 1}/${settings.rounds} · ${subject}`;
        progress.update(`${step} GET ${settings.bytes / MiB} MiB…`);
        const get = await watched(subject, () =>
          transfer(load, 'get-stream', url[subject], settings.bytes),
        );
        progress.update(
          `${step} GET ${get.rate.toFixed(0)} MiB/s, PUT ${settings.bytes / MiB} MiB…`,
        );
        const put = await watched(subject, () =>
          transfer(load, 'put-stream', url[subject], settings.bytes),
        );
        if (subject === 'gateway')
          progress.update(`${step} live-memory probe (GET + PUT, GC every ${GC_EVERY_MS} ms)…`);
        return {
          getMiBps: get.rate,
          putMiBps: put.rate,
          peakRssGrowthMiB: Math.max(get.rss, put.rss),
          sampledHeapGrowthMiB: Math.max(get.sampled, put.sampled),
          liveAfterGcGrowthMiB: subject === 'gateway' ? await probeLiveMemory() : Number.NaN,
        };
      },
      afterEach: (round, subject, m) => {
        const memory = subject === 'gateway' ? `, RSS +${m.peakRssGrowthMiB.toFixed(1)} MiB` : '';
        progress.update(
          `round ${round + 1}/${settings.rounds} · ${subject} GET ${m.getMiBps.toFixed(0)} MiB/s, PUT ${m.putMiBps.toFixed(0)} MiB/s${memory}`,
        );
      },
    });
    return {
      rounds: settings.rounds,
      settings: { ...settings, state: 'embedded', path: 'public pass-through' },
      samples: {
        direct: {
          getMiBps: samples.direct.map((m) => m.getMiBps),
          putMiBps: samples.direct.map((m) => m.putMiBps),
        },
        'bare-proxy': {
          getMiBps: samples['bare-proxy'].map((m) => m.getMiBps),
          putMiBps: samples['bare-proxy'].map((m) => m.putMiBps),
        },
        gateway: {
          getMiBps: samples.gateway.map((m) => m.getMiBps),
          putMiBps: samples.gateway.map((m) => m.putMiBps),
          peakRssGrowthMiB: samples.gateway.map((m) => m.peakRssGrowthMiB),
          sampledHeapGrowthMiB: samples.gateway.map((m) => m.sampledHeapGrowthMiB),
          liveAfterGcGrowthMiB: samples.gateway.map((m) => m.liveAfterGcGrowthMiB),
        },
      },
      figures: figures(samples, settings.bytes),
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

function figures(samples: Record<Subject, Measurement[]>, bytes: number) {
  const med = (subject: Subject, key: keyof Measurement) =>
    sampleStats(samples[subject].map((m) => m[key])).median.toFixed(0);
  const size = `${bytes / MiB} MiB`;
  const ratio = (id: string, subject: Subject, key: 'getMiBps' | 'putMiBps') =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: perRound(samples[subject], samples.direct, (a, b) => a[key] / b[key]),
      detail: `${size}: ${subject} ${med(subject, key)} MiB/s vs direct ${med('direct', key)} MiB/s`,
    });
  const memory = (
    id: string,
    key: 'peakRssGrowthMiB' | 'sampledHeapGrowthMiB' | 'liveAfterGcGrowthMiB',
    how: string,
  ) =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: samples.gateway.map((m) => m[key]),
      detail: `${how}; worst of GET and PUT of ${size}, over the idle gateway after a GC`,
    });
  return [
    ratio('get-gateway-vs-direct', 'gateway', 'getMiBps'),
    ratio('put-gateway-vs-direct', 'gateway', 'putMiBps'),
    ratio('get-bare-vs-direct', 'bare-proxy', 'getMiBps'),
    ratio('put-bare-vs-direct', 'bare-proxy', 'putMiBps'),
    memory('peak-rss-growth', 'peakRssGrowthMiB', 'kernel peak RSS (VmHWM) of the timed transfers'),
    memory(
      'live-after-gc-growth',
      'liveAfterGcGrowthMiB',
      `highest right after forced GCs every ${GC_EVERY_MS} ms, in an untimed extra transfer`,
    ),
    memory('sampled-heap-growth', 'sampledHeapGrowthMiB', 'sampled every 20 ms, no forced GC'),
  ];
}

export const streamingScenario: ScenarioDefinition = {
  id: 'webdav-streaming',
  title: 'WebDAV streaming, 1 GiB through the public pass-through',
  planned: PLANNED,
  run,
};
