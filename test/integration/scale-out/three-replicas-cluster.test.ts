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
import { randomInt } from 'node:crypto';
import { startRedisCluster, type RedisCluster } from '../../support/redis-cluster.ts';
import { checkDeliveries, runFlows, startScaleOutRig, type ScaleOutRig } from './scale-out-rig.ts';

let cluster: RedisCluster | undefined;
let rig: ScaleOutRig | undefined;

before(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  rig = await startScaleOutRig({
    GATEWAY_REDIS_MODE: 'cluster',
    GATEWAY_REDIS_NODES: cluster.nodesEnv,
  });
});

after(async () => {
  await rig?.close();
  await cluster?.stop();
});

test('three replicas on one Redis Cluster, one killed mid-run: every share and notification arrives exactly once', async () => {
  assert.ok(rig);
  const live = rig;
  const victim = live.gateways[randomInt(live.gateways.length)]!;
  const run = await runFlows(live, {
    flows: 15,
    concurrency: 3,
    eventAfter: 5,
    midRun: () => {
      victim.child.kill('SIGKILL');
      return victim.exited;
    },
  });
  assert.equal(await victim.exited, null, 'the victim was killed, not stopped');
  assert.ok(run.doneAfterEvent >= 7, 'flows went on after the kill');

  // Every replica served public traffic before the kill; the survivors after it.
  for (const g of live.gateways) {
    const port = Number(new URL(g.publicUrl).port);
    const before = run.servedBeforeEvent.get(port) ?? 0;
    assert.ok(before > 0, `replica on ${port} served before the kill`);
    if (g !== victim) assert.ok((live.publicLb.served.get(port) ?? 0) > before, `${port} after`);
  }
  assert.ok(run.results.length >= 15);
  const check = checkDeliveries(live, run);
  assert.deepEqual(check.problems, [], `retries:\n${live.retries.join('\n')}`);
  // Only a request in flight when the event came can be delivered twice: at most one per flow.
  assert.ok(check.crashWindow.length <= 3, check.crashWindow.join('\n'));
  assert.deepEqual(live.peer.errors, []);
  assert.deepEqual(live.backend.errors, []);
  for (const line of check.crashWindow) process.stdout.write(`# crash window: ${line}\n`);
  process.stdout.write(
    `# ${run.results.length} flows in ${run.seconds.toFixed(1)} s, ${live.retries.length} retried requests, ` +
      `${live.publicLb.failed + live.internalLb.failed} balancer 502s\n`,
  );
  assert.ok(run.seconds < 60, `bounded: ${run.seconds} s`);
});
