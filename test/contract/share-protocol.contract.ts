/** The optional protocol details of a share record (flow 3): kept, sealed at rest, checked. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ShareProtocolDetails } from '../../gateway/ports/ledger.ts';
import { isInvalid, newShare, type WithLedger } from './ledger.contract.ts';

export function runShareProtocolContract(name: string, withLedger: WithLedger): void {
  describe(`Ledger contract (share protocol details): ${name}`, () => {
    test('protocol details come back from every lookup; records without them have none', () =>
      withLedger(async (ledger) => {
        const protocol: ShareProtocolDetails = {
          webdavUri: '7c08e8a4-share-key',
          requirements: ['must-exchange-token'],
          tokenEndPoint: 'https://cloud.example.org/ocm/token',
          code: 'pre-1.2-code-value',
        };
        const input = newShare({ protocol });
        const { record } = await ledger.shares.create(input);
        assert.deepEqual(record.protocol, protocol);
        assert.deepEqual((await ledger.shares.get(record.id))?.protocol, protocol);
        assert.deepEqual(
          (await ledger.shares.findBySecret(input.sharedSecret))?.protocol,
          protocol,
        );
        const updated = await ledger.shares.update(record.id, { state: 'accepted' });
        assert.deepEqual(updated?.protocol, protocol, 'an update keeps the details');

        const plain = (await ledger.shares.create(newShare())).record;
        assert.equal('protocol' in plain, false);
        assert.equal('protocol' in ((await ledger.shares.get(plain.id)) ?? {}), false);

        const partial = (await ledger.shares.create(newShare({ protocol: { webdavUri: 'k' } })))
          .record;
        assert.deepEqual(partial.protocol, { webdavUri: 'k' });
      }));

    test('the uri and code are sealed at rest', () =>
      withLedger(async (ledger, _clock, harness) => {
        const uri = 'https://cloud.example.org/webdav/PLAINTEXT-uri-hash-1b2c3d';
        const code = 'PLAINTEXT-share-code-9e8f7a';
        const { record } = await ledger.shares.create(
          newShare({ protocol: { webdavUri: uri, code } }),
        );
        const dump = await harness.rawDump();
        assert.ok(dump.includes(record.providerId));
        for (const plain of [uri, code]) assert.ok(!dump.includes(plain), `${plain} is in clear`);
      }));

    test('malformed details are refused with the field named; unknown keys are dropped', () =>
      withLedger(async (ledger) => {
        await assert.rejects(
          ledger.shares.create(newShare({ protocol: { webdavUri: '' } })),
          isInvalid('protocol.webdavUri'),
        );
        await assert.rejects(
          ledger.shares.create(
            newShare({ protocol: { requirements: [1] as unknown as string[] } }),
          ),
          isInvalid('protocol.requirements'),
        );
        await assert.rejects(
          ledger.shares.create(newShare({ protocol: 'x' as unknown as ShareProtocolDetails })),
          isInvalid('protocol'),
        );
        const extra = { webdavUri: 'k', surprise: 'x' } as ShareProtocolDetails;
        const { record } = await ledger.shares.create(newShare({ protocol: extra }));
        assert.deepEqual(record.protocol, { webdavUri: 'k' });
        assert.deepEqual((await ledger.shares.get(record.id))?.protocol, { webdavUri: 'k' });
      }));
  });
}
