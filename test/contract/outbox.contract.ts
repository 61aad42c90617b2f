/** The outbox part of the Ledger contract: leases make claims exclusive, expiry returns items. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WithLedger } from './ledger.contract.ts';

export function runOutboxContract(name: string, withLedger: WithLedger): void {
  describe(`Ledger contract (outbox): ${name}`, () => {
    test('enqueue keeps the payload and is due now; a later dueAt waits', () =>
      withLedger(async (ledger, clock) => {
        const payload = { notificationType: 'SHARE_ACCEPTED', nested: [1, 'two', null] };
        const item = await ledger.outbox.enqueue({
          peerHost: 'peer.example.org',
          kind: 'share-accepted',
          payload,
          shareId: 's1',
        });
        assert.deepEqual(item, {
          id: item.id,
          peerHost: 'peer.example.org',
          kind: 'share-accepted',
          payload,
          shareId: 's1',
          attempts: 0,
          dueAt: clock.now(),
          createdAt: clock.now(),
          lastError: undefined,
          leaseOwner: undefined,
          leaseUntil: undefined,
        });
        await ledger.outbox.enqueue({
          peerHost: 'p',
          kind: 'later',
          payload: 1,
          dueAt: clock.now() + 5_000,
        });
        assert.deepEqual(
          (await ledger.outbox.listDue(10)).map((i) => i.id),
          [item.id],
        );
        clock.advance(5_000);
        assert.equal((await ledger.outbox.listDue(10)).length, 2);
      }));

    test('claim leases due items oldest first, up to the limit, to one owner', () =>
      withLedger(async (ledger, clock) => {
        const ids = [];
        for (let i = 0; i < 3; i += 1) {
          ids.push(
            (
              await ledger.outbox.enqueue({
                peerHost: 'p',
                kind: 'k',
                payload: i,
                dueAt: clock.now() - 10 + i,
              })
            ).id,
          );
        }
        const claimed = await ledger.outbox.claim({ owner: 'worker-a', leaseMs: 30_000, limit: 2 });
        assert.deepEqual(
          claimed.map((i) => i.id),
          ids.slice(0, 2),
        );
        for (const item of claimed) {
          assert.equal(item.attempts, 1);
          assert.equal(item.leaseOwner, 'worker-a');
          assert.equal(item.leaseUntil, clock.now() + 30_000);
        }
        const rest = await ledger.outbox.claim({ owner: 'worker-b', leaseMs: 30_000, limit: 10 });
        assert.deepEqual(
          rest.map((i) => i.id),
          ids.slice(2),
        );
        assert.deepEqual(
          await ledger.outbox.claim({ owner: 'worker-c', leaseMs: 30_000, limit: 10 }),
          [],
        );
        assert.deepEqual(await ledger.outbox.listDue(10), [], 'leased items are not due');
      }));

    test('two claimers racing never get the same item while it is leased', () =>
      withLedger(async (ledger) => {
        const ids = new Set<string>();
        for (let i = 0; i < 25; i += 1) {
          ids.add((await ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: i })).id);
        }
        const claimAll = async (owner: string) => {
          const got: string[] = [];
          for (let round = 0; round < 30; round += 1) {
            const batch = await ledger.outbox.claim({ owner, leaseMs: 60_000, limit: 2 });
            if (batch.length === 0) break;
            got.push(...batch.map((i) => i.id));
          }
          return got;
        };
        const [a, b] = await Promise.all([claimAll('replica-a'), claimAll('replica-b')]);
        const all = [...a, ...b];
        assert.equal(all.length, 25, 'every item claimed exactly once');
        assert.deepEqual(new Set(all), ids);
      }));

    test('an expired lease makes the item claimable again; the old owner loses it', () =>
      withLedger(async (ledger, clock) => {
        const { id } = await ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: {} });
        await ledger.outbox.claim({ owner: 'crashed', leaseMs: 1_000, limit: 1 });
        clock.advance(999);
        assert.deepEqual(
          await ledger.outbox.claim({ owner: 'other', leaseMs: 1_000, limit: 1 }),
          [],
        );
        clock.advance(1);
        assert.deepEqual(
          (await ledger.outbox.listDue(5)).map((i) => i.id),
          [id],
        );
        const [again] = await ledger.outbox.claim({ owner: 'other', leaseMs: 1_000, limit: 1 });
        assert.equal(again?.id, id);
        assert.equal(again.attempts, 2, 'the crashed attempt counts');
        assert.equal(await ledger.outbox.ack(id, 'crashed'), false);
        assert.equal(await ledger.outbox.nack(id, 'crashed', { retryAfterMs: 0 }), false);
        assert.equal(await ledger.outbox.ack(id, 'other'), true);
        assert.equal(await ledger.outbox.ack(id, 'other'), false, 'already gone');
        clock.advance(10_000);
        assert.deepEqual(await ledger.outbox.claim({ owner: 'x', leaseMs: 1_000, limit: 5 }), []);
      }));

    test('nack releases the lease, reschedules after retryAfterMs and keeps the error', () =>
      withLedger(async (ledger, clock) => {
        const { id } = await ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: {} });
        await ledger.outbox.claim({ owner: 'w', leaseMs: 60_000, limit: 1 });
        assert.equal(
          await ledger.outbox.nack(id, 'w', { retryAfterMs: 5_000, error: 'peer answered 503' }),
          true,
        );
        assert.deepEqual(await ledger.outbox.claim({ owner: 'w', leaseMs: 60_000, limit: 1 }), []);
        clock.advance(5_000);
        const [retry] = await ledger.outbox.listDue(1);
        assert.equal(retry?.dueAt, clock.now());
        assert.equal(retry.lastError, 'peer answered 503');
        assert.equal(retry.leaseOwner, undefined);
        const [claimed] = await ledger.outbox.claim({ owner: 'w2', leaseMs: 60_000, limit: 1 });
        assert.equal(claimed?.attempts, 2);
        assert.equal(claimed.lastError, 'peer answered 503');
      }));

    test('bad limits and leases are refused', () =>
      withLedger(async (ledger) => {
        await assert.rejects(ledger.outbox.claim({ owner: 'w', leaseMs: -1, limit: 1 }), /leaseMs/);
        await assert.rejects(ledger.outbox.claim({ owner: 'w', leaseMs: 1, limit: 1.5 }), /limit/);
        await assert.rejects(
          ledger.outbox.enqueue({ peerHost: '', kind: 'k', payload: 1 }),
          /cannot be recorded/,
        );
        await assert.rejects(
          ledger.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: 10n }),
          /cannot be recorded/,
        );
      }));
  });
}
