import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationAuthorised } from '../../../gateway/services/receive-ocm-notification-auth.ts';
import type { ShareRecord } from '../../../gateway/ports/ledger.ts';

const record = (peerDialect: string): ShareRecord => ({
  id: 's1',
  direction: 'incoming',
  peerHost: 'peer.example',
  providerId: 'p1',
  alias: 1,
  backendShareId: '1',
  sharedSecret: 'the-secret',
  dialects: { peer: peerDialect, backend: 'ocs-v2' },
  owner: 'a@peer.example',
  sender: 'a@peer.example',
  shareWith: 'bob@cloud.example.org',
  resourceName: 'x',
  state: 'accepted',
  createdAt: 0,
  updatedAt: 0,
});

test('an unsigned caller cannot use an old dialect to notify about a share a 1.3 peer made', () => {
  const unsigned = { verified: false } as const;
  assert.equal(
    notificationAuthorised(record('ocm-1.3'), unsigned, undefined, 'ocm-proposal1', 'the-secret'),
    false,
  );
  assert.equal(
    notificationAuthorised(record('ocm-1.2'), unsigned, undefined, 'ocm-1.2', 'the-secret'),
    true,
  );
  assert.equal(
    notificationAuthorised(record('ocm-1.2'), unsigned, undefined, 'ocm-1.2', 'wrong'),
    false,
  );
});

test('a verified signature from the recorded peer authorises whatever the dialect', () => {
  const signed = {
    verified: true,
    host: 'peer.example',
    scheme: 'rfc9421',
    keyId: 'peer.example#k',
  } as const;
  assert.equal(
    notificationAuthorised(record('ocm-1.3'), signed, 'peer.example', 'ocm-1.3', undefined),
    true,
  );
  assert.equal(
    notificationAuthorised(record('ocm-1.3'), signed, 'other.example', 'ocm-1.3', undefined),
    false,
  );
});
