import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { refusedForNow } from './refused-for-now.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import { createOutboxDrainer } from '../../../gateway/services/drain-outbox.ts';
import { OUTBOX_NOTIFICATION_KIND } from '../../../gateway/services/outbox-notification.ts';
import type {
  NotificationDelivery,
  SendPeerNotification,
} from '../../../gateway/services/send-peer-notification.ts';
import { ManualClock } from '../../contract/manual-clock.ts';

const quiet: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  http: () => undefined,
  debug: () => undefined,
  child: () => quiet,
};

const notification = (type: string) => ({
  notification: {
    notificationType: type,
    resourceType: 'file',
    providerId: 'p-1',
    notification: { sharedSecret: 'secret-1' },
  },
});

describe('outbox drainer', () => {
  let dir: string;
  let clock: ManualClock;
  let ledger: SqliteLedger;
  let outcomes: NotificationDelivery[];
  let sent: string[];
  const send: SendPeerNotification = (_peer, n) => {
    sent.push(n.notificationType);
    return Promise.resolve(
      outcomes.shift() ?? { outcome: 'delivered', reply: {}, dialect: 'ocm-1.3' },
    );
  };
  const drainer = () =>
    createOutboxDrainer({
      ledger,
      send,
      clock: clock.now,
      logger: quiet,
      retry: { baseMs: 1_000, maxMs: 8_000, giveUpAfterMs: 60_000 },
    });
  const transient = (): NotificationDelivery => ({
    outcome: 'transient',
    error: new GatewayError('UPSTREAM_UNREACHABLE', 'down'),
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drain-'));
    clock = new ManualClock(1_000_000);
    ledger = new SqliteLedger({
      dataDir: dir,
      secretKey: 'drain-test-ledger-key-0123456789abcdef',
      clock: clock.now,
    });
    outcomes = [];
    sent = [];
  });
  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('transient failures back off exponentially, then the item is delivered and removed', async () => {
    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: notification('SHARE_ACCEPTED'),
    });
    outcomes = [transient(), transient()];
    const d = drainer();
    assert.deepEqual(await d.drainOnce(), { claimed: 1, results: { retried: 1 } });
    assert.equal((await ledger.outbox.listDue(5)).length, 0, 'not due before the backoff');
    clock.advance(999);
    assert.equal((await d.drainOnce()).claimed, 0);
    clock.advance(1);
    assert.deepEqual(await d.drainOnce(), { claimed: 1, results: { retried: 1 } });
    clock.advance(1_999);
    assert.equal((await d.drainOnce()).claimed, 0, 'the second wait is doubled');
    clock.advance(1);
    assert.deepEqual(await d.drainOnce(), { claimed: 1, results: { delivered: 1 } });
    assert.deepEqual(sent, ['SHARE_ACCEPTED', 'SHARE_ACCEPTED', 'SHARE_ACCEPTED']);
    clock.advance(60_000);
    assert.equal((await d.drainOnce()).claimed, 0);
  });

  test('a delivered item whose ack the ledger refuses for now is acked on a retry, not sent again', async () => {
    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: notification('SHARE_ACCEPTED'),
    });
    ledger.outbox.ack = refusedForNow(2, ledger.outbox.ack.bind(ledger.outbox));
    const d = createOutboxDrainer({
      ledger,
      send,
      clock: clock.now,
      logger: quiet,
      ledgerRetryDelaysMs: [1, 1, 1],
    });
    assert.deepEqual(await d.drainOnce(), { claimed: 1, results: { delivered: 1 } });
    clock.advance(600_000);
    assert.equal((await d.drainOnce()).claimed, 0, 'acked: nothing left to claim');
    assert.deepEqual(sent, ['SHARE_ACCEPTED']);
  });

  test('slow deliveries: each item is leased when its turn comes, so no other replica takes it meanwhile', async () => {
    for (const type of ['SHARE_ACCEPTED', 'SHARE_DECLINED', 'SHARE_UNSHARED']) {
      await ledger.outbox.enqueue({
        peerHost: 'p',
        kind: OUTBOX_NOTIFICATION_KIND,
        payload: notification(type),
      });
    }
    const otherClaims: number[] = [];
    const other = createOutboxDrainer({
      ledger,
      send,
      clock: clock.now,
      logger: quiet,
      leaseMs: 60_000,
    });
    const slowSend: SendPeerNotification = async (_peer, n) => {
      sent.push(n.notificationType);
      // Each delivery takes 50 s (a peer at its timeouts); meanwhile the other replica drains.
      clock.advance(50_000);
      otherClaims.push((await other.drainOnce()).claimed);
      return { outcome: 'delivered', reply: {}, dialect: 'ocm-1.3' };
    };
    const slow = createOutboxDrainer({
      ledger,
      send: slowSend,
      clock: clock.now,
      logger: quiet,
      leaseMs: 60_000,
    });
    const first = await slow.drainOnce();
    // Between them the two replicas delivered each item once: the other one took only items
    // nobody held, never one whose lease ran out while its holder was still delivering it.
    assert.equal(first.claimed + otherClaims.reduce((sum, n) => sum + n, 0), 3);
    assert.deepEqual([...sent].sort(), ['SHARE_ACCEPTED', 'SHARE_DECLINED', 'SHARE_UNSHARED']);
  });

  test('a refusal is dropped; so is an item past the give-up age, and one that is not ours', async () => {
    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: notification('SHARE_DECLINED'),
    });
    outcomes = [{ outcome: 'refused', error: new GatewayError('FORBIDDEN', 'no') }];
    assert.deepEqual(await drainer().drainOnce(), { claimed: 1, results: { rejected: 1 } });

    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: notification('SHARE_ACCEPTED'),
    });
    clock.advance(60_000);
    outcomes = [transient()];
    assert.deepEqual(await drainer().drainOnce(), { claimed: 1, results: { gave_up: 1 } });

    await ledger.outbox.enqueue({ peerHost: 'p', kind: 'something-else', payload: 1 });
    assert.deepEqual(await drainer().drainOnce(), { claimed: 1, results: { rejected: 1 } });
    assert.equal((await ledger.outbox.listDue(5)).length, 0);
  });

  test('an accept overtaken by a decline of the same share is not sent', async () => {
    const { record } = await ledger.shares.create({
      direction: 'incoming',
      peerHost: 'p',
      providerId: 'p-1',
      sharedSecret: 'secret-1',
      dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
      owner: 'o@p',
      sender: 'o@p',
      shareWith: 'a@us',
      resourceName: 'f',
      state: 'declined',
    });
    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: { ...notification('SHARE_ACCEPTED'), shareId: record.id },
      shareId: record.id,
    });
    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: { ...notification('SHARE_DECLINED'), shareId: record.id },
      shareId: record.id,
    });
    const report = await drainer().drainOnce();
    assert.deepEqual(report, { claimed: 2, results: { superseded: 1, delivered: 1 } });
    assert.deepEqual(sent, ['SHARE_DECLINED']);
  });

  test('start/stop: the timer drains on its own and stop waits for it', async () => {
    await ledger.outbox.enqueue({
      peerHost: 'p',
      kind: OUTBOX_NOTIFICATION_KIND,
      payload: notification('SHARE_ACCEPTED'),
    });
    const d = createOutboxDrainer({ ledger, send, clock: clock.now, logger: quiet, intervalMs: 5 });
    d.start();
    for (let i = 0; i < 100 && sent.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await d.stop();
    assert.deepEqual(sent, ['SHARE_ACCEPTED']);
  });
});
