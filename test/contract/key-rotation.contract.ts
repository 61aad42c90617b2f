/** Ledger key rotation, part of the Ledger contract: every adapter reads across keys and rewraps. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { LEDGER_TEST_KEY, isInvalid, newShare, type WithLedger } from './ledger.contract.ts';

const NEW_KEY = 'the-ledger-key-after-rotation-0123456789';

export function runKeyRotationContract(name: string, withLedger: WithLedger): void {
  describe(`Ledger contract (key rotation): ${name}`, () => {
    test('with the new key and the old one listed: old records read, found, and still unique', () =>
      withLedger(async (old, clock, harness) => {
        const protocol = { webdavUri: 'k-old', code: 'code-old-0123' };
        const before = (
          await old.shares.create(newShare({ sharedSecret: 'old-secret-1', protocol }))
        ).record;
        await old.invites.create({ token: 'old-invite', sender: 'alice@gw', expiresAt: 9e12 });
        await old.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: { sharedSecret: 'x1' } });

        const rotated = await harness.openWithKeys(NEW_KEY, [LEDGER_TEST_KEY]);
        assert.deepEqual(await rotated.shares.get(before.id), before);
        assert.deepEqual(await rotated.shares.findBySecret('old-secret-1'), before);
        // A secret recorded under the old key's index is still in use.
        await assert.rejects(
          rotated.shares.create(newShare({ sharedSecret: 'old-secret-1' })),
          isInvalid('sharedSecret'),
        );
        assert.equal((await rotated.invites.find('old-invite'))?.sender, 'alice@gw');
        await assert.rejects(
          rotated.invites.create({ token: 'old-invite', sender: 'x', expiresAt: 9e12 }),
          isInvalid('token'),
        );
        const accepted = await rotated.invites.transition('old-invite', {
          from: 'pending',
          to: 'accepted',
          acceptedBy: 'bob@peer',
        });
        assert.equal(accepted.status, 'updated');
        const [item] = await rotated.outbox.listDue(10);
        assert.deepEqual(item?.payload, { sharedSecret: 'x1' });

        // New records use the new key: the old key alone cannot read them.
        const fresh = (await rotated.shares.create(newShare({ sharedSecret: 'new-secret-2' })))
          .record;
        assert.deepEqual(await rotated.shares.findBySecret('new-secret-2'), fresh);
        await assert.rejects(old.shares.get(fresh.id), GatewayError);
        clock.advance(1);
      }));

    test('rewrap moves every old record to the new key; then the old key can go', () =>
      withLedger(async (old, _clock, harness) => {
        const share = (
          await old.shares.create(
            newShare({ sharedSecret: 'old-secret-3', protocol: { webdavUri: 'k3', code: 'c3' } }),
          )
        ).record;
        await old.invites.create({ token: 'old-invite-3', sender: 'carol@gw', expiresAt: 9e12 });
        await old.outbox.enqueue({ peerHost: 'p', kind: 'k', payload: { sharedSecret: 'x3' } });

        const rotated = await harness.openWithKeys(NEW_KEY, [LEDGER_TEST_KEY]);
        const already = (await rotated.shares.create(newShare({ sharedSecret: 'new-secret-4' })))
          .record;
        assert.deepEqual(await rotated.rewrap(), { shares: 1, invites: 1, outbox: 1 });
        assert.deepEqual(await rotated.rewrap(), { shares: 0, invites: 0, outbox: 0 });

        const newOnly = await harness.openWithKeys(NEW_KEY, []);
        assert.deepEqual(await newOnly.shares.get(share.id), share);
        assert.deepEqual(await newOnly.shares.findBySecret('old-secret-3'), share);
        assert.deepEqual(await newOnly.shares.findBySecret('new-secret-4'), already);
        await assert.rejects(
          newOnly.shares.create(newShare({ sharedSecret: 'old-secret-3' })),
          isInvalid('sharedSecret'),
        );
        assert.equal((await newOnly.invites.find('old-invite-3'))?.sender, 'carol@gw');
        const [item] = await newOnly.outbox.listDue(10);
        assert.deepEqual(item?.payload, { sharedSecret: 'x3' });
        // Nothing the old key sealed is left.
        await assert.rejects(old.shares.get(share.id), GatewayError);
        assert.equal(await old.invites.find('old-invite-3'), undefined);
      }));
  });
}
