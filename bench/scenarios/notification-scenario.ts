/**
 * Notification round trips (issue 4): the peer POSTs signed OCM 1.3 SHARE_UNSHARED notifications
 * to the whole gateway's `<endPoint>/notifications` for shares it created through the gateway
 * earlier (each round creates its shares first, untimed); the gateway verifies the signature,
 * finds the share in the ledger, calls the backend's OCS `unshare` with the alias and token the
 * backend knows, records the new state and answers 201. Against, in the same rounds: the same
 * number of OCS unshare calls straight to the backend, and the same signed bytes through the
 * gateway's plain pass-through. Embedded state and Redis.
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
  full: { rounds: 5, warmup: 400, notifications: 2_000, concurrency: 32 },
  quick: { rounds: 2, warmup: 150, notifications: 800, concurrency: 32 },
  tiny: { rounds: 2, warmup: 10, notifications: 40, concurrency: 8 },
};
const UNIT = 'round trips/s';

const LABELS: Record<Subject, string> = {
  'direct-ocs': 'OCS unshare direct',
  passthrough: 'pass-through of the same request',
  embedded: 'notification (embedded)',
  redis: 'notification (Redis)',
};

const PLANNED: readonly PlannedFigure[] = [
  {
    id: 'notifications-per-second-embedded',
    label:
      'Notification round trips/s (peer SHARE_UNSHARED, signed → gateway → backend OCS unshare)',
    unit: UNIT,
    state: 'embedded',
  },
  {
    id: 'notifications-per-second-redis',
    label:
      'Notification round trips/s (peer SHARE_UNSHARED, signed → gateway → backend OCS unshare)',
    unit: UNIT,
    state: 'redis',
  },
  {
    id: 'notifications-embedded-vs-direct',
    label: 'Notification round trips/s ÷ OCS unshare straight to the backend',
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'notifications-embedded-vs-passthrough',
    label: "Notification round trips/s ÷ the gateway's pass-through of the same signed request",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'notifications-redis-vs-embedded',
    label: 'Notification round trips/s: Redis state ÷ embedded state',
    unit: '×',
    state: 'redis',
  },
];

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const servers = await startFederationServers(context, 'gateway-notifications');
  let stopped = false;
  try {
    const sent = { creates: 0, unshares: 0 };
    const gatewayOrigin = servers.embedded.origin;
    const post = (kind: 'ocm-share' | 'ocm-unshare', origin: string, tag: string, count: number) =>
      servers.posts({
        kind,
        origin,
        path: kind === 'ocm-share' ? '/ocm/shares' : '/ocm/notifications',
        first: 0,
        count,
        tag,
        recipient: recipientAt(origin),
        concurrency: settings.concurrency,
        expectStatus: 201,
      });
    const throughGateway = (origin: string): Omit<ThroughputSubject<Subject>, 'id' | 'label'> => ({
      // The shares the notifications are about, created through the gateway (untimed).
      prepare: async (tag, count) => {
        await post('ocm-share', origin, tag, count);
        sent.creates += count;
      },
      send: async (tag, count) => {
        const result = await post('ocm-unshare', origin, tag, count);
        sent.unshares += count;
        return result;
      },
    });
    const subjects: ThroughputSubject<Subject>[] = [
      {
        id: 'direct-ocs',
        label: LABELS['direct-ocs'],
        send: async (tag, count) => {
          const result = await servers.posts({
            kind: 'ocs-unshare',
            origin: servers.backend.origin,
            path: OCS_SHARES_PATH,
            first: 0,
            count,
            tag,
            recipient: recipientAt(gatewayOrigin),
            concurrency: settings.concurrency,
            expectStatus: 200,
          });
          sent.unshares += count;
          return result;
        },
      },
      {
        id: 'passthrough',
        label: LABELS.passthrough,
        send: (tag, count) =>
          servers.posts({
            kind: 'plain-unshare',
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
      { id: 'embedded', label: LABELS.embedded, ...throughGateway(gatewayOrigin) },
    ];
    if (servers.redis !== undefined) {
      subjects.push({ id: 'redis', label: LABELS.redis, ...throughGateway(servers.redis.origin) });
    }
    const samples = await runThroughputRounds<Subject>({
      subjects,
      rounds: settings.rounds,
      warmup: settings.warmup,
      count: settings.notifications,
      unit: UNIT,
      progress: context.progress,
    });
    // Every 201 must stand for one backend call: a notification acknowledged without reaching
    // the backend (e.g. the share not found in the ledger) would make the figure meaningless.
    const calls = await servers.ocsCalls();
    if (calls.unshare !== sent.unshares || calls.create !== sent.creates) {
      throw new Error(
        `the backend got ${String(calls.unshare)} unshare and ${String(calls.create)} createShare calls for ${sent.unshares} notifications and ${sent.creates} shares`,
      );
    }
    const measured = subjects.map((subject) => subject.id);
    stopped = true;
    const keysDeleted = await servers.stop();
    return {
      rounds: settings.rounds,
      settings: {
        ...settings,
        notificationType: 'SHARE_UNSHARED (incoming shares, the only type a sharing peer sends)',
        peer: 'OCM 1.3, RFC 9421 Ed25519 signatures, key from its JWKS',
        backend: 'legacy OCS v2 /cloud/shares/{alias}/unshare',
        signatures: 'require',
        redis: servers.redisProblem ?? new URL(context.redisUrl).host,
        keyPrefix: servers.redisKeyPrefix,
        backendUnshareCalls: calls.unshare,
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
    absolute('notifications-per-second-embedded', 'embedded'),
    absolute('notifications-per-second-redis', 'redis'),
    ratio('notifications-embedded-vs-direct', 'embedded', 'direct-ocs'),
    ratio('notifications-embedded-vs-passthrough', 'embedded', 'passthrough'),
    ratio('notifications-redis-vs-embedded', 'redis', 'embedded'),
  ];
}

export const notificationScenario: ScenarioDefinition = {
  id: 'notification-round-trips',
  title: 'Notification round trips (peer OCM notification → ledger → backend OCS call)',
  planned: PLANNED,
  run,
};
