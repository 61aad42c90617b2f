/**
 * Three gateway processes on one shared Redis (any mode: the caller gives the GATEWAY_REDIS_*
 * variables) behind random load balancers, an OCM 1.3 peer and a Nextcloud 13 backend that reach
 * them only through the balancers, and the flows the scale-out tests drive through them. The
 * peer and the backend retry a failed request (a 502 from the balancer, a 503, a dropped
 * connection) as real servers do: identical, re-signed when it was signed.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
} from '../../sim/index.ts';
import type { OutgoingClient, OutgoingRequest } from '../../sim/common/outgoing-http.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { startRandomBalancer, type RandomBalancer } from './random-balancer.ts';

/** How long a sender keeps retrying one request. */
const RETRY_FOR_MS = 20_000;

export interface ScaleOutRig {
  readonly gateways: readonly GatewayProcess[];
  readonly publicLb: RandomBalancer;
  readonly internalLb: RandomBalancer;
  readonly peer: OcmPeer;
  readonly backend: LegacyServer;
  /** One line per retried request: who, what, why. */
  readonly retries: string[];
  close(): Promise<void>;
}

export interface FlowResult {
  readonly inbound: string;
  readonly outbound: string;
  readonly providerId: string;
  readonly backendRemoteId: string;
}

export interface FlowRun {
  readonly results: FlowResult[];
  /** Flows that finished after the mid-run event. */
  readonly doneAfterEvent: number;
  /** Requests each public port had served when the event came. */
  readonly servedBeforeEvent: ReadonlyMap<number, number>;
  /** How many requests the backend and the peer had received when the event began and settled. */
  readonly window: {
    readonly backend: readonly [atEvent: number, atSettled: number];
    readonly peer: readonly [atEvent: number, atSettled: number];
  };
  readonly seconds: number;
}

/**
 * A sender that retries like a real server: a network error or a 502/503/504 is tried again
 * (after a short pause) until it succeeds or RETRY_FOR_MS passes; `resign` gives fresh signature
 * headers for the same body.
 */
