/**
 * Notification round trips (issue 4): a peer POSTs signed OCM 1.3 notifications to the whole
 * gateway's `<endPoint>/notifications`; the gateway verifies the signature, finds the share in the
 * ledger, makes the backend's OCS call with the id and token the backend knows, records the new
 * state and answers 201. Two kinds, each needing fresh shares every round (created untimed first):
 * - SHARE_UNSHARED about shares the peer sent the backend through the gateway → OCS `unshare`;
 * - SHARE_ACCEPTED about shares the backend sent the peer's user through the facade (the gateway
 *   sent the peer a signed OCM share and recorded it) → OCS `accept`.
 * Against, in the same rounds: the same number of OCS calls straight to the backend, and the same
 * signed bytes through the gateway's plain pass-through. Embedded state and Redis.
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
import type { RunningGatewayChild } from './start-bench-servers.ts';
import { recipientAt, startFederationServers } from './start-federation-servers.ts';

type Subject =
  'direct-ocs' | 'passthrough' | 'embedded' | 'redis' | 'embedded-accept' | 'redis-accept';

const SETTINGS = {
  full: { rounds: 4, warmup: 300, notifications: 1_500, concurrency: 32 },
  quick: { rounds: 2, warmup: 150, notifications: 800, concurrency: 32 },
  tiny: { rounds: 2, warmup: 10, notifications: 40, concurrency: 8 },
};
const UNIT = 'round trips/s';

const LABELS: Record<Subject, string> = {
  'direct-ocs': 'OCS unshare direct',
  passthrough: 'pass-through of the same request',
  embedded: 'SHARE_UNSHARED (embedded)',
  redis: 'SHARE_UNSHARED (Redis)',
  'embedded-accept': 'SHARE_ACCEPTED (embedded)',
  'redis-accept': 'SHARE_ACCEPTED (Redis)',
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
    id: 'accepted-per-second-embedded',
    label:
      'Notification round trips/s (peer SHARE_ACCEPTED, signed → gateway → backend OCS accept)',
    unit: UNIT,
    state: 'embedded',
  },
  {
    id: 'accepted-per-second-redis',
    label:
      'Notification round trips/s (peer SHARE_ACCEPTED, signed → gateway → backend OCS accept)',
    unit: UNIT,
    state: 'redis',
  },
  {
    id: 'notifications-embedded-vs-direct',
    label: 'Notification round trips/s (SHARE_UNSHARED) ÷ OCS unshare straight to the backend',
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'notifications-embedded-vs-passthrough',
    label:
      "Notification round trips/s (SHARE_UNSHARED) ÷ the gateway's pass-through of the same signed request",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'notifications-redis-vs-embedded',
    label: 'Notification round trips/s (SHARE_UNSHARED): Redis state ÷ embedded state',
    unit: '×',
    state: 'redis',
  },
  {
    id: 'accepted-embedded-vs-direct',
    label:
      'Notification round trips/s (SHARE_ACCEPTED) ÷ an OCS share action straight to the backend',
    unit: '×',
    state: 'embedded',
  },
];

async function run(context: ScenarioContext): Promise<ScenarioMeasurement> {
  const settings = settingsFor(context, SETTINGS);
  const servers = await startFederationServers(context, 'gateway-notifications');
  let stopped = false;
  try {
    const sent = { creates: 0, unshares: 0, outgoing: 0, accepts: 0 };
    const gatewayOrigin = servers.embedded.origin;
    const post = (
      kind: 'ocm-share' | 'ocm-unshare' | 'ocm-accept',
      origin: string,
      tag: string,
      count: number,
    ) =>
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
    // The backend shares with the peer's user through the facade (untimed): the gateway sends the
    // peer a signed OCM share and records it; the peer's SHARE_ACCEPTED then maps to OCS accept.
    const acceptedThrough = (
      gateway: RunningGatewayChild,
    ): Omit<ThroughputSubject<Subject>, 'id' | 'label'> => ({
      prepare: async (tag, count) => {
        await servers.posts({
          kind: 'ocs-create-out',
          origin: gateway.internalUrl,
          path: `/peers/${servers.peer.host}${OCS_SHARES_PATH}`,
          first: 0,
          count,
          tag,
          recipient: recipientAt(gateway.origin),
          concurrency: settings.concurrency,
          expectStatus: 200,
        });
        sent.outgoing += count;
      },
      send: async (tag, count) => {
        const result = await post('ocm-accept', gateway.origin, tag, count);
        sent.accepts += count;
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
      {
        id: 'embedded-accept',
        label: LABELS['embedded-accept'],
        ...acceptedThrough(servers.embedded),
      },
    ];
    if (servers.redis !== undefined) {
      subjects.push(
        { id: 'redis', label: LABELS.redis, ...throughGateway(servers.redis.origin) },
        { id: 'redis-accept', label: LABELS['redis-accept'], ...acceptedThrough(servers.redis) },
      );
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
    const accepts = calls.accept ?? 0;
    if (
      calls.unshare !== sent.unshares ||
      calls.create !== sent.creates ||
      accepts !== sent.accepts
    ) {
      throw new Error(
        `the backend got ${String(calls.unshare)} unshare, ${accepts} accept and ${String(calls.create)} createShare calls for ${sent.unshares} SHARE_UNSHARED, ${sent.accepts} SHARE_ACCEPTED and ${sent.creates} shares`,
      );
    }
    const peerCounts = await servers.peer.child.call<Record<string, number>>('counts', {}, 10_000);
    if (peerCounts.sharesReceived !== sent.outgoing) {
      throw new Error(
        `the peer received ${String(peerCounts.sharesReceived)} of the backend's ${sent.outgoing} shares`,
      );
    }
    const measured = subjects.map((subject) => subject.id);
    stopped = true;
    const keysDeleted = await servers.stop();
    return {
      rounds: settings.rounds,
      settings: {
        ...settings,
        notificationTypes:
          'SHARE_UNSHARED (shares the peer sent the backend), SHARE_ACCEPTED (shares the backend sent the peer)',
        peer: 'OCM 1.3, RFC 9421 Ed25519 signatures, key from its JWKS',
        backend: 'legacy OCS v2 /cloud/shares/{id}/unshare and /accept',
        signatures: 'require',
        redis: servers.redisProblem ?? new URL(context.redisUrl).host,
        keyPrefix: servers.redisKeyPrefix,
        backendUnshareCalls: calls.unshare,
        backendAcceptCalls: accepts,
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
    absolute('accepted-per-second-embedded', 'embedded-accept'),
    absolute('accepted-per-second-redis', 'redis-accept'),
    ratio('notifications-embedded-vs-direct', 'embedded', 'direct-ocs'),
    ratio('notifications-embedded-vs-passthrough', 'embedded', 'passthrough'),
    ratio('notifications-redis-vs-embedded', 'redis', 'embedded'),
    ratio('accepted-embedded-vs-direct', 'embedded-accept', 'direct-ocs'),
  ];
}

export const notificationScenario: ScenarioDefinition = {
  id: 'notification-round-trips',
  title: 'Notification round trips (peer OCM notification → ledger → backend OCS call)',
  planned: PLANNED,
  run,
};
