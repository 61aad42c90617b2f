/**
 * WebDAV streaming (issue 4): a 1 GiB GET and a 1 GiB PUT through the gateway's public
 * pass-through against the same transfer straight to the backend, with the gateway's peak memory.
 * Two more hops give the scale: a bare node:http proxy, and a byte relay in node with no HTTP at
 * all (the most any node proxy could reach).
 */
import { buildFigure } from '../bench-results.ts';
import type { BenchChild } from '../child-fleet.ts';
import { WEBDAV_PATH } from '../children/backend-paths.ts';
import type { StreamResult } from '../children/load-child.ts';
import type { MemoryPeak } from '../children/memory-watch.ts';
import { growth, NO_GROWTH } from './memory-growth.ts';
import { perRound, runInterleavedRounds } from '../interleaved-rounds.ts';
import { sampleStats } from '../sample-stats.ts';
import { STREAMING_FIGURES as PLANNED } from './streaming-figures.ts';
import {
  plannedFigure,
  settingsFor,
  type ScenarioContext,
  type ScenarioDefinition,
  type ScenarioMeasurement,
} from './scenario-context.ts';
import {
  startBackend,
  startBareProxy,
  startGatewayChild,
  startLoadGenerator,
  startTcpRelay,
} from './start-bench-servers.ts';

const MiB = 2 ** 20;
const SUBJECTS = ['direct', 'tcp-relay', 'bare-proxy', 'gateway'] as const;
type Subject = (typeof SUBJECTS)[number];
const SETTINGS = {
  full: { rounds: 3, bytes: 1024 * MiB, warmupBytes: 64 * MiB },
  quick: { rounds: 2, bytes: 48 * MiB, warmupBytes: 8 * MiB },
  tiny: { rounds: 2, bytes: 4 * MiB, warmupBytes: 1 * MiB },
};
const TRANSFER_TIMEOUT_MS = 300_000;
const GC_EVERY_MS = 50;
interface Measurement {
  readonly getMiBps: number;
  readonly putMiBps: number;
  /** The two HTTP proxies only (NaN otherwise), worst of GET and PUT, over a post-GC baseline. */
  readonly peakRssGrowthMiB: number;
  readonly sampledHeapGrowthMiB: number;
  readonly liveAfterGcGrowthMiB: number;
}

type Command = 'get-stream' | 'put-stream';

async function transfer(
  load: BenchChild,
  command: Command,
  url: string,
  bytes: number,
): Promise<number> {
  const result = await load.call<StreamResult>(command, { url, bytes }, TRANSFER_TIMEOUT_MS);
  return result.bytes / MiB / (result.elapsedMs / 1000);
}

