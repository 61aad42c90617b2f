/**
 * Fault: the backend goes down and comes back. Pass-through callers get 503 + Retry-After with a
 * JSON body while it is down and 200 again once it returns, with no gateway restart; /readyz keeps
 * answering throughout.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFaultRig, type FaultRig } from './fault-rig.ts';

let rig: FaultRig;
before(async () => {
  rig = await startFaultRig();
});
after(async () => {
  await rig.close();
});

test('pass-through is 503 + Retry-After while the backend is down and 200 after, without a restart', async () => {
  const page = `${rig.publicUrl}/status.php`;
  const up = await fetch(page);
  assert.equal(up.status, 200);
  assert.equal(((await up.json()) as { installed?: boolean }).installed, true);

  await rig.backendDoor.down();
  const started = Date.now();
  const down = await fetch(page);
  assert.ok(Date.now() - started < 5_000, 'fails fast, no hang');
  assert.equal(down.status, 503);
  assert.ok(Number(down.headers.get('retry-after')) >= 1, 'Retry-After present');
  assert.match(down.headers.get('content-type') ?? '', /json/);
  const body = (await down.json()) as { message?: unknown };
  assert.equal(typeof body.message, 'string');

  const ready = await fetch(`${rig.gateway.adminUrl}/readyz`);
  assert.ok([200, 503].includes(ready.status), 'readyz answers');
  assert.equal(typeof ((await ready.json()) as { status?: unknown }).status, 'string');

  await rig.backendDoor.up();
  const back = await fetch(page);
  assert.equal(back.status, 200);
  assert.equal(rig.gateway.child.exitCode, null, 'same gateway process, no restart');
  assert.deepEqual(rig.backend.errors, []);
});
