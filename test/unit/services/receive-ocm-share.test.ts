import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import type { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { refusedForNow } from './refused-for-now.ts';
import {
  createReceiveOcmShare,
  type ReceiveOcmShareDeps,
} from '../../../gateway/services/receive-ocm-share.ts';
import {
  FakeBackend,
  peerShare,
  profileOf,
  PUBLIC_URL,
  silentLogger,
  tempLedger,
} from './receive-fakes.ts';

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

function service(overrides: Partial<ReceiveOcmShareDeps> = {}) {
  return createReceiveOcmShare({
    ledger: ledger.shares,
    backend,
    backendProfile: profileOf('ocs-v2'),
    publicUrl: PUBLIC_URL,
    logger: silentLogger,
    ...overrides,
  });
}

const input = (share = peerShare()) => ({
  share,
  peerHost: 'Peer.Example.net',
  peerDialect: 'ocm-1.2' as const,
});

/** Waits (bounded) for a condition reached by work on other ticks, however slow the machine. */
async function until(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, 'condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('receive-ocm-share', () => {
  test('a backend refusal naming an unknown user becomes validationErrors on shareWith', async () => {
    backend.shareAnswers.push(new GatewayError('INVALID_REQUEST', 'User does not exists'));
    const error = await refusal(service()(input()));
    assert.equal(error.status, 400);
    assert.equal(error.message, 'User does not exists');
    assert.deepEqual(error.issues, [{ field: 'shareWith', message: 'NOT_FOUND' }]);
    backend.shareAnswers.push(new GatewayError('UNAVAILABLE', 'User does not exists'));
    assert.deepEqual(
      (
        await refusal(
          service()(
            input(
              peerShare({
                providerId: 'p-2',
                protocols: {
                  ...peerShare().protocols,
                  webdav: {
                    sharedSecret: 'other-secret-2',
                    permissions: ['read'],
                    requirements: [],
                  },
                },
              }),
            ),
          ),
        )
      ).issues,
      [],
    );
  });

  test('records the share and delivers it once under the numeric alias', async () => {
    const result = await service()(input());
    assert.equal(result.created, true);
    assert.equal(result.recipientDisplayName, 'bob');
    assert.equal(backend.shares.length, 1);
    const sent = backend.shares[0]!;
    assert.equal(sent.peerHost, 'peer.example.net');
    assert.equal(sent.share.providerId, String(result.alias));
    assert.equal(sent.share.legacy?.remoteId, result.alias);
    assert.equal(sent.share.protocols.webdav?.sharedSecret, 'peer-secret-1');
    const record = await ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: 'peer.example.net',
      providerId: '7c08a1f4-share',
    });
    assert.ok(record);
    assert.equal(record.alias, result.alias);
    assert.equal(record.sharedSecret, 'peer-secret-1');
    assert.equal(record.backendShareId, String(result.alias));
    assert.deepEqual(record.dialects, { peer: 'ocm-1.2', backend: 'ocs-v2' });
  });

  test('a retried identical share gets the first answer and no second backend call', async () => {
    backend.shareAnswers.push({
      recipientDisplayName: 'Bob Builder',
      displayNameFromBackend: true,
      warnings: [],
    });
    const receive = service({ shortLived: new MemoryShortLivedStore() });
    const first = await receive(input());
    const again = await receive(input());
    assert.equal(backend.shares.length, 1);
    assert.equal(again.created, false);
    assert.equal(again.alias, first.alias);
    assert.equal(again.recipientDisplayName, 'Bob Builder');
  });

  test('without a short-lived store a retry answers with the recipient uid', async () => {
    const receive = service();
    await receive(input());
    assert.equal((await receive(input())).recipientDisplayName, 'bob');
    assert.equal(backend.shares.length, 1);
  });

  test('concurrent identical shares make one backend call', async () => {
    let release: () => void = () => undefined;
    backend.shareAnswers.push(
      () =>
        new Promise((resolve) => {
          release = () => {
            resolve({ recipientDisplayName: 'bob', displayNameFromBackend: false, warnings: [] });
          };
        }),
    );
    const receive = service({ shortLived: new MemoryShortLivedStore() });
    const a = receive(input());
    const b = receive(input());
    await until(() => backend.shares.length > 0);
    release();
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(backend.shares.length, 1);
    assert.equal(ra.alias, rb.alias);
  });

  test('a delivery that failed is attempted again on retry', async () => {
    backend.shareAnswers.push(new GatewayError('UPSTREAM_UNREACHABLE', 'down'));
    const receive = service();
    const failed = await refusal(receive(input()));
    assert.equal(failed.code, 'UPSTREAM_UNREACHABLE');
    const record = await ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: 'peer.example.net',
      providerId: '7c08a1f4-share',
    });
    assert.equal(record?.backendShareId, undefined);
    const retried = await receive(input());
    assert.equal(backend.shares.length, 2);
    assert.equal(retried.created, false);
    assert.equal(retried.alias, record?.alias);
  });

  test('another replica delivering the same share: 503 with Retry-After', async () => {
    const shortLived = new MemoryShortLivedStore();
    const receive = service({ shortLived });
    backend.shareAnswers.push(new GatewayError('UPSTREAM_TIMEOUT', 'slow'));
    await refusal(receive(input()));
    const record = await ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: 'peer.example.net',
      providerId: '7c08a1f4-share',
    });
    assert.ok(record);
    assert.equal(
      await shortLived.acquireLock(`backend-share:${record.id}`, 'other-replica', 60_000),
      true,
    );
    const busy = await refusal(receive(input()));
    assert.equal(busy.code, 'UNAVAILABLE');
    assert.equal(busy.retryAfterSeconds, 5);
    assert.equal(backend.shares.length, 1);
  });

  test('a delivery longer than the lock TTL keeps its lock: another replica still gets 503', async () => {
    const shortLived = new MemoryShortLivedStore();
    let release: () => void = () => undefined;
    backend.shareAnswers.push(
      () =>
        new Promise((resolve) => {
          release = () => {
            resolve({ recipientDisplayName: 'bob', displayNameFromBackend: false, warnings: [] });
          };
        }),
    );
    const first = service({ shortLived, lockTtlMs: 60 })(input());
    await until(() => backend.shares.length > 0);
    await sleep(200);
    const otherReplica = service({ shortLived, lockTtlMs: 60 });
    const busy = await refusal(otherReplica(input()));
    assert.equal(busy.code, 'UNAVAILABLE');
    release();
    assert.equal((await first).created, true);
    const again = await otherReplica(input());
    assert.equal(again.created, false);
    assert.equal(backend.shares.length, 1);
  });

  test('the lock of a replica that died mid-delivery frees itself within its TTL', async () => {
    const shortLived = new MemoryShortLivedStore();
    const receive = service({ shortLived, lockTtlMs: 60 });
    backend.shareAnswers.push(new GatewayError('UPSTREAM_TIMEOUT', 'slow'));
    await refusal(receive(input()));
    const record = await ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: 'peer.example.net',
      providerId: '7c08a1f4-share',
    });
    assert.ok(record);
    // The dead replica took the lock and never renewed it.
    assert.equal(
      await shortLived.acquireLock(`backend-share:${record.id}`, 'dead-replica', 80),
      true,
    );
    assert.equal((await refusal(receive(input()))).code, 'UNAVAILABLE');
    await sleep(120);
    const delivered = await receive(input());
    assert.equal(delivered.alias, record.alias);
    assert.equal(backend.shares.length, 2);
  });

  test('the backend took the share but the ledger refused the write for now: retried, one backend call', async () => {
    ledger.shares.update = refusedForNow(2, ledger.shares.update.bind(ledger.shares));
    const receive = service({ ledgerRetryDelaysMs: [1, 1, 1] });
    const delivered = await receive(input());
    assert.equal(delivered.created, true);
    assert.equal(backend.shares.length, 1);
    assert.equal((await receive(input())).created, false);
    assert.equal(backend.shares.length, 1);
  });

  test('the same providerId with another secret or recipient is refused', async () => {
    const receive = service();
    await receive(input());
    const other = peerShare({
      protocols: {
        webdav: { sharedSecret: 'another-secret', permissions: [], requirements: [] },
        unknown: {},
      },
    });
    const e = await refusal(receive(input(other)));
    assert.equal(e.code, 'INVALID_REQUEST');
    assert.equal(e.issues[0]?.field, 'providerId');
    assert.equal(backend.shares.length, 1);
  });

  test('shareWith of another server: 400 naming shareWith, nothing recorded or sent', async () => {
    const e = await refusal(service()(input(peerShare({ shareWith: 'bob@elsewhere.example' }))));
    assert.equal(e.code, 'INVALID_REQUEST');
    assert.equal(e.issues[0]?.field, 'shareWith');
    assert.equal(backend.shares.length, 0);
    const record = await ledger.shares.findByKey({
      direction: 'incoming',
      peerHost: 'peer.example.net',
      providerId: '7c08a1f4-share',
    });
    assert.equal(record, undefined);
  });

  test('resource and share types the backend lacks are 501', async () => {
    const calendar = await refusal(service()(input(peerShare({ resourceType: 'calendar' }))));
    assert.equal(calendar.code, 'NOT_IMPLEMENTED');
    assert.equal(calendar.issues[0]?.field, 'resourceType');
    const group = await refusal(service()(input(peerShare({ shareType: 'group' }))));
    assert.equal(group.code, 'NOT_IMPLEMENTED');
    assert.equal(group.issues[0]?.field, 'shareType');
    const nc = service({
      backendProfile: profileOf('ocm-proposal1', { shareTypes: ['user', 'group'] }),
    });
    await nc(input(peerShare({ shareType: 'group', shareWith: 'staff@cloud.example.org' })));
    assert.equal(backend.shares.length, 1);
  });

  test('WebDAV is required: no protocol 501, neither secret nor code 400', async () => {
    const webapp = peerShare({
      protocols: { webapp: { uri: 'https://x/app', permissions: ['view'] }, unknown: {} },
    });
    assert.equal((await refusal(service()(input(webapp)))).code, 'NOT_IMPLEMENTED');
    const noSecret = peerShare({
      protocols: { webdav: { uri: 'abc', permissions: [], requirements: [] }, unknown: {} },
    });
    const missing = await refusal(service()(input(noSecret)));
    assert.equal(missing.code, 'INVALID_REQUEST');
    assert.equal(missing.issues[0]?.field, 'protocols.webdav.sharedSecret');
    assert.equal(backend.shares.length, 0);
  });

  test('how the peer’s WebDAV is reached is recorded for flow 3', async () => {
    const share = peerShare({
      protocols: {
        webdav: {
          uri: 'f1e2d3',
          sharedSecret: 'peer-secret-1',
          permissions: ['read'],
          requirements: ['must-exchange-token'],
        },
        unknown: {},
      },
    });
    const { alias } = await service()(input(share));
    const record = await ledger.shares.findByAlias(alias);
    assert.deepEqual(record?.protocol, {
      webdavUri: 'f1e2d3',
      requirements: ['must-exchange-token'],
    });
  });

  test('a code-only share (1.2): the backend gets a token the gateway makes; retries match on the code', async () => {
    const codeOnly = peerShare({
      code: 'exchange-me-1',
      protocols: { webdav: { uri: 'abc', permissions: [], requirements: [] }, unknown: {} },
    });
    const receive = service();
    const first = await receive(input(codeOnly));
    const token = backend.shares[0]?.share.protocols.webdav?.sharedSecret ?? '';
    assert.match(token, /^[A-Za-z0-9]{32}$/);
    const record = await ledger.shares.findByAlias(first.alias);
    assert.equal(record?.sharedSecret, token);
    assert.equal(record.protocol?.code, 'exchange-me-1');
    const again = await receive(input(codeOnly));
    assert.equal(again.created, false);
    assert.equal(backend.shares.length, 1);
    const other = await refusal(receive(input({ ...codeOnly, code: 'another-code' })));
    assert.equal(other.issues[0]?.field, 'providerId');
  });

  test('an unidentified backend is probed again before the share is checked', async () => {
    const unknown = profileOf('ocs-v2', { status: 'unknown' });
    const known = profileOf('ocm-proposal1', { shareTypes: ['user', 'group'] }).current();
    let refreshed = 0;
    const source = {
      current: () => unknown.current(),
      refresh: () => {
        refreshed++;
        return Promise.resolve(known);
      },
    };
    const group = peerShare({ shareType: 'group', shareWith: 'staff@cloud.example.org' });
    const { alias } = await service({ backendProfile: source })(input(group));
    assert.equal(refreshed, 1);
    const record = await ledger.shares.findByAlias(alias);
    assert.equal(record?.dialects.backend, 'ocm-proposal1');
  });

  test('a bad peer host is refused before anything is stored', async () => {
    const e = await refusal(service()({ ...input(), peerHost: 'peer/evil' }));
    assert.equal(e.code, 'INVALID_REQUEST');
    assert.equal(e.issues[0]?.field, 'peerHost');
  });
});
