/**
 * Fault: the OCM 1.3 peer is down, then slow. A backend callback (accept of a share the peer
 * sent) made while the peer is down is answered success to the backend, waits in the ledger
 * outbox and reaches the peer once it is back; a slow peer costs a bounded wait, never a hang.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startFaultRig, type FaultRig } from './fault-rig.ts';

const PEER_TOTAL_MS = 1_000;
let rig: FaultRig;
let configDir: string;

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'gw-fault-config-'));
  const configFile = join(configDir, 'gateway.yaml');
  writeFileSync(
    configFile,
    `timeouts:\n  peerConnectMs: 500\n  peerTotalMs: ${PEER_TOTAL_MS}\n` +
      // A fast outbox: drained every second, retried a second after a failure.
      'outbox:\n  intervalSeconds: 1\n  retryBaseSeconds: 1\n  retryMaxSeconds: 2\n',
  );
  rig = await startFaultRig({ GATEWAY_CONFIG: configFile });
});
after(async () => {
  await rig.close();
  rmSync(configDir, { recursive: true, force: true });
});

/** A share from the peer to bob, as flow 1 leaves it: its providerId and bob's received row. */
async function shareFromPeer(name: string): Promise<{ providerId: string; receivedId: number }> {
  rig.peer.addFile('alice', name, `${name} content\n`);
  const sent = await rig.peer.shareWith({
    owner: 'alice',
    path: name,
    shareWith: `bob@${rig.publicHost}`,
  });
  assert.equal(sent.result.ok, true, JSON.stringify(sent.result));
  assert.ok(sent.share !== undefined);
  const received = rig.backend.receivedShares('bob').find((r) => r.name === name);
  assert.ok(received, 'the backend got the share');
  return { providerId: sent.share.providerId, receivedId: received.id };
}

const notificationsFor = (providerId: string) =>
  rig.peer.received.filter(
    (r) =>
      r.path === '/ocm/notifications' &&
      (r.body as { providerId?: string }).providerId === providerId,
  );

test('an accept while the peer is down is success for the backend, queued, and delivered once the peer is back', async () => {
  const share = await shareFromPeer('Down.txt');
  await rig.peerDoor.down();

  const accepted = await rig.backend.acceptShare(share.receivedId);
  assert.equal(accepted.ok, true, JSON.stringify(accepted));
  assert.equal(notificationsFor(share.providerId).length, 0, 'nothing reached the peer yet');
  assert.equal(rig.peer.state.sent.get(share.providerId)?.state, 'pending');
  await rig.gateway.waitForLog(
    (l) => l.message === 'peer unreachable: notification queued for delivery',
  );

  // The drainer tries again while the peer is still down (the configured outbox timing: with
  // the default 30 s backoff the delivery below would not come within its 8 s).
  assert.ok(
    await eventually(async () => {
      const metrics = await (await fetch(`${rig.gateway.adminUrl}/metrics`)).text();
      return /gateway_outbox_deliveries_total\{result="retried"\} [1-9]/.test(metrics);
    }, 8_000),
    'the outbox retried while the peer was down',
  );
  await rig.peerDoor.up();
  assert.ok(
    await eventually(() => notificationsFor(share.providerId).length > 0, 8_000),
    'the queued accept reached the peer',
  );
  const notes = notificationsFor(share.providerId);
  assert.equal(notes.length, 1, 'delivered once');
  assert.equal(
    (notes[0]?.body as { notificationType?: string }).notificationType,
    'SHARE_ACCEPTED',
  );
  // The simulator logs a request on arrival and applies it after checking its signature.
  assert.ok(
    await eventually(() => rig.peer.state.sent.get(share.providerId)?.state === 'accepted', 2_000),
    'the peer applied the accept',
  );
  assert.deepEqual(rig.peer.errors, []);
});

test('a slow peer makes the callback wait a bounded time, not hang; the backend still gets success', async () => {
  const share = await shareFromPeer('Slow.txt');
  rig.peerDelayMs = 5 * PEER_TOTAL_MS;
  try {
    const started = Date.now();
    const declined = await rig.backend.declineShare(share.receivedId);
    const took = Date.now() - started;
    assert.equal(declined.ok, true, JSON.stringify(declined));
    assert.ok(took < 3 * PEER_TOTAL_MS, `answered in ${took} ms, bounded by the peer timeout`);
    assert.ok(took >= PEER_TOTAL_MS / 2, `waited for the peer (${took} ms)`);
    const queued = rig.gateway.logs.filter(
      (l) => l.message === 'peer unreachable: notification queued for delivery',
    );
    assert.equal(queued.length, 2, 'the slow call was queued, not lost');
  } finally {
    rig.peerDelayMs = 0;
  }
});
