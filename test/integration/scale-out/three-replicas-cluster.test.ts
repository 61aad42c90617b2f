/**
 * Issue 8, item 3, Done-when: three gateway processes share one real Redis Cluster (3 masters on
 * loopback). An OCM 1.3 peer and a Nextcloud 13 backend reach them only through random load
 * balancers (public listener; internal forward proxy), so every request of every flow lands on
 * a replica picked at random. One replica is SIGKILLed mid-run. Senders retry a failed request
 * (a 502 from the balancer, a 503, a dropped connection) as real servers do, re-signed but
 * otherwise identical; the gateway de-duplicates, so every share and notification arrives
 * exactly once at its destination.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
} from '../../sim/index.ts';
import type { OutgoingClient, OutgoingRequest } from '../../sim/common/outgoing-http.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { startRedisCluster, type RedisCluster } from '../../support/redis-cluster.ts';
import { startRandomBalancer, type RandomBalancer } from './random-balancer.ts';

const FLOWS = 15;
const CONCURRENCY = 3;
/** The kill comes after this many flows have finished (others are in flight). */
const KILL_AFTER = 5;
/** How long a sender keeps retrying one request. */
const RETRY_FOR_MS = 20_000;

let cluster: RedisCluster;
let publicLb: RandomBalancer;
let internalLb: RandomBalancer;
let peer: OcmPeer;
let backend: LegacyServer;
let dataDir: string;
const gateways: GatewayProcess[] = [];
const retries: string[] = [];

/**
 * A sender that retries like a real server: a network error or a 502/503/504 is tried again
 * (after a short pause) until it succeeds or RETRY_FOR_MS passes; `resign` gives fresh signature
 * headers for the same body.
 */
