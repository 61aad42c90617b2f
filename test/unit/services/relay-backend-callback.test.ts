import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import type { LegacyCanonicalNotification } from '../../../gateway/core/dialects/ocs-common/ocs-codec-types.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { refusedForNow } from './refused-for-now.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import type { PeerHttpClient } from '../../../gateway/ports/peer-http.ts';
import { createRelayBackendCallback } from '../../../gateway/services/relay-backend-callback.ts';
import type {
  NotificationDelivery,
  SendPeerNotification,
} from '../../../gateway/services/send-peer-notification.ts';
import { createPeerSender } from '../../../gateway/services/send-to-peer.ts';

const quiet: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  http: () => undefined,
  debug: () => undefined,
  child: () => quiet,
};
const addresses = {
  publicUrl: 'https://cloud.example.org',
  backendUrl: 'http://backend.internal:8080',
  facadeBaseUrl: 'http://gw.internal:9300',
};

function fromBackend(type: string, id: string, token: string): LegacyCanonicalNotification {
  return {
    notificationType: type,
    resourceType: 'file',
    providerId: id,
    notification: { sharedSecret: token },
  };
}

describe('relayBackendCallback', () => {
  let dir: string;
  let ledger: SqliteLedger;
  let sent: { peer: string; n: LegacyCanonicalNotification }[];
  let outcome: NotificationDelivery;
  const send: SendPeerNotification = (peer, n) => {
    sent.push({ peer, n });
    return Promise.resolve(outcome);
  };
  const relay = () => createRelayBackendCallback({ ledger, send, addresses, logger: quiet });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relay-'));
    ledger = new SqliteLedger({
      dataDir: dir,
      secretKey: 'relay-test-ledger-key-0123456789abcdef',
    });
    sent = [];
    outcome = { outcome: 'delivered', reply: {}, dialect: 'ocm-1.3' };
  });
  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function incoming(peerHost = 'peer.example', sharedSecret = 'peer-secret') {
    const { record } = await ledger.shares.create({
      direction: 'incoming',
      peerHost,
      providerId: 'uuid-7',
      sharedSecret,
      dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
      owner: 'o@peer.example',
      sender: 'o@peer.example',
      shareWith: 'alice@cloud.example.org',
      resourceName: 'f',
    });
    return record;
  }

  test('accept: alias → the peer’s providerId and secret; a repeat is answered without a call', async () => {
    const record = await incoming();
    const first = await relay()({
      peerHost: 'peer.example',
      notification: fromBackend('SHARE_ACCEPTED', String(record.alias), 'peer-secret'),
    });
    assert.equal(first.kind, 'delivered');
    const [out] = sent;
    assert.ok(out !== undefined);
    assert.equal(out.n.providerId, 'uuid-7');
    assert.equal(out.n.notification.sharedSecret, 'peer-secret');
    assert.equal((await ledger.shares.get(record.id))?.state, 'accepted');
    const again = await relay()({
      peerHost: 'peer.example',
      notification: fromBackend('SHARE_ACCEPTED', String(record.alias), 'peer-secret'),
    });
    assert.equal(again.kind, 'delivered');
    assert.equal(sent.length, 1);
  });

  test('a state write the ledger refuses after the peer was told: retried, and never a second notification', async () => {
    const record = await incoming();
    ledger.shares.update = refusedForNow(2, ledger.shares.update.bind(ledger.shares));
    const relayed = await relay()({
      peerHost: 'peer.example',
      notification: fromBackend('SHARE_ACCEPTED', String(record.alias), 'peer-secret'),
    });
    assert.equal(relayed.kind, 'delivered');
    assert.equal(sent.length, 1);
    assert.equal((await ledger.shares.get(record.id))?.state, 'accepted');

    // A ledger that stays down: the backend still hears success (the peer knows), logged loudly.
    const other = await incoming('other.example', 'other-secret');
    const errors: string[] = [];
    const logger: Logger = { ...quiet, error: (message) => void errors.push(message) };
    ledger.shares.update = () =>
      Promise.reject(new GatewayError('UNAVAILABLE', 'down', { retryAfterSeconds: 5 }));
    const stillDown = await createRelayBackendCallback({
      ledger,
      send,
      addresses,
      logger,
      ledgerRetryDelaysMs: [1, 1, 1],
    })({
      peerHost: 'other.example',
      notification: fromBackend('SHARE_DECLINED', String(other.alias), 'other-secret'),
    });
    assert.equal(stillDown.kind, 'delivered');
    assert.equal(sent.length, 2);
    assert.deepEqual(errors, ['the peer was notified but the ledger did not record the new state']);
  });

  test('a reshare the peer made is recorded even if the ledger refuses it for a moment: asked once', async () => {
    const record = await incoming();
    outcome = {
      outcome: 'delivered',
      reply: { reshare: { providerId: 'peer-reshare-9', sharedSecret: 'reshare-secret' } },
      dialect: 'ocm-1.3',
    };
    ledger.shares.create = refusedForNow(2, ledger.shares.create.bind(ledger.shares));
    const notification = fromBackend('REQUEST_RESHARE', String(record.alias), 'peer-secret');
    const relayed = await createRelayBackendCallback({
      ledger,
      send,
      addresses,
      logger: quiet,
      ledgerRetryDelaysMs: [1, 1, 1],
    })({
      peerHost: 'peer.example',
      notification: {
        ...notification,
        notification: { ...notification.notification, shareWith: 'dave@third.example' },
      },
    });
    assert.equal(relayed.kind, 'delivered');
    assert.equal(sent.length, 1, 'the peer was asked once');
    const recorded = await ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: 'peer.example',
      providerId: 'peer-reshare-9',
    });
    assert.ok(recorded);
    assert.deepEqual(relayed.reply.reshare, {
      sharedSecret: 'reshare-secret',
      providerId: String(recorded.alias),
      providerIdIsNumber: true,
    });
  });

  test('transient: queued in the outbox, state recorded; refused: thrown, state kept', async () => {
    const record = await incoming();
    outcome = { outcome: 'transient', error: new GatewayError('UPSTREAM_UNREACHABLE', 'down') };
    const queued = await relay()({
      peerHost: 'peer.example',
      notification: fromBackend('SHARE_DECLINED', String(record.alias), 'peer-secret'),
    });
    assert.equal(queued.kind, 'queued');
    const [item] = await ledger.outbox.listDue(5);
    assert.ok(item !== undefined);
    assert.equal(item.peerHost, 'peer.example');
    assert.equal(item.shareId, record.id);
    assert.equal((await ledger.shares.get(record.id))?.state, 'declined');

    const other = await incoming('other.example', 'other-secret');
    outcome = { outcome: 'refused', error: new GatewayError('FORBIDDEN', 'no') };
    await assert.rejects(
      relay()({
        peerHost: 'other.example',
        notification: fromBackend('SHARE_ACCEPTED', String(other.alias), 'other-secret'),
      }),
      (e: unknown) => e instanceof GatewayError && e.code === 'FORBIDDEN',
    );
    assert.equal((await ledger.shares.get(other.id))?.state, 'pending');
  });

  test('wrong token, other peer, ended share, unknown alias', async () => {
    const record = await incoming();
    const call = (peerHost: string, id: string, token: string, type = 'SHARE_ACCEPTED') =>
      relay()({ peerHost, notification: fromBackend(type, id, token) });
    await assert.rejects(call('peer.example', String(record.alias), 'nope'), /does not match/);
    assert.equal(
      (await call('elsewhere.example', String(record.alias), 'peer-secret')).kind,
      'unrecorded',
    );
    assert.equal((await call('peer.example', '999', 'peer-secret')).kind, 'unrecorded');
    await ledger.shares.update(record.id, { state: 'unshared' });
    await assert.rejects(call('peer.example', String(record.alias), 'peer-secret'), /ended/);
    assert.equal(sent.length, 0);
  });

  test('unshare of a share the ledger never saw goes out with the backend’s own id and token', async () => {
    const r = await relay()({
      peerHost: 'peer.example',
      notification: fromBackend('SHARE_UNSHARED', '42', 'backend-token'),
    });
    assert.equal(r.kind, 'delivered');
    const [out] = sent;
    assert.ok(out !== undefined);
    assert.equal(out.n.providerId, '42');
    assert.equal(out.n.notification.sharedSecret, 'backend-token');
  });
});

describe('peer sender', () => {
  test('refuses to send anything naming an internal server, before any connection', async () => {
    let calls = 0;
    const client: PeerHttpClient = {
      request: () => {
        calls += 1;
        return Promise.reject(new Error('must not be called'));
      },
      close: () => undefined,
    };
    const sender = createPeerSender({
      client,
      loadKeys: () => Promise.reject(new Error('the check comes before signing')),
      publicUrl: addresses.publicUrl,
      clock: Date.now,
      internalAuthorities: ['backend.internal:8080', 'gw.internal:9300'],
      logger: quiet,
    });
    await assert.rejects(
      sender.post({
        url: 'https://peer.example/ocm/shares',
        body: '{"owner":"alice@backend.internal:8080"}',
        contentType: 'application/json',
        scheme: 'rfc9421',
      }),
      (e: unknown) => e instanceof GatewayError && e.code === 'INTERNAL',
    );
    assert.equal(calls, 0);
  });
});
