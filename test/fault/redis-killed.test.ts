/**
 * Fault: the gateway's Redis is killed and restarted. Pass-through keeps working, /readyz says
 * degraded, an outgoing share from the backend fails clearly (not a 500, not a silent success),
 * and after Redis is back the same share goes through, recorded once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedisProcess, type RedisProcess } from '../support/redis-process.ts';
import { startFaultRig, type FaultRig } from './fault-rig.ts';

let redis: RedisProcess;
let rig: FaultRig;

before(async () => {
  redis = await startRedisProcess();
  rig = await startFaultRig({
    GATEWAY_REDIS_URL: redis.url,
    GATEWAY_REDIS_KEY_PREFIX: `fault-${process.pid}:`,
  });
  rig.backend.addFile('bob', 'Plan.txt', 'the plan\n');
});
after(async () => {
  await rig.close();
  await redis.stop();
});

const shareToPeer = () =>
  rig.backend.shareWithRemote({
    owner: 'bob',
    path: 'Plan.txt',
    shareWith: `alice@${rig.peer.host}`,
  });

test('with Redis up an outgoing share goes through', async () => {
  const { result } = await shareToPeer();
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(rig.peer.receivedShares('alice').length, 1);
});

test('with Redis killed: pass-through works, /readyz is degraded, a share fails clearly and reaches nobody', async () => {
  await redis.stop();
  const page = await fetch(`${rig.publicUrl}/status.php`);
  assert.equal(page.status, 200, 'pass-through does not need Redis');

  const ready = await fetch(`${rig.gateway.adminUrl}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal(((await ready.json()) as { status?: string }).status, 'degraded');

  const started = Date.now();
  const { result } = await shareToPeer();
  assert.ok(Date.now() - started < 5_000, 'fails fast, no hang');
  assert.equal(result.ok, false, `not a silent success: ${JSON.stringify(result)}`);
  assert.notEqual(result.status, 500, JSON.stringify(result));
  assert.equal(result.status, 503, JSON.stringify(result));
  const meta = (result.body as { ocs?: { meta?: { status?: string; message?: string } } }).ocs
    ?.meta;
  assert.equal(meta?.status, 'failure', 'an OCS error the backend understands');
  assert.match(meta.message ?? '', /unavailable/i);
  assert.equal(rig.peer.receivedShares('alice').length, 1, 'the peer got nothing new');
});

test('after Redis restarts the same share succeeds without a gateway restart, recorded once', async () => {
  await redis.restart();
  let ok = false;
  for (let i = 0; i < 40 && !ok; i += 1) {
    const readyz = await fetch(`${rig.gateway.adminUrl}/readyz`);
    ok = readyz.status === 200;
    if (!ok) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(ok, '/readyz is ready again');
  const { result } = await shareToPeer();
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(rig.peer.receivedShares('alice').length, 2, 'one new share, not two');
  assert.equal(rig.gateway.child.exitCode, null, 'same gateway process');
  assert.deepEqual(rig.peer.errors, []);
});
