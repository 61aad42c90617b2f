/** The Ledger contract (shares, invites, outbox): every adapter must pass it (SQLite, Redis). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { Ledger, NewShareRecord } from '../../gateway/ports/ledger.ts';
import { ManualClock } from './manual-clock.ts';
import { runInviteContract } from './invite.contract.ts';
import { runKeyRotationContract } from './key-rotation.contract.ts';
import { runOutboxContract } from './outbox.contract.ts';
import { runShareProtocolContract } from './share-protocol.contract.ts';

export const LEDGER_TEST_KEY = 'contract-test-ledger-key-0123456789abcdef';

export interface LedgerHarness {
  readonly ledger: Ledger;
  /** Everything the adapter stored, as text, to prove no secret is kept in clear. */
  rawDump(): Promise<string>;
  /**
   * Another ledger over the same storage with another key, and the keys it replaced as after a
   * rotation (none: a stranger's key). Closed by teardown.
   */
  openWithKeys(secretKey: string, previousSecretKeys: readonly string[]): Promise<Ledger>;
  teardown(): Promise<void>;
}

export type MakeLedger = (clock: ManualClock) => Promise<LedgerHarness>;

export type WithLedger = (
  body: (ledger: Ledger, clock: ManualClock, harness: LedgerHarness) => Promise<void>,
) => Promise<void>;

let counter = 0;
export function newShare(overrides: Partial<NewShareRecord> = {}): NewShareRecord {
  counter += 1;
  return {
    direction: 'incoming',
    peerHost: 'cloud.example.org',
    providerId: `provider-${counter}`,
    sharedSecret: `secret-${counter}-Zq8vJ2kP`,
    dialects: { peer: 'ocm-1.2', backend: 'ocs-v2' },
    owner: 'alice@cloud.example.org',
    sender: 'alice@cloud.example.org',
    shareWith: 'bob@gateway.example.com',
    resourceName: 'Report.pdf',
    ...overrides,
  };
}

export function isInvalid(field: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GatewayError, String(error));
    assert.equal(error.code, 'INVALID_REQUEST');
    assert.ok(
      error.issues.some((issue) => issue.field === field),
      JSON.stringify(error.issues),
    );
    return true;
  };
}

