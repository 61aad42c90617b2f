/** The invite part of the Ledger contract: tokens found by keyed hash, compare-and-set states. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isInvalid, type WithLedger } from './ledger.contract.ts';

export function runInviteContract(name: string, withLedger: WithLedger): void {
  describe(`Ledger contract (invites): ${name}`, () => {
    test('create, find by token, unknown token misses, duplicate token refused', () =>
      withLedger(async (ledger, clock) => {
        const expiresAt = clock.now() + 86_400_000;
        const invite = await ledger.invites.create({
          token: 'inv-tok-1',
          sender: 'alice@gw',
          expiresAt,
        });
        assert.deepEqual(invite, {
          token: 'inv-tok-1',
          sender: 'alice@gw',
          expiresAt,
          state: 'pending',
          acceptedBy: undefined,
          createdAt: clock.now(),
          updatedAt: clock.now(),
        });
        assert.deepEqual(await ledger.invites.find('inv-tok-1'), invite);
        assert.equal(await ledger.invites.find('inv-tok-2'), undefined);
        await assert.rejects(
          ledger.invites.create({ token: 'inv-tok-1', sender: 'eve@gw', expiresAt }),
          isInvalid('token'),
        );
      }));

    test('transition is a compare-and-set: accepted once, then conflict', () =>
      withLedger(async (ledger, clock) => {
        await ledger.invites.create({
          token: 'tok',
          sender: 'alice@gw',
          expiresAt: clock.now() + 1_000,
        });
        clock.advance(10);
        const first = await ledger.invites.transition('tok', {
          from: 'pending',
          to: 'accepted',
          acceptedBy: 'bob@peer',
        });
        assert.ok(first.status === 'updated', first.status);
        assert.equal(first.invite.state, 'accepted');
        assert.equal(first.invite.acceptedBy, 'bob@peer');
        assert.equal(first.invite.updatedAt, clock.now());
        const second = await ledger.invites.transition('tok', {
          from: 'pending',
          to: 'accepted',
          acceptedBy: 'eve@peer',
        });
        assert.ok(second.status === 'conflict');
        assert.equal(second.invite.acceptedBy, 'bob@peer');
        assert.deepEqual(
          await ledger.invites.transition('nope', { from: 'pending', to: 'revoked' }),
          { status: 'not-found' },
        );
      }));

    test('10 concurrent accepts of one invite: exactly one wins', () =>
      withLedger(async (ledger, clock) => {
        await ledger.invites.create({
          token: 'race',
          sender: 'alice@gw',
          expiresAt: clock.now() + 1_000,
        });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            ledger.invites.transition('race', {
              from: 'pending',
              to: 'accepted',
              acceptedBy: `user${i}@peer`,
            }),
          ),
        );
        assert.equal(results.filter((r) => r.status === 'updated').length, 1);
        assert.equal(results.filter((r) => r.status === 'conflict').length, 9);
      }));
  });
}