/** The hops whose memory is watched. */
type Proxy = 'bare-proxy' | 'gateway';
const isWatched = (subject: Subject): subject is Proxy =>
  subject === 'bare-proxy' || subject === 'gateway';

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const { fleet, progress } = context;
  const started: BenchChild[] = [];
  try {
    progress.update('starting backend, byte relay, bare proxy, gateway, load generator…');
    const backend = await startBackend(fleet, 1024);
    started.push(backend.child);
    const relay = await startTcpRelay(fleet, backend.origin);
    started.push(relay.child);
    const bare = await startBareProxy(fleet, backend.origin, true);
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
      'tcp-relay': relay.origin + WEBDAV_PATH,
      'bare-proxy': bare.origin + WEBDAV_PATH,
      gateway: gateway.origin + WEBDAV_PATH,
    };
    const proxies: Record<Proxy, BenchChild> = { 'bare-proxy': bare.child, gateway: gateway.child };
    for (const subject of SUBJECTS) {
      progress.update(`warming up ${subject}`);
      await transfer(load, 'get-stream', url[subject], settings.warmupBytes);
      await transfer(load, 'put-stream', url[subject], settings.warmupBytes);
    }

    const watched = async (subject: Subject, command: Command, gcEveryMs = 0) => {
      const work = () => transfer(load, command, url[subject], settings.bytes);
      if (!isWatched(subject)) return { rate: await work(), ...NO_GROWTH };
      await proxies[subject].call('memory-start', { gcEveryMs }, 10_000);
      const rate = await work();
      const memory = await proxies[subject].call<MemoryPeak>('memory-stop', {}, 10_000);
      return { rate, ...growth(memory) };
    };
    const samples = await runInterleavedRounds<Subject, Measurement>({
      subjects: SUBJECTS,
      rounds: settings.rounds,
      measure: async (subject, round) => {
        const step = `round ${round + 1}/${settings.rounds} · ${subject}`;
        progress.update(`${step} GET ${settings.bytes / MiB} MiB…`);
        const get = await watched(subject, 'get-stream');
        progress.update(`${step} GET ${get.rate.toFixed(0)} MiB/s, PUT…`);
        const put = await watched(subject, 'put-stream');
        let liveAfterGc = Number.NaN;
        if (isWatched(subject)) {
          // Live memory needs forced GCs, which cost the proxy a little time: an untimed extra
          // GET and PUT measure it, so the timed transfers (and their RSS) stay untouched.
          progress.update(`${step} live-memory probe (GET + PUT, GC every ${GC_EVERY_MS} ms)…`);
          const probeGet = await watched(subject, 'get-stream', GC_EVERY_MS);
          const probePut = await watched(subject, 'put-stream', GC_EVERY_MS);
          liveAfterGc = Math.max(probeGet.liveAfterGc, probePut.liveAfterGc);
        }
        return {
          getMiBps: get.rate,
          putMiBps: put.rate,
          peakRssGrowthMiB: Math.max(get.rss, put.rss),
          sampledHeapGrowthMiB: Math.max(get.sampled, put.sampled),
          liveAfterGcGrowthMiB: liveAfterGc,
        };
      },
      afterEach: (round, subject, m) => {
        const memory = !isWatched(subject) ? '' : `, RSS +${m.peakRssGrowthMiB.toFixed(1)} MiB`;
        progress.update(
          `round ${round + 1}/${settings.rounds} · ${subject} GET ${m.getMiBps.toFixed(0)} MiB/s, PUT ${m.putMiBps.toFixed(0)} MiB/s${memory}`,
        );
      },
    });
    const column = (subject: Subject, keys: readonly (keyof Measurement)[]) =>
      Object.fromEntries(keys.map((key) => [key, samples[subject].map((m) => m[key])]));
    const memoryKeys = [
      'peakRssGrowthMiB',
      'sampledHeapGrowthMiB',
      'liveAfterGcGrowthMiB',
    ] as const;
    return {
      rounds: settings.rounds,
      settings: {
        ...settings,
        gcEveryMs: GC_EVERY_MS,
        state: 'embedded',
        path: 'public pass-through',
      },
      samples: {
        direct: column('direct', ['getMiBps', 'putMiBps']),
        'tcp-relay': column('tcp-relay', ['getMiBps', 'putMiBps']),
        'bare-proxy': column('bare-proxy', ['getMiBps', 'putMiBps', ...memoryKeys]),
        gateway: column('gateway', ['getMiBps', 'putMiBps', ...memoryKeys]),
      },
      figures: figures(samples, settings.bytes),
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

function figures(samples: Record<Subject, Measurement[]>, bytes: number) {
  const med = (subject: Subject, key: keyof Measurement, digits = 0) =>
    sampleStats(samples[subject].map((m) => m[key])).median.toFixed(digits);
  const size = `${bytes / MiB} MiB`;
  const ratio = (
    id: string,
    subject: Exclude<Subject, 'direct'>,
    key: 'getMiBps' | 'putMiBps',
    baseline: Subject = 'direct',
  ) =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: perRound(samples[subject], samples[baseline], (a, b) => a[key] / b[key]),
      detail: `${size}: ${subject} ${med(subject, key)} MiB/s vs ${baseline} ${med(baseline, key)} MiB/s`,
    });
  type MemoryKey = 'peakRssGrowthMiB' | 'sampledHeapGrowthMiB' | 'liveAfterGcGrowthMiB';
  const memory = (id: string, subject: Proxy, key: MemoryKey, how: string) =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: samples[subject].map((m) => m[key]),
      detail:
        subject === 'gateway'
          ? `${how}; worst of GET and PUT of ${size}; bare proxy median ${med('bare-proxy', key, 1)} MiB`
          : `${how}; worst of GET and PUT of ${size}`,
    });
  const rss = 'kernel peak RSS (VmHWM) in the timed transfers, over the idle process after a GC';
  const live = `highest right after forced GCs every ${GC_EVERY_MS} ms, in an untimed extra transfer`;
  return [
    ratio('get-gateway-vs-direct', 'gateway', 'getMiBps'),
    ratio('put-gateway-vs-direct', 'gateway', 'putMiBps'),
    ratio('get-bare-vs-direct', 'bare-proxy', 'getMiBps'),
    ratio('put-bare-vs-direct', 'bare-proxy', 'putMiBps'),
    ratio('get-relay-vs-direct', 'tcp-relay', 'getMiBps'),
    ratio('put-relay-vs-direct', 'tcp-relay', 'putMiBps'),
    ratio('get-gateway-vs-bare', 'gateway', 'getMiBps', 'bare-proxy'),
    ratio('put-gateway-vs-bare', 'gateway', 'putMiBps', 'bare-proxy'),
    memory('peak-rss-growth', 'gateway', 'peakRssGrowthMiB', rss),
    memory('live-after-gc-growth', 'gateway', 'liveAfterGcGrowthMiB', live),
    memory(
      'sampled-heap-growth',
      'gateway',
      'sampledHeapGrowthMiB',
      'sampled every 20 ms, no forced GC',
    ),
    memory('bare-peak-rss-growth', 'bare-proxy', 'peakRssGrowthMiB', rss),
    memory('bare-live-after-gc-growth', 'bare-proxy', 'liveAfterGcGrowthMiB', live),
  ];
}

export const streamingScenario: ScenarioDefinition = {
  id: 'webdav-streaming',
  title: 'WebDAV streaming, 1 GiB through the public pass-through',
  planned: PLANNED,
  run,
};