export function runLedgerContract(name: string, make: MakeLedger): void {
  const withLedger: WithLedger = async (body) => {
    const clock = new ManualClock();
    const harness = await make(clock);
    try {
      await body(harness.ledger, clock, harness);
    } finally {
      await harness.teardown();
    }
  };

  describe(`Ledger contract (shares): ${name}`, () => {
    test('create records every field, allocates a positive alias, starts pending', () =>
      withLedger(async (ledger, clock) => {
        const input = newShare({ backendShareId: '17' });
        const { record, created } = await ledger.shares.create(input);
        assert.equal(created, true);
        assert.ok(record.id.length > 0);
        assert.ok(Number.isSafeInteger(record.alias) && record.alias > 0);
        const { backendShareId, ...rest } = input;
        assert.deepEqual(record, {
          ...rest,
          id: record.id,
          alias: record.alias,
          backendShareId,
          state: 'pending',
          createdAt: clock.now(),
          updatedAt: clock.now(),
        });
      }));

    test('creating the same (direction, peer, providerId) again returns the first record', () =>
      withLedger(async (ledger) => {
        const input = newShare();
        const first = await ledger.shares.create(input);
        const again = await ledger.shares.create({ ...input, resourceName: 'Other.pdf' });
        assert.equal(again.created, false);
        assert.deepEqual(again.record, first.record);
      }));

    test('20 concurrent identical creates make one record and consume one alias', () =>
      withLedger(async (ledger) => {
        const input = newShare();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => ledger.shares.create(input)),
        );
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal(new Set(results.map((r) => r.record.id)).size, 1);
        assert.equal(new Set(results.map((r) => r.record.alias)).size, 1);
        const next = await ledger.shares.create(newShare());
        assert.equal(next.record.alias, (results[0]?.record.alias ?? 0) + 1);
      }));

    test('aliases are unique under concurrency and increase with every new share', () =>
      withLedger(async (ledger) => {
        const concurrent = await Promise.all(
          Array.from({ length: 25 }, () => ledger.shares.create(newShare())),
        );
        const aliases = concurrent.map((r) => r.record.alias);
        assert.equal(new Set(aliases).size, 25);
        let last = Math.max(...aliases);
        for (let i = 0; i < 5; i += 1) {
          const { record } = await ledger.shares.create(newShare());
          assert.ok(record.alias > last, `${String(record.alias)} > ${String(last)}`);
          last = record.alias;
        }
      }));

    test('direction and peer are part of the identity', () =>
      withLedger(async (ledger) => {
        const base = newShare();
        const a = await ledger.shares.create(base);
        const b = await ledger.shares.create(
          newShare({ providerId: base.providerId, direction: 'outgoing' }),
        );
        const c = await ledger.shares.create(
          newShare({ providerId: base.providerId, peerHost: 'other.example.org' }),
        );
        assert.ok(b.created && c.created);
        assert.equal(new Set([a.record.id, b.record.id, c.record.id]).size, 3);
      }));

    test('lookups by id, alias, key and secret; unknown values miss', () =>
      withLedger(async (ledger) => {
        const input = newShare();
        const { record } = await ledger.shares.create(input);
        await ledger.shares.create(newShare());
        assert.deepEqual(await ledger.shares.get(record.id), record);
        assert.deepEqual(await ledger.shares.findByAlias(record.alias), record);
        assert.deepEqual(await ledger.shares.findByKey(input), record);
        assert.deepEqual(await ledger.shares.findBySecret(input.sharedSecret), record);
        assert.equal(await ledger.shares.get('no-such-id'), undefined);
        assert.equal(await ledger.shares.findByAlias(987_654), undefined);
        assert.equal(await ledger.shares.findByAlias(1.5), undefined);
        assert.equal(await ledger.shares.findByKey({ ...input, providerId: 'x' }), undefined);
        assert.equal(await ledger.shares.findBySecret(`${input.sharedSecret}x`), undefined);
      }));

    test('a secret already used by another share is refused', () =>
      withLedger(async (ledger) => {
        const { sharedSecret } = (await ledger.shares.create(newShare())).record;
        await assert.rejects(
          ledger.shares.create(newShare({ sharedSecret })),
          isInvalid('sharedSecret'),
        );
      }));

    test('update changes state and backend share id and stamps updatedAt', () =>
      withLedger(async (ledger, clock) => {
        const { record } = await ledger.shares.create(newShare());
        clock.advance(1_000);
        const accepted = await ledger.shares.update(record.id, {
          state: 'accepted',
          backendShareId: '42',
        });
        assert.deepEqual(accepted, {
          ...record,
          state: 'accepted',
          backendShareId: '42',
          updatedAt: record.createdAt + 1_000,
        });
        const unshared = await ledger.shares.update(record.id, { state: 'unshared' });
        assert.equal(unshared?.backendShareId, '42', 'untouched fields stay');
        assert.deepEqual(await ledger.shares.get(record.id), unshared);
        assert.equal(await ledger.shares.update('no-such-id', { state: 'accepted' }), undefined);
      }));

    test('incomplete records and bad states are refused with the field named', () =>
      withLedger(async (ledger) => {
        await assert.rejects(
          ledger.shares.create(newShare({ providerId: '' })),
          isInvalid('providerId'),
        );
        await assert.rejects(
          ledger.shares.create(newShare({ sharedSecret: '' })),
          isInvalid('sharedSecret'),
        );
        await assert.rejects(
          ledger.shares.create(newShare({ direction: 'sideways' as 'incoming' })),
          isInvalid('direction'),
        );
        const { record } = await ledger.shares.create(newShare());
        await assert.rejects(
          ledger.shares.update(record.id, { state: 'gone' as 'accepted' }),
          isInvalid('state'),
        );
      }));
  });

  runShareProtocolContract(name, withLedger);
  runInviteContract(name, withLedger);
  runKeyRotationContract(name, withLedger);

  describe(`Ledger contract (secrets at rest): ${name}`, () => {
    test('no share secret, invite token or outbox payload secret is stored in clear', () =>
      withLedger(async (ledger, _clock, harness) => {
        const secret = 'PLAINTEXT-share-secret-7f3a9c';
        const token = 'PLAINTEXT-invite-token-51be02';
        const payloadSecret = 'PLAINTEXT-payload-secret-c0ffee';
        const { record } = await ledger.shares.create(newShare({ sharedSecret: secret }));
        await ledger.invites.create({ token, sender: 'alice@gw', expiresAt: 1 });
        await ledger.outbox.enqueue({
          peerHost: 'p',
          kind: 'share-accepted',
          payload: { sharedSecret: payloadSecret },
        });
        const dump = await harness.rawDump();
        assert.ok(dump.includes(record.providerId), 'the dump does contain the stored records');
        for (const plain of [secret, token, payloadSecret]) {
          assert.ok(!dump.includes(plain), `${plain} is stored in clear`);
          assert.ok(
            !dump.includes(Buffer.from(plain).toString('base64url')),
            `${plain} is only encoded`,
          );
        }
        assert.equal((await ledger.shares.findBySecret(secret))?.sharedSecret, secret);
      }));

    test('another ledger key cannot read the secrets or find them by hash', () =>
      withLedger(async (ledger, _clock, harness) => {
        const input = newShare();
        const { record } = await ledger.shares.create(input);
        const other = await harness.openWithKeys(
          'a-completely-different-ledger-key-0987654321',
          [],
        );
        await assert.rejects(other.shares.get(record.id), (error: unknown) => {
          assert.ok(error instanceof GatewayError);
          assert.equal(error.code, 'INTERNAL');
          assert.ok(!error.message.includes(input.sharedSecret));
          return true;
        });
        assert.equal(await other.shares.findBySecret(input.sharedSecret), undefined);
      }));
  });

  runOutboxContract(name, withLedger);

  describe(`Ledger contract (lifecycle): ${name}`, () => {
    test('health reports ok', () =>
      withLedger(async (ledger) => {
        const health = await ledger.health();
        assert.equal(health.ok, true, health.detail);
      }));
  });
}
