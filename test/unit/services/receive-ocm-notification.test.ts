import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { refusedForNow } from './refused-for-now.ts';
import type { CanonicalNotification } from '../../../gateway/core/model/canonical-notification.ts';
import type { DialectId } from '../../../gateway/core/model/dialect-id.ts';
import type { NewShareRecord, ShareRecord } from '../../../gateway/ports/ledger.ts';
import type { PeerAuthentication } from '../../../gateway/ports/peer-authenticator.ts';
import { createReceiveOcmNotification } from '../../../gateway/services/receive-ocm-notification.ts';
import { FakeBackend, silentLogger, tempLedger } from './receive-fakes.ts';

let ledger: SqliteLedger;
let cleanup: () => Promise<void>;
let backend: FakeBackend;

beforeEach(() => {
  ({ ledger, cleanup } = tempLedger());
  backend = new FakeBackend();
});
afterEach(async () => {
  await cleanup();
});

const PEER = 'peer.example.net';
const signedBy = (host: string): PeerAuthentication => ({
  verified: true,
  host,
  scheme: 'rfc9421',
  keyId: `https://${host}/ocm#key`,
});
const unsigned: PeerAuthentication = { verified: false };

async function record(overrides: Partial<NewShareRecord> = {}): Promise<ShareRecord> {
  const { record: r } = await ledger.shares.create({
    direction: 'incoming',
    peerHost: PEER,
    providerId: 'peer-share-1',
    sharedSecret: 'incoming-secret',
    dialects: { peer: 'ocm-proposal1', backend: 'ocs-v2' },
    owner: 'alice@peer.example.net',
    sender: 'alice@peer.example.net',
    shareWith: 'bob@cloud.example.org',
    resourceName: 'Docs',
    ...overrides,
  });
  return r;
}

const outgoing = (overrides: Partial<NewShareRecord> = {}) =>
  record({
    direction: 'outgoing',
    providerId: '42',
    backendShareId: '42',
    sharedSecret: 'backend-token',
    owner: 'bob@cloud.example.org',
    sender: 'bob@cloud.example.org',
    shareWith: 'carol@peer.example.net',
    ...overrides,
  });

function note(
  type: string,
  providerId: string,
  payload: CanonicalNotification['notification'] = {},
): CanonicalNotification {
  return { notificationType: type, resourceType: 'file', providerId, notification: payload };
}

