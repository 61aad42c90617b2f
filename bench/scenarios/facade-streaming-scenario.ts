/**
 * Facade WebDAV streaming (issue 4, flow 3): the backend reads and writes a peer's share through
 * the gateway's facade on the internal listener (`/peers/<host>/public.php/webdav/…`, Basic with
 * the share token, as an old server mounts a federated share), which calls the peer's WebDAV with
 * the share's secret as Bearer. A 1 GiB GET and a 1 GiB PUT against the same transfer straight to
 * the peer, and through a bare node:http proxy (the hop alone), with the gateway's peak memory.
 * The share is set up as in production: the peer POSTs it, signed, to the gateway's endPoint.
 */
import { buildFigure, type Figure } from '../bench-results.ts';
import type { BenchChild } from '../child-fleet.ts';
import type { StreamResult } from '../children/load-child.ts';
import type { MemoryPeak } from '../children/memory-watch.ts';
import { PEER_SHARE_URI, PEER_WEBDAV_ROOT, peerFileName } from '../children/peer-paths.ts';
import { perRound, runInterleavedRounds } from '../interleaved-rounds.ts';
import { sampleStats } from '../sample-stats.ts';
import { FEDERATION_GATEWAY_YAML, newShareSecret, startPeer } from './federation-rig.ts';
import { growth, NO_GROWTH } from './memory-growth.ts';
import {
  plannedFigure,
  settingsFor,
  type PlannedFigure,
  type ScenarioContext,
  type ScenarioDefinition,
  type ScenarioMeasurement,
} from './scenario-context.ts';
import { recipientAt } from './start-federation-servers.ts';
import {
  startBackend,
  startBareProxy,
  startGatewayChild,
  startLoadGenerator,
} from './start-bench-servers.ts';
import type { RequestsResult } from '../children/load-child.ts';

const MiB = 2 ** 20;
const SUBJECTS = ['direct', 'bare-proxy', 'gateway'] as const;
type Subject = (typeof SUBJECTS)[number];
type Proxy = Exclude<Subject, 'direct'>;
const SETTINGS = {
  full: { rounds: 3, bytes: 1024 * MiB, warmupBytes: 64 * MiB },
  quick: { rounds: 2, bytes: 48 * MiB, warmupBytes: 8 * MiB },
  tiny: { rounds: 2, bytes: 4 * MiB, warmupBytes: 1 * MiB },
};
const TRANSFER_TIMEOUT_MS = 300_000;
const GC_EVERY_MS = 50;
const MEMORY_TARGET = { comparator: '<=', value: 64 } as const;

const PLANNED: readonly PlannedFigure[] = [
  {
    id: 'facade-get-vs-direct',
    label: 'Facade WebDAV GET (backend → gateway → peer): throughput ÷ direct to the peer',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.7 },
  },
  {
    id: 'facade-put-vs-direct',
    label: 'Facade WebDAV PUT (backend → gateway → peer): throughput ÷ direct to the peer',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.7 },
  },
  {
    id: 'facade-get-vs-bare',
    label: "Facade WebDAV GET: throughput gateway ÷ bare proxy (the facade's own cost)",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'facade-put-vs-bare',
    label: "Facade WebDAV PUT: throughput gateway ÷ bare proxy (the facade's own cost)",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'facade-peak-rss-growth',
    label: 'Facade streaming: gateway peak RSS growth',
    unit: 'MiB',
    state: 'embedded',
    target: MEMORY_TARGET,
    judgedOn: 'max',
  },
  {
    id: 'facade-live-after-gc-growth',
    label: 'Facade streaming: gateway live heap + Buffers growth (after GC)',
    unit: 'MiB',
    state: 'embedded',
    target: MEMORY_TARGET,
    judgedOn: 'max',
  },
];

interface Measurement {
  readonly getMiBps: number;
  readonly putMiBps: number;
  /** Proxies only (NaN for direct), worst of GET and PUT, over a post-GC baseline. */
  readonly peakRssGrowthMiB: number;
  readonly liveAfterGcGrowthMiB: number;
}

