/**
 * Translated share creation (issue 4): a modern peer POSTs OCM 1.3 shares, each signed with RFC
 * 9421, to the whole gateway's `<endPoint>/shares`; the gateway verifies the signature (key from
 * the peer's JWKS), writes the ledger, calls the legacy backend's OCS createShare and answers 201.
 * Against, in the same rounds: the same number of OCS createShare calls straight to the backend
 * (what the backend and loopback allow), and the same signed bytes through the gateway's plain
 * pass-through (what carrying the request costs before translating it). Embedded state and Redis.
 */
import { buildFigure, unmeasuredFigure, type Figure } from '../bench-results.ts';
import { OCS_SHARES_PATH, POST_PATH } from '../children/backend-paths.ts';
import { perRound } from '../interleaved-rounds.ts';
import { sampleStats } from '../sample-stats.ts';
import {
  runThroughputRounds,
  throughputColumns,
  type ThroughputSample,
  type ThroughputSubject,
} from './federation-throughput.ts';
import {
  plannedFigure,
  settingsFor,
  type PlannedFigure,
  type ScenarioContext,
  type ScenarioDefinition,
  type ScenarioMeasurement,
} from './scenario-context.ts';
import { recipientAt, startFederationServers } from './start-federation-servers.ts';

type Subject = 'direct-ocs' | 'passthrough' | 'embedded' | 'redis';

const SETTINGS = {
  full: { rounds: 5, warmup: 400, shares: 2_000, concurrency: 32 },
  quick: { rounds: 2, warmup: 150, shares: 800, concurrency: 32 },
  tiny: { rounds: 2, warmup: 10, shares: 40, concurrency: 8 },
};
const TARGET = { comparator: '>=', value: 500 } as const;

const LABELS: Record<Subject, string> = {
  'direct-ocs': 'OCS createShare direct',
  passthrough: 'pass-through of the same request',
  embedded: 'translated (embedded)',
  redis: 'translated (Redis)',
};

const PLANNED: readonly PlannedFigure[] = [
  {
    id: 'shares-per-second-embedded',
    label: 'Translated shares/s (peer OCM 1.3, signed → gateway → legacy OCS backend)',
    unit: 'shares/s',
    state: 'embedded',
    target: TARGET,
  },
  {
    id: 'shares-per-second-redis',
    label: 'Translated shares/s (peer OCM 1.3, signed → gateway → legacy OCS backend)',
    unit: 'shares/s',
    state: 'redis',
    target: TARGET,
  },
  {
    id: 'shares-embedded-vs-direct',
    label: 'Translated shares/s ÷ OCS createShare straight to the backend',
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'shares-embedded-vs-passthrough',
    label: "Translated shares/s ÷ the gateway's pass-through of the same signed request",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'shares-redis-vs-embedded',
    label: 'Translated shares/s: Redis state ÷ embedded state',
    unit: '×',
    state: 'redis',
  },
];

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const servers = await startFederationServers(context, 'gateway-shares');
  let stopped = false;
  try {
    const sent = { creates: 0 };
    const share = (origin: string) => async (tag: string, count: number) => {
      const result = await servers.posts({
        kind: 'ocm-share',
        origin,
        path: '/ocm/shares',
        first: 0,
        count,
        tag,
        recipient: recipientAt(origin),
        concurrency: settings.concurrency,
        expectStatus: 201,
      });
      sent.creates += count;
      return result;
    };
    const gatewayOrigin = servers.embedded.origin;
    const subjects: ThroughputSubject<Subject>[] = [
      {
        id: 'direct-ocs',
        label: LABELS['direct-ocs'],
        send: async (tag, count) => {
          const result = await servers.posts({
            kind: 'ocs-create',
            origin: servers.backend.origin,
            path: OCS_SHARES_PATH,
            first: 0,
            count,
            tag,
            recipient: recipientAt(gatewayOrigin),
            concurrency: settings.concurrency,
            expectStatus: 200,
          });
          sent.creates += count;
          return result;
        },
      },
      {
        id: 'passthrough',
        label: LABELS.passthrough,
        send: (tag, count) =>
          servers.posts({
            kind: 'plain-share',
            origin: gatewayOrigin,
            path: POST_PATH,
            first: 0,
            count,
            tag,
            recipient: recipientAt(gatewayOrigin),
            concurrency: settings.concurrency,
            expectStatus: 201,
          }),
      },
      { id: 'embedded', label: LABELS.embedded, send: share(gatewayOrigin) },
    ];
    if (servers.redis !== undefined) {
      subjects.push({ id: 'redis', label: LABELS.redis, send: share(servers.redis.origin) });
    }
    const samples = await runThroughputRounds<Subject>({
      subjects,
      rounds: settings.rounds,
      warmup: settings.warmup,
      count: settings.shares,
      unit: 'shares/s',
      progress: context.progress,
    });
    // Every 201 must stand for one createShare on the backend: nothing skipped, nothing doubled.
    const calls = await servers.ocsCalls();
    if (calls.create !== sent.creates) {
      throw new Error(
        `the backend got ${String(calls.create)} createShare calls for ${sent.creates} shares`,
      );
    }
    const measured = subjects.map((subject) => subject.id);
    stopped = true;
    const keysDeleted = await servers.stop();
    return {
      rounds: settings.rounds,
      settings: {
        ...settings,
        peer: 'OCM 1.3, RFC 9421 Ed25519 signatures, key from its JWKS',
        backend: 'legacy OCS v2 createShare',
        signatures: 'require',
        redis: servers.redisProblem ?? new URL(context.redisUrl).host,
        keyPrefix: servers.redisKeyPrefix,
        backendCreateShareCalls: calls.create,
        redisKeysDeleted: keysDeleted,
      },
      samples: Object.fromEntries(
        measured.map((subject) => [subject, throughputColumns(samples[subject])]),
      ),
      figures: figures(samples, measured, servers.redisProblem),
    };
  } finally {
    if (!stopped) await servers.stop().catch(() => undefined);
  }
}

