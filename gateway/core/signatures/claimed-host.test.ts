import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostBinding, claimedHostFor } from './claimed-host.ts';
import type { VerifiedSignature } from './verification-result.ts';

const verified: VerifiedSignature = {
  ok: true,
  scheme: 'rfc9421',
  keyId: 'sender.example.org#key1',
  signerHost: 'sender.example.org',
  createdAt: 0,
  replayKey: 'r',
};

describe('claimedHostFor', () => {
  test('shares: sender first (reshares come from a third server), owner only without sender', () => {
    assert.deepEqual(
      claimedHostFor(
        'share',
        { sender: 'einstein@Sender.Example.org', owner: 'marie@third.example' },
        undefined,
      ),
      { host: 'sender.example.org', from: 'sender' },
    );
    assert.deepEqual(
      claimedHostFor('share', { owner: 'bob@https://nc.example.org:8443/nextcloud' }, undefined),
      {
        host: 'nc.example.org:8443',
        from: 'owner',
      },
    );
    assert.equal(
      claimedHostFor('share', { sender: 'no-at-sign', owner: 'a@b.example' }, undefined),
      undefined,
    );
    assert.equal(claimedHostFor('share', 'not an object', undefined), undefined);
  });

  test('invite-accepted: recipientProvider; token: client_id (FQDN or URL, default port dropped)', () => {
    assert.deepEqual(
      claimedHostFor('invite-accepted', { recipientProvider: 'receiver.example.org' }, undefined),
      {
        host: 'receiver.example.org',
        from: 'recipientProvider',
      },
    );
    assert.deepEqual(
      claimedHostFor('token', { client_id: 'https://receiver.example.org:443' }, undefined),
      {
        host: 'receiver.example.org',
        from: 'client_id',
      },
    );
    assert.equal(claimedHostFor('token', { client_id: 42 }, undefined), undefined);
  });

  test('notifications carry no origin: the keyid host stands in', () => {
    assert.deepEqual(
      claimedHostFor(
        'notification',
        { notificationType: 'SHARE_ACCEPTED' },
        'https://nc.example.org/ocm#signature',
      ),
      {
        host: 'nc.example.org',
        from: 'keyid',
      },
    );
    assert.equal(claimedHostFor('notification', {}, undefined), undefined);
  });
});

describe('checkHostBinding', () => {
  test('same host passes, another host or none is a host-mismatch', () => {
    assert.equal(
      checkHostBinding(verified, { host: 'sender.example.org', from: 'sender' }),
      verified,
    );
    const other = checkHostBinding(verified, { host: 'evil.example', from: 'sender' });
    assert.equal(!other.ok && other.reason, 'host-mismatch');
    assert.match(
      other.ok ? '' : other.message,
      /signed by sender\.example\.org but sender names evil\.example/,
    );
    const none = checkHostBinding(verified, undefined);
    assert.equal(!none.ok && none.reason, 'host-mismatch');
  });
});