function retrying(
  client: OutgoingClient,
  who: string,
  retries: string[],
  applies: (request: OutgoingRequest) => boolean,
  resign?: (request: OutgoingRequest) => Record<string, string>,
): void {
  const send = client.request.bind(client);
  client.request = async (request) => {
    if (!applies(request)) return send(request);
    const deadline = Date.now() + RETRY_FOR_MS;
    for (let attempt = 0; ; attempt += 1) {
      const current =
        attempt === 0 || resign === undefined ? request : { ...request, headers: resign(request) };
      let outcome: string;
      try {
        const response = await send(current);
        if (![502, 503, 504].includes(response.status) || Date.now() > deadline) return response;
        outcome = `${response.status} ${response.text.slice(0, 120)}`;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        outcome = error instanceof Error ? error.message : String(error);
      }
      retries.push(`${who} ${request.method} ${request.url}: ${outcome}`);
      // A signature is unique per second (RFC 9421 `created`, Date): a re-signed retry within
      // the same second would be the same signature, which the replay guard rightly refuses.
      const pause = resign === undefined ? 100 + randomInt(200) : 1_000 + randomInt(300);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
}

export async function startScaleOutRig(redisEnv: Record<string, string>): Promise<ScaleOutRig> {
  const retries: string[] = [];
  const publicLb = await startRandomBalancer();
  const internalLb = await startRandomBalancer();
  const peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
  const backend = await startLegacyServer({
    flavour: 'nextcloud13',
    basePath: '/nextcloud',
    publicUrl: publicLb.url,
    users: { bob: 'Bob' },
    schemes: ['http'],
    proxy: internalLb.url,
  });
  // The peer retries what it sends to the gateways' public address, re-signing each attempt.
  retrying(
    peer.ctx.client,
    'peer',
    retries,
    (request) => new URL(request.url).port === String(publicLb.port),
    (request) => {
      const headers = request.headers ?? {};
      if (headers['signature-input'] === undefined && headers.signature === undefined) {
        return headers;
      }
      const body = typeof request.body === 'string' ? request.body : String(request.body ?? '');
      return signedHeaders(peer.ctx, request.url, body, headers['content-type'] ?? '');
    },
  );
  // The backend's outgoing calls all pass the gateways' forward proxy (its `proxy` setting).
  retrying(backend.client, 'backend', retries, () => true);

  const dataDir = mkdtempSync(join(tmpdir(), 'gw-scale-out-'));
  // The facade's address is the balancer in front of every replica's internal listener, not one
  // replica's port: the backend keeps it as the `remote` of each share and calls it back later,
  // maybe after that replica is gone.
  const configFile = join(dataDir, 'gateway.yaml');
  writeFileSync(configFile, `facade:\n  baseUrl: ${internalLb.url}\n`);
  const env = {
    GATEWAY_PUBLIC_URL: publicLb.url,
    GATEWAY_BACKEND_URL: backend.url,
    GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    // One data dir for the key set (read by every replica), one ledger key, one Redis prefix.
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_LEDGER_KEY: 'scale-out-ledger-key-shared-by-all-three-replicas',
    GATEWAY_REDIS_KEY_PREFIX: `scale-${randomBytes(4).toString('hex')}:`,
    GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    GATEWAY_LOG_LEVEL: 'info',
    GATEWAY_CONFIG: configFile,
    ...redisEnv,
  };
  const gateways: GatewayProcess[] = [];
  const close = async () => {
    await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
    await Promise.all([publicLb.close(), internalLb.close(), peer.close(), backend.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The first replica creates the key set; the others read it. One at a time, so no two
    // borrow the same free port before either binds it.
    for (let i = 0; i < 3; i += 1) {
      const gateway = await startGatewayProcess(env);
      gateways.push(gateway);
      await gateway.waitForLog((l) => l.message === 'gateway started', 20_000);
    }
  } catch (error) {
    await close();
    throw error;
  }
  publicLb.targets = gateways.map((g) => Number(new URL(g.publicUrl).port));
  internalLb.targets = gateways.map((g) => Number(new URL(g.internalUrl).port));
  return { gateways, publicLb, internalLb, peer, backend, retries, close };
}

const tail = (rig: ScaleOutRig) =>
  `\nlast retries:\n${rig.retries.slice(-8).join('\n')}\nreplica warnings:\n${replicaTrouble(rig)}`;

/** One flow through the replicas: a share each way, an accept back, an unshare forward. */
async function flow(rig: ScaleOutRig, i: number): Promise<FlowResult> {
  const { peer, backend } = rig;
  const inbound = `In-${i}.txt`;
  const outbound = `Out-${i}.txt`;
  const gatewayHost = new URL(rig.publicLb.url).host;
  peer.addFile('alice', inbound, `inbound ${i}\n`);
  const sent = await peer.shareWith({
    owner: 'alice',
    path: inbound,
    shareWith: `bob@${gatewayHost}`,
  });
  assert.equal(sent.result.ok, true, `${inbound}: ${JSON.stringify(sent.result)}${tail(rig)}`);
  assert.ok(sent.share);
  const received = backend.receivedShares('bob').find((r) => r.name === inbound);
  assert.ok(received, `${inbound} reached the backend`);

  const accepted = await backend.acceptShare(received.id);
  assert.equal(accepted.ok, true, `accept ${inbound}: ${JSON.stringify(accepted)}${tail(rig)}`);
  const unshared = await peer.unshare(sent.share.providerId);
  assert.equal(unshared.ok, true, `unshare ${inbound}: ${JSON.stringify(unshared)}${tail(rig)}`);

  backend.addFile('bob', outbound, `outbound ${i}\n`);
  const out = await backend.shareWithRemote({
    owner: 'bob',
    path: outbound,
    shareWith: `alice@${peer.host}`,
  });
  assert.equal(out.result.ok, true, `${outbound}: ${JSON.stringify(out.result)}${tail(rig)}`);
  return {
    inbound,
    outbound,
    providerId: sent.share.providerId,
    backendRemoteId: received.remoteId,
  };
}

/**
 * Runs at least `flows` flows, `concurrency` at a time; `midRun` fires once `eventAfter` have
 * finished, and flows go on until what it started has settled and `flowsAfterEvent` more have
 * finished, so the event always lands in the middle of traffic.
 */
export async function runFlows(
  rig: ScaleOutRig,
  options: {
    flows: number;
    concurrency: number;
    eventAfter: number;
    flowsAfterEvent?: number;
    midRun: () => Promise<unknown> | undefined;
  },
): Promise<FlowRun> {
  const started = Date.now();
  const results: FlowResult[] = [];
  const servedBeforeEvent = new Map<number, number>();
  let next = 0;
  let event: Promise<unknown> | undefined;
  let settled = false;
  let doneAfterSettled = 0;
  let doneAfterEvent = 0;
  const window = { backend: [0, 0] as [number, number], peer: [0, 0] as [number, number] };
  const more = () =>
    next < options.flows || !settled || doneAfterSettled < (options.flowsAfterEvent ?? 3);
  const worker = async () => {
    while (more()) {
      const i = next;
      next += 1;
      results.push(await flow(rig, i));
      if (event !== undefined) doneAfterEvent += 1;
      if (settled) doneAfterSettled += 1;
      if (results.length === options.eventAfter && event === undefined) {
        for (const [port, count] of rig.publicLb.served) servedBeforeEvent.set(port, count);
        window.backend[0] = rig.backend.received.length;
        window.peer[0] = rig.peer.received.length;
        event = Promise.resolve(options.midRun()).finally(() => {
          window.backend[1] = rig.backend.received.length;
          window.peer[1] = rig.peer.received.length;
          settled = true;
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await event;
  return {
    results,
    doneAfterEvent,
    servedBeforeEvent,
    window,
    seconds: (Date.now() - started) / 1000,
  };
}

export interface DeliveryCheck {
  /** Deliveries that did not arrive exactly once (and are not a crash-window duplicate). */
  readonly problems: string[];
  /**
   * Deliveries that arrived twice, the first copy before the event settled and the second after
   * it began: the replica (or Redis write) that delivered the first copy went away between the
   * destination's answer and the ledger's record of it, and the sender's retry was delivered
   * again. The gateway is at-least-once in that window (see the report of issue 8 item 3).
   */
  readonly crashWindow: string[];
}

/** What did not arrive exactly once at its destination, with enough detail to see why. */
export function checkDeliveries(rig: ScaleOutRig, run: FlowRun): DeliveryCheck {
  const { peer, backend } = rig;
  const problems: string[] = [];
  const crashWindow: string[] = [];
  const judge = (
    what: string,
    log: readonly unknown[],
    match: (entry: never) => boolean,
    [atEvent, atSettled]: readonly [number, number],
    detail = '',
  ) => {
    const indexes = log.flatMap((entry, index) => (match(entry as never) ? [index] : []));
    if (indexes.length === 1) return;
    const [first, second] = indexes;
    if (
      indexes.length === 2 &&
      first !== undefined &&
      second !== undefined &&
      first < atSettled &&
      second >= atEvent
    ) {
      crashWindow.push(`${what}: twice, around the event${detail}`);
    } else {
      problems.push(`${what}: ${indexes.length} times${detail}`);
    }
  };
  type Req = (typeof backend.received)[number];
  const named = (q: Req, name: string) => (q.body as { name?: string } | undefined)?.name === name;
  for (const r of run.results) {
    judge(
      `${r.inbound} createShare at the backend`,
      backend.received,
      (q: Req) =>
        q.method === 'POST' && q.localPath.endsWith('/cloud/shares') && named(q, r.inbound),
      run.window.backend,
    );
    judge(
      `${r.inbound} SHARE_ACCEPTED at the peer`,
      peer.received,
      (q: Req) => {
        const body = q.body as { notificationType?: string; providerId?: string } | undefined;
        return (
          q.path === '/ocm/notifications' &&
          body?.notificationType === 'SHARE_ACCEPTED' &&
          body.providerId === r.providerId
        );
      },
      run.window.peer,
    );
    judge(
      `${r.inbound} unshare at the backend`,
      backend.received,
      (q: Req) =>
        q.method === 'POST' && q.localPath.endsWith(`/cloud/shares/${r.backendRemoteId}/unshare`),
      run.window.backend,
    );
    judge(
      `${r.outbound} share at the peer`,
      peer.received,
      (q: Req) => q.method === 'POST' && q.path === '/ocm/shares' && named(q, r.outbound),
      run.window.peer,
      ` (stored ${peer.receivedShares('alice').filter((q) => q.name === r.outbound).length})`,
    );
  }
  return { problems, crashWindow };
}

/** The replicas' warnings and errors, for a failure message. */
export function replicaTrouble(rig: ScaleOutRig, limit = 40): string {
  const lines = rig.gateways.flatMap((g, index) =>
    g.logs
      .filter((l) => l.level === 'warn' || l.level === 'error')
      .map((l) => `#${index} ${JSON.stringify(l).slice(0, 400)}`),
  );
  const ports = rig.gateways.map(
    (g, index) =>
      `#${index} public ${new URL(g.publicUrl).port} internal ${new URL(g.internalUrl).port} ` +
      `exit ${String(g.child.exitCode)}/${String(g.child.signalCode)} ${g.stderr().slice(-300)}`,
  );
  return [
    `balancers: public ${rig.publicLb.port}, internal ${rig.internalLb.port}`,
    ...ports,
    ...lines.slice(-limit),
  ].join('\n');
}
