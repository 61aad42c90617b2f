/**
 * Issue 8, Done-when 2: the flows of the Cluster test, with three gateway processes on a
 * Sentinel-managed Redis (master + replica + Sentinel on loopback), and a Sentinel failover
 * triggered mid-run. Requests that meet Redis mid-switch fail fast (503) and are retried by their
 * senders; every share and notification still arrives exactly once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedisSentinel, type RedisSentinelSetup } from '../../support/redis-sentinel.ts';
import { checkDeliveries, runFlows, startScaleOutRig, type ScaleOutRig } from './scale-out-rig.ts';

let sentinel: RedisSentinelSetup | undefined;
let rig: ScaleOutRig | undefined;

before(async () => {
  sentinel = await startRedisSentinel();
  rig = await startScaleOutRig({
    GATEWAY_REDIS_MODE: 'sentinel',
    GATEWAY_REDIS_NODES: sentinel.nodesEnv,
    GATEWAY_REDIS_SENTINEL_NAME: sentinel.masterName,
  });
});

after(async () => {
  await rig?.close();
  await sentinel?.stop();
});

test('three replicas through Sentinel, failover mid-run: every share and notification arrives exactly once', async () => {
  assert.ok(rig);
  const live = rig;
  assert.ok(sentinel);
  const setup = sentinel;
  const before = await setup.master();
  const run = await runFlows(live, {
    flows: 15,
    concurrency: 3,
    eventAfter: 5,
    midRun: () => setup.failover(),
  });
  const after = await setup.master();
  assert.notEqual(after.port, before.port, 'the Sentinel promoted the replica');
  assert.ok(run.doneAfterEvent >= 7, 'flows went on after the failover');
  assert.ok(run.results.length >= 15);
  const check = checkDeliveries(live, run);
  assert.deepEqual(check.problems, [], `retries:\n${live.retries.join('\n')}`);
  // Only a request in flight when the event came can be delivered twice: at most one per flow.
  assert.ok(check.crashWindow.length <= 3, check.crashWindow.join('\n'));
  assert.deepEqual(live.peer.errors, []);
  assert.deepEqual(live.backend.errors, []);
  // Every replica is still ready: its client follows the Sentinel to the new master.
  for (const g of live.gateways) {
    const ready = await fetch(`${g.adminUrl}/readyz`);
    assert.equal(ready.status, 200, `${g.adminUrl}: ${await ready.text()}`);
  }
  for (const line of check.crashWindow) process.stdout.write(`# crash window: ${line}\n`);
  process.stdout.write(
    `# ${run.results.length} flows in ${run.seconds.toFixed(1)} s, ${live.retries.length} retried requests\n`,
  );
  assert.ok(run.seconds < 60, `bounded: ${run.seconds} s`);
});