function receive(
  notification: CanonicalNotification,
  authentication: PeerAuthentication = signedBy(PEER),
  peerDialect: DialectId = 'ocm-1.2',
  peerHost?: string,
) {
  return createReceiveOcmNotification({
    ledger: ledger.shares,
    backend,
    logger: silentLogger,
    ledgerRetryDelaysMs: [1, 1, 1],
  })({
    notification,
    authentication,
    peerDialect,
    ...(peerHost === undefined ? {} : { peerHost }),
  });
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('receive-ocm-notification: shares the peer sent (incoming)', () => {
  test('SHARE_UNSHARED unshares on the backend by alias and token; a repeat is acknowledged', async () => {
    const r = await record();
    const result = await receive(note('SHARE_UNSHARED', 'peer-share-1'));
    assert.equal(result.outcome, 'applied');
    assert.equal(result.direction, 'incoming');
    assert.equal(backend.notifications.length, 1);
    const sent = backend.notifications[0]!.notification;
    assert.equal(sent.notificationType, 'SHARE_UNSHARED');
    assert.equal(sent.providerId, String(r.alias));
    assert.equal(sent.notification.sharedSecret, 'incoming-secret');
    assert.equal((await ledger.shares.get(r.id))?.state, 'unshared');
    const again = await receive(note('SHARE_UNSHARED', 'peer-share-1'));
    assert.equal(again.outcome, 'acknowledged');
    assert.equal(backend.notifications.length, 1);
  });

  test('the backend applied it but the ledger refused the state write for now: retried, applied once', async () => {
    const r = await record();
    ledger.shares.update = refusedForNow(2, ledger.shares.update.bind(ledger.shares));
    assert.equal((await receive(note('SHARE_UNSHARED', 'peer-share-1'))).outcome, 'applied');
    assert.equal((await ledger.shares.get(r.id))?.state, 'unshared');
    assert.equal((await receive(note('SHARE_UNSHARED', 'peer-share-1'))).outcome, 'acknowledged');
    assert.equal(backend.notifications.length, 1);
  });

  test('unsigned: the share secret authenticates for dialects that do so, not for 1.3', async () => {
    await record();
    const withSecret = note('SHARE_UNSHARED', 'peer-share-1', { sharedSecret: 'incoming-secret' });
    const e13 = await refusal(receive(withSecret, unsigned, 'ocm-1.3', PEER));
    assert.equal(e13.code, 'FORBIDDEN');
    const wrong = note('SHARE_UNSHARED', 'peer-share-1', { sharedSecret: 'guess' });
    assert.equal(
      (await refusal(receive(wrong, unsigned, 'ocm-proposal1', PEER))).code,
      'FORBIDDEN',
    );
    const ok = await receive(withSecret, unsigned, 'ocm-proposal1');
    assert.equal(ok.outcome, 'applied', 'found by its secret without any host');
  });

  test('a signature from another host does not authorise; the share secret still may', async () => {
    await record();
    const other = signedBy('evil.example');
    const e = await refusal(
      receive(note('SHARE_UNSHARED', 'peer-share-1'), other, 'ocm-1.2', PEER),
    );
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(backend.notifications.length, 0);
    const withSecret = note('SHARE_UNSHARED', 'peer-share-1', { sharedSecret: 'incoming-secret' });
    assert.equal((await receive(withSecret, other, 'ocm-1.2', PEER)).outcome, 'applied');
  });

  test('an unknown providerId is 404 without detail', async () => {
    await record();
    const e = await refusal(receive(note('SHARE_UNSHARED', 'nope')));
    assert.equal(e.code, 'NOT_FOUND');
    assert.equal(e.message, 'No such share.');
    assert.equal(e.issues.length, 0);
  });

  test('recipient-side types about a share the peer owns are 400; permission changes are acknowledged', async () => {
    await record();
    const e = await refusal(receive(note('SHARE_ACCEPTED', 'peer-share-1')));
    assert.equal(e.code, 'INVALID_REQUEST');
    const perms = await receive(
      note('SHARE_CHANGE_PERMISSION', 'peer-share-1', { permissions: ['read'] }),
    );
    assert.equal(perms.outcome, 'acknowledged');
    assert.equal(backend.notifications.length, 0);
  });

  test('unknown types are 501 before any lookup', async () => {
    const e = await refusal(receive(note('SYNC_CALENDAR', 'whatever')));
    assert.equal(e.code, 'NOT_IMPLEMENTED');
  });
});

describe('receive-ocm-notification: shares the backend sent (outgoing)', () => {
  test('SHARE_ACCEPTED and SHARE_DECLINED reach the backend with its own id', async () => {
    const r = await outgoing();
    await receive(note('SHARE_ACCEPTED', '42'));
    assert.equal((await ledger.shares.get(r.id))?.state, 'accepted');
    await receive(note('SHARE_DECLINED', '42'));
    assert.equal((await ledger.shares.get(r.id))?.state, 'declined');
    assert.deepEqual(
      backend.notifications.map((n) => [
        n.notification.notificationType,
        n.notification.providerId,
        n.notification.notification.sharedSecret,
      ]),
      [
        ['SHARE_ACCEPTED', '42', 'backend-token'],
        ['SHARE_DECLINED', '42', 'backend-token'],
      ],
    );
    const gone = await refusal(receive(note('SHARE_ACCEPTED', '42')));
    assert.equal(gone.code, 'SHARE_GONE');
  });

  test('USER_REMOVED for a share the backend sent is a decline', async () => {
    await outgoing();
    await receive(note('USER_REMOVED', '42'));
    assert.equal(backend.notifications[0]?.notification.notificationType, 'SHARE_DECLINED');
  });

  test('REQUEST_RESHARE returns the backend’s new share; no answer is a 502', async () => {
    await outgoing();
    backend.notifyAnswers.push({
      reply: { reshare: { sharedSecret: 'new-token', providerId: '43', providerIdIsNumber: true } },
      via: 'ocs',
      warnings: [],
    });
    const result = await receive(
      note('REQUEST_RESHARE', '42', { shareWith: 'dave@third.example', senderId: '9' }),
    );
    assert.deepEqual(result.reply, {
      reshare: { sharedSecret: 'new-token', providerId: '43', providerIdIsNumber: true },
    });
    const sent = backend.notifications[0]!.notification.notification;
    assert.equal(sent.shareWith, 'dave@third.example');
    assert.equal(sent.senderId, '9');
    const empty = await refusal(
      receive(note('REQUEST_RESHARE', '42', { shareWith: 'x@y.z', senderId: '9' })),
    );
    assert.equal(empty.code, 'UPSTREAM_UNREACHABLE');
  });

  test('backend refusals come back as they are and change no state', async () => {
    const r = await outgoing();
    backend.notifyAnswers.push(new GatewayError('NOT_IMPLEMENTED', 'no revoke'));
    assert.equal((await refusal(receive(note('RESHARE_UNDO', '42')))).code, 'NOT_IMPLEMENTED');
    assert.equal((await ledger.shares.get(r.id))?.state, 'pending');
  });

  test('same host and providerId in both directions: the type picks the record', async () => {
    const inc = await record({ providerId: '42', sharedSecret: 'in-secret' });
    const out = await outgoing();
    const accepted = await receive(note('SHARE_ACCEPTED', '42'));
    assert.equal(accepted.shareId, out.id);
    const unshared = await receive(note('SHARE_UNSHARED', '42', { sharedSecret: 'in-secret' }));
    assert.equal(unshared.shareId, inc.id);
  });
});