function retrying(
  client: OutgoingClient,
  who: string,
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
        outcome = String(response.status);
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

before(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  publicLb = await startRandomBalancer();
  internalLb = await startRandomBalancer();
  peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
  backend = await startLegacyServer({
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
  retrying(backend.client, 'backend', () => true);

  dataDir = mkdtempSync(join(tmpdir(), 'gw-scale-out-'));
  const env = {
    GATEWAY_PUBLIC_URL: publicLb.url,
    GATEWAY_BACKEND_URL: backend.url,
    GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    // One data dir for the key set (read by every replica), one ledger key, one Redis prefix.
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_LEDGER_KEY: 'scale-out-ledger-key-shared-by-all-three-replicas',
    GATEWAY_REDIS_MODE: 'cluster',
    GATEWAY_REDIS_NODES: cluster.nodesEnv,
    GATEWAY_REDIS_KEY_PREFIX: `scale-${randomBytes(4).toString('hex')}:`,
    GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    GATEWAY_LOG_LEVEL: 'info',
  };
  // The first replica creates the key set; the other two start together and read it.
  const first = await startGatewayProcess(env);
  await first.waitForLog((l) => l.message === 'gateway started', 20_000);
  const rest = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  await Promise.all(rest.map((g) => g.waitForLog((l) => l.message === 'gateway started', 20_000)));
  gateways.push(first, ...rest);
  publicLb.targets = gateways.map((g) => Number(new URL(g.publicUrl).port));
  internalLb.targets = gateways.map((g) => Number(new URL(g.internalUrl).port));
});

after(async () => {
  await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
  await Promise.all([publicLb.close(), internalLb.close(), peer.close(), backend.close()]);
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface FlowResult {
  readonly inbound: string;
  readonly outbound: string;
  providerId?: string;
  backendRemoteId?: string;
}

const tail = () => `\nlast retries:\n${retries.slice(-8).join('\n')}`;

/** One flow through the replicas: a share each way, an accept back, an unshare forward. */
async function flow(i: number): Promise<FlowResult> {
  const result: FlowResult = { inbound: `In-${i}.txt`, outbound: `Out-${i}.txt` };
  const gatewayHost = new URL(publicLb.url).host;
  peer.addFile('alice', result.inbound, `inbound ${i}\n`);
  const sent = await peer.shareWith({
    owner: 'alice',
    path: result.inbound,
    shareWith: `bob@${gatewayHost}`,
  });
  assert.equal(sent.result.ok, true, `${result.inbound}: ${JSON.stringify(sent.result)}`);
  assert.ok(sent.share);
  result.providerId = sent.share.providerId;
  const received = backend.receivedShares('bob').find((r) => r.name === result.inbound);
  assert.ok(received, `${result.inbound} reached the backend`);
  result.backendRemoteId = received.remoteId;

  const accepted = await backend.acceptShare(received.id);
  assert.equal(accepted.ok, true, `accept ${result.inbound}: ${JSON.stringify(accepted)}${tail()}`);
  const unshared = await peer.unshare(sent.share.providerId);
  assert.equal(unshared.ok, true, `unshare ${result.inbound}: ${JSON.stringify(unshared)}`);

  backend.addFile('bob', result.outbound, `outbound ${i}\n`);
  const out = await backend.shareWithRemote({
    owner: 'bob',
    path: result.outbound,
    shareWith: `alice@${peer.host}`,
  });
  assert.equal(out.result.ok, true, `${result.outbound}: ${JSON.stringify(out.result)}`);
  return result;
}

test('three replicas on one Redis Cluster, one killed mid-run: every share and notification arrives exactly once', async () => {
  const started = Date.now();
  const victim = gateways[randomInt(gateways.length)]!;
  const servedBeforeKill = new Map<number, number>();
  let done = 0;
  let next = 0;
  let killed = false;
  let doneAfterKill = 0;
  const results: FlowResult[] = [];
  const worker = async () => {
    while (next < FLOWS) {
      const i = next;
      next += 1;
      results.push(await flow(i));
      done += 1;
      if (killed) doneAfterKill += 1;
      if (done === KILL_AFTER && !killed) {
        killed = true;
        for (const [port, count] of publicLb.served) servedBeforeKill.set(port, count);
        victim.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.equal(await victim.exited, null, 'the victim was killed, not stopped');
  assert.ok(doneAfterKill >= FLOWS - KILL_AFTER - CONCURRENCY, 'flows went on after the kill');

  // Every replica served public traffic before the kill; the survivors after it.
  const publicPorts = gateways.map((g) => Number(new URL(g.publicUrl).port));
  for (const port of publicPorts)
    assert.ok((servedBeforeKill.get(port) ?? 0) > 0, `${port} served`);
  for (const g of gateways.filter((g) => g !== victim)) {
    const port = Number(new URL(g.publicUrl).port);
    assert.ok((publicLb.served.get(port) ?? 0) > (servedBeforeKill.get(port) ?? 0));
  }

  const notifications = (type: string, providerId: string) =>
    peer.received.filter((r) => {
      const body = r.body as { notificationType?: string; providerId?: string } | undefined;
      return (
        r.path === '/ocm/notifications' &&
        body?.notificationType === type &&
        body.providerId === providerId
      );
    }).length;
  const backendCalls = (pattern: RegExp) =>
    backend.received.filter((r) => r.method === 'POST' && pattern.test(r.localPath)).length;
  const problems: string[] = [];
  for (const r of results) {
    const created = backend.received.filter(
      (q) =>
        q.method === 'POST' &&
        q.localPath.endsWith('/cloud/shares') &&
        (q.body as { name?: string } | undefined)?.name === r.inbound,
    ).length;
    if (created !== 1) problems.push(`${r.inbound}: ${created} createShare calls at the backend`);
    const accepts = notifications('SHARE_ACCEPTED', r.providerId ?? '');
    if (accepts !== 1) problems.push(`${r.inbound}: ${accepts} SHARE_ACCEPTED at the peer`);
    const unshares = backendCalls(new RegExp(`/cloud/shares/${r.backendRemoteId ?? ''}/unshare$`));
    if (unshares !== 1) problems.push(`${r.inbound}: ${unshares} unshare calls at the backend`);
    const outbound = peer.received.filter(
      (q) =>
        q.method === 'POST' &&
        q.path === '/ocm/shares' &&
        (q.body as { name?: string } | undefined)?.name === r.outbound,
    ).length;
    if (outbound !== 1) {
      const stored = peer.receivedShares('alice').filter((q) => q.name === r.outbound);
      const logged = gateways.map(
        (g) =>
          `${g.logs.filter((l) => l.message === 'share sent to the peer').length}` +
          (g === victim ? '(victim)' : ''),
      );
      problems.push(
        `${r.outbound}: ${outbound} shares at the peer, stored ${stored.length} ` +
          `(${stored.map((q) => q.providerId).join(',')}); sent per replica ${logged.join(' ')}`,
      );
    }
  }
  assert.equal(results.length, FLOWS);
  assert.deepEqual(problems, [], `retries:\n${retries.join('\n')}`);
  assert.deepEqual(peer.errors, []);
  assert.deepEqual(backend.errors, []);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `# ${FLOWS} flows in ${seconds.toFixed(1)} s, ${retries.length} retried requests, ` +
      `${publicLb.failed + internalLb.failed} balancer 502s\n`,
  );
  assert.ok(seconds < 60, `bounded: ${seconds} s`);
});