type Command = 'get-stream' | 'put-stream';

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const { fleet, progress } = context;
  const started: BenchChild[] = [];
  const secret = newShareSecret();
  try {
    progress.update('starting backend, OCM peer, bare proxy, gateway, load generator…');
    const backend = await startBackend(fleet, 1024);
    started.push(backend.child);
    const peer = await startPeer(fleet, secret);
    started.push(peer.child);
    const bare = await startBareProxy(fleet, peer.origin, true);
    started.push(bare.child);
    const gateway = await startGatewayChild(fleet, {
      role: 'gateway-facade',
      backendOrigin: backend.origin,
      tmpDir: context.tmpDir,
      exposeGc: true,
      allowPrivatePeers: true,
      configYaml: FEDERATION_GATEWAY_YAML,
    });
    started.push(gateway.child);
    const load = await startLoadGenerator(fleet);
    started.push(load);

    progress.update('the peer shares a folder with the backend (signed OCM 1.3 share)…');
    await load.call('set-signer', { keyId: peer.keyId, privateKeyPem: peer.privateKeyPem }, 10_000);
    const shared = await load.call<RequestsResult>(
      'posts',
      {
        kind: 'ocm-share',
        origin: gateway.origin,
        path: '/ocm/shares',
        first: 0,
        count: 1,
        tag: 'facade',
        peerHost: peer.host,
        recipient: recipientAt(gateway.origin),
        secret,
        webdavUri: PEER_SHARE_URI,
        concurrency: 1,
        expectStatus: 201,
      },
      30_000,
    );
    if (shared.errors > 0)
      throw new Error(`the facade share was refused: ${shared.firstError ?? '?'}`);

    const peerPath = `${PEER_WEBDAV_ROOT}/${PEER_SHARE_URI}`;
    const base: Record<Subject, string> = {
      direct: `${peer.origin}${peerPath}`,
      'bare-proxy': `${bare.origin}${peerPath}`,
      gateway: `${gateway.internalUrl}/peers/${peer.host}/public.php/webdav`,
    };
    // The backend holds the share token (Basic, as an old server's federated mount sends it);
    // the peer takes its secret as Bearer, which the facade sends on the backend's behalf.
    const authorization: Record<Subject, string> = {
      direct: `Bearer ${secret}`,
      'bare-proxy': `Bearer ${secret}`,
      gateway: `Basic ${Buffer.from(`${secret}:`).toString('base64')}`,
    };
    const transfer = async (subject: Subject, command: Command, bytes: number) => {
      const file = command === 'get-stream' ? peerFileName(bytes) : 'upload.bin';
      const result = await load.call<StreamResult>(
        command,
        { url: `${base[subject]}/${file}`, bytes, authorization: authorization[subject] },
        TRANSFER_TIMEOUT_MS,
      );
      return result.bytes / MiB / (result.elapsedMs / 1000);
    };
    const proxies: Record<Proxy, BenchChild> = { 'bare-proxy': bare.child, gateway: gateway.child };
    for (const subject of SUBJECTS) {
      progress.update(`warming up ${subject}`);
      await transfer(subject, 'get-stream', settings.warmupBytes);
      await transfer(subject, 'put-stream', settings.warmupBytes);
    }
    const watched = async (subject: Subject, command: Command, gcEveryMs = 0) => {
      if (subject === 'direct')
        return { rate: await transfer(subject, command, settings.bytes), ...NO_GROWTH };
      await proxies[subject].call('memory-start', { gcEveryMs }, 10_000);
      const rate = await transfer(subject, command, settings.bytes);
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
        if (subject !== 'direct') {
          // As in webdav-streaming: forced GCs cost time, so an untimed extra GET + PUT measures it.
          progress.update(`${step} live-memory probe (GET + PUT, GC every ${GC_EVERY_MS} ms)…`);
          const probeGet = await watched(subject, 'get-stream', GC_EVERY_MS);
          const probePut = await watched(subject, 'put-stream', GC_EVERY_MS);
          liveAfterGc = Math.max(probeGet.liveAfterGc, probePut.liveAfterGc);
        }
        return {
          getMiBps: get.rate,
          putMiBps: put.rate,
          peakRssGrowthMiB: Math.max(get.rss, put.rss),
          liveAfterGcGrowthMiB: liveAfterGc,
        };
      },
      afterEach: (round, subject, m) => {
        const memory = subject === 'direct' ? '' : `, RSS +${m.peakRssGrowthMiB.toFixed(1)} MiB`;
        progress.update(
          `round ${round + 1}/${settings.rounds} · ${subject} GET ${m.getMiBps.toFixed(0)} MiB/s, PUT ${m.putMiBps.toFixed(0)} MiB/s${memory}`,
        );
      },
    });
    const counts = await peer.child.call<Record<string, number>>('counts', {}, 10_000);
    if ((counts.refused ?? 0) > 0) throw new Error(`the peer refused ${counts.refused} requests`);
    const column = (subject: Subject, keys: readonly (keyof Measurement)[]) =>
      Object.fromEntries(keys.map((key) => [key, samples[subject].map((m) => m[key])]));
    const memoryKeys = ['peakRssGrowthMiB', 'liveAfterGcGrowthMiB'] as const;
    return {
      rounds: settings.rounds,
      settings: {
        ...settings,
        gcEveryMs: GC_EVERY_MS,
        state: 'embedded',
        path: 'facade on the internal listener: /peers/<host>/public.php/webdav/…',
        peerGets: counts.gets ?? 0,
        peerPuts: counts.puts ?? 0,
      },
      samples: {
        direct: column('direct', ['getMiBps', 'putMiBps']),
        'bare-proxy': column('bare-proxy', ['getMiBps', 'putMiBps', ...memoryKeys]),
        gateway: column('gateway', ['getMiBps', 'putMiBps', ...memoryKeys]),
      },
      figures: figures(samples, settings.bytes),
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

function figures(samples: Record<Subject, Measurement[]>, bytes: number): Figure[] {
  const med = (subject: Subject, key: keyof Measurement, digits = 0) =>
    sampleStats(samples[subject].map((m) => m[key])).median.toFixed(digits);
  const size = `${bytes / MiB} MiB`;
  const ratio = (id: string, key: 'getMiBps' | 'putMiBps', baseline: Subject) =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: perRound(samples.gateway, samples[baseline], (a, b) => a[key] / b[key]),
      detail: `${size}: gateway facade ${med('gateway', key)} MiB/s vs ${baseline} ${med(baseline, key)} MiB/s (bare proxy ÷ direct ${(Number(med('bare-proxy', key)) / Number(med('direct', key))).toFixed(2)}×)`,
    });
  const memory = (id: string, key: 'peakRssGrowthMiB' | 'liveAfterGcGrowthMiB', how: string) =>
    buildFigure({
      ...plannedFigure(PLANNED, id),
      perRound: samples.gateway.map((m) => m[key]),
      detail: `${how}; worst of GET and PUT of ${size}; bare proxy median ${med('bare-proxy', key, 1)} MiB`,
    });
  return [
    ratio('facade-get-vs-direct', 'getMiBps', 'direct'),
    ratio('facade-put-vs-direct', 'putMiBps', 'direct'),
    ratio('facade-get-vs-bare', 'getMiBps', 'bare-proxy'),
    ratio('facade-put-vs-bare', 'putMiBps', 'bare-proxy'),
    memory(
      'facade-peak-rss-growth',
      'peakRssGrowthMiB',
      'kernel peak RSS (VmHWM) in the timed transfers, over the idle process after a GC',
    ),
    memory(
      'facade-live-after-gc-growth',
      'liveAfterGcGrowthMiB',
      `highest right after forced GCs every ${GC_EVERY_MS} ms, in an untimed extra transfer`,
    ),
  ];
}

export const facadeStreamingScenario: ScenarioDefinition = {
  id: 'facade-streaming',
  title: 'WebDAV streaming, 1 GiB through the facade (internal listener → peer)',
  planned: PLANNED,
  run,
};
