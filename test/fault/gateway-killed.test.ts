/**
 * Fault: the gateway process is stopped or killed with work in flight. SIGTERM lets a slow
 * pass-through request finish and exits 0; after a SIGKILL a new process on the same data dir
 * (embedded SQLite) still has the ledger record and the pending outbox item, and delivers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startFaultRig } from './fault-rig.ts';

const notes = (peer: { received: { path: string; body: unknown }[] }, type: string) =>
  peer.received.filter(
    (r) =>
      r.path === '/ocm/notifications' &&
      (r.body as { notificationType?: string }).notificationType === type,
  );

test('SIGTERM during a slow pass-through request: the request completes, the exit code is 0', async () => {
  const rig = await startFaultRig();
  try {
    rig.backendDelayMs = 800;
    const slow = fetch(`${rig.publicUrl}/status.php`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = rig.gateway.stop('SIGTERM');
    const reply = await slow;
    assert.equal(reply.status, 200);
    assert.equal(((await reply.json()) as { installed?: boolean }).installed, true);
    assert.equal(await exit, 0);
  } finally {
    await rig.close();
  }
});

test('SIGKILL with an accept queued for a down peer: a new process on the same data dir delivers it, once', async () => {
  const rig = await startFaultRig();
  try {
    rig.peer.addFile('alice', 'Queued.txt', 'queued\n');
    const sent = await rig.peer.shareWith({
      owner: 'alice',
      path: 'Queued.txt',
      shareWith: `bob@${rig.publicHost}`,
    });
    assert.equal(sent.result.ok, true, JSON.stringify(sent.result));
    const received = rig.backend.receivedShares('bob').find((r) => r.name === 'Queued.txt');
    assert.ok(received && sent.share);
    const providerId = sent.share.providerId;

    // Within the first drainer interval (5 s), so the item is still due when the process dies.
    await rig.peerDoor.down();
    const accepted = await rig.backend.acceptShare(received.id);
    assert.equal(accepted.ok, true, JSON.stringify(accepted));
    await rig.gateway.waitForLog(
      (l) => l.message === 'peer unreachable: notification queued for delivery',
    );
    assert.equal(await rig.gateway.stop('SIGKILL'), null, 'killed, not exited');
    await rig.peerDoor.up();
    assert.equal(notes(rig.peer, 'SHARE_ACCEPTED').length, 0, 'not delivered before the restart');

    await rig.startGateway();
    assert.ok(
      await eventually(() => notes(rig.peer, 'SHARE_ACCEPTED').length > 0, 8_000),
      'the new process delivered the queued accept',
    );
    const delivered = notes(rig.peer, 'SHARE_ACCEPTED');
    assert.equal(delivered.length, 1, 'delivered once');
    assert.equal((delivered[0]?.body as { providerId?: string }).providerId, sent.share.providerId);
    // The simulator logs a request on arrival and applies it after checking its signature.
    assert.ok(
      await eventually(() => rig.peer.state.sent.get(providerId)?.state === 'accepted', 2_000),
      'the peer applied the accept',
    );
  } finally {
    await rig.close();
  }
});

test('SIGKILL right after an outgoing share was recorded: the new process still knows it', async () => {
  const rig = await startFaultRig();
  try {
    rig.backend.addFile('bob', 'Out.txt', 'outgoing\n');
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'bob',
      path: 'Out.txt',
      shareWith: `alice@${rig.peer.host}`,
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(share !== undefined);
    assert.equal(rig.peer.receivedShares('alice').length, 1);
    assert.equal(await rig.gateway.stop('SIGKILL'), null);

    const gateway = await rig.startGateway();
    const unshared = await rig.backend.unshare(share.id);
    assert.equal(unshared.ok, true, JSON.stringify(unshared));
    assert.equal(rig.peer.receivedShares('alice').length, 0, 'the peer removed the share');
    assert.equal(notes(rig.peer, 'SHARE_UNSHARED').length, 1);
    const line = await gateway.waitForLog(
      (l) => l.message === 'notification delivered to the peer',
    );
    assert.equal(typeof line.alias, 'number', 'the ledger record survived the kill');
  } finally {
    await rig.close();
  }
});