function figures(
  samples: Record<Subject, ThroughputSample[]>,
  measured: readonly Subject[],
  redisProblem: string | null,
): Figure[] {
  const med = (subject: Subject, key: keyof ThroughputSample) =>
    sampleStats(samples[subject].map((s) => s[key])).median;
  const rate = (subject: Subject) =>
    `${LABELS[subject]} ${Math.round(med(subject, 'perSecond'))}/s (p50 ${med(subject, 'p50Ms').toFixed(2)} ms)`;
  const has = (subject: Subject) => measured.includes(subject);
  const missing = (id: string) =>
    unmeasuredFigure({
      ...plannedFigure(PLANNED, id),
      why: `not measured: ${redisProblem ?? '?'}`,
    });
  const absolute = (id: string, subject: Subject) =>
    has(subject)
      ? buildFigure({
          ...plannedFigure(PLANNED, id),
          perRound: samples[subject].map((s) => s.perSecond),
          detail: `${rate(subject)}; ${rate('direct-ocs')}; ${rate('passthrough')}`,
        })
      : missing(id);
  const ratio = (id: string, top: Subject, bottom: Subject) =>
    has(top) && has(bottom)
      ? buildFigure({
          ...plannedFigure(PLANNED, id),
          perRound: perRound(samples[top], samples[bottom], (a, b) => a.perSecond / b.perSecond),
          detail: `${rate(top)} vs ${rate(bottom)}`,
        })
      : missing(id);
  return [
    absolute('shares-per-second-embedded', 'embedded'),
    absolute('shares-per-second-redis', 'redis'),
    ratio('shares-embedded-vs-direct', 'embedded', 'direct-ocs'),
    ratio('shares-embedded-vs-passthrough', 'embedded', 'passthrough'),
    ratio('shares-redis-vs-embedded', 'redis', 'embedded'),
  ];
}

export const shareCreationScenario: ScenarioDefinition = {
  id: 'share-creation',
  title: 'Translated share creation (signature verify, ledger write, backend createShare)',
  planned: PLANNED,
  run,
};
