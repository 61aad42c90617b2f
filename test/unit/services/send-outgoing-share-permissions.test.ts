/**
 * send-outgoing-share: how an OCM peer learns what the backend's share allows. OCM 1.1+ get the
 * names read from the backend's WebDAV; OCM 1.0 peers trigger no lookup; a failed
 * lookup gives `read` and a warning.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codecFor } from '../../../gateway/core/dialects/dialect-registry.ts';
import type { CanonicalShare } from '../../../gateway/core/model/canonical-share.ts';
import type { DialectId } from '../../../gateway/core/model/dialect-id.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import type { PeerJsonResponse } from '../../../gateway/ports/peer-http.ts';
import type { ResolvedPeer } from '../../../gateway/services/resolve-peer-capabilities.ts';
import { createSendOutgoingShare } from '../../../gateway/services/send-outgoing-share.ts';
import type { PeerPost } from '../../../gateway/services/send-to-peer.ts';
import { profileOf, tempLedger } from './receive-fakes.ts';

const store = tempLedger();
after(() => store.cleanup());

let nextId = 100;
function backendShare(): CanonicalShare {
  nextId += 1;
  const parsed = codecFor('ocs-v2')?.shareCreate?.parse(
    new URLSearchParams({
      shareWith: 'carol',
      token: `tok${nextId}abcdefghijk`,
      name: 'report.txt',
      remoteId: String(nextId),
      owner: 'alice',
      ownerFederatedId: 'alice@backend.internal',
      sharedBy: 'alice',
      sharedByFederatedId: 'alice@backend.internal',
      remote: 'http://backend.internal/',
    }).toString(),
  );
  assert.ok(parsed?.ok === true);
  return parsed.value;
}

function peerSpeaking(dialect: DialectId): ResolvedPeer {
  // Only the fields the service reads.
  return {
    dialect,
    peer: { path: '' },
    capabilities: {
      family: dialect.startsWith('ocm') ? 'ocm' : 'legacy',
      endPoint: 'https://peer.example/ocm',
      criteria: [],
      capabilities: [],
      keys: { publicKeys: [] },
    },
  } as unknown as ResolvedPeer;
}

function harness(dialect: DialectId, lookup: (secret: string) => Promise<number | undefined>) {
  const posts: PeerPost[] = [];
  const asked: string[] = [];
  const warnings: string[] = [];
  const logger: Logger = {
    error: () => undefined,
    warn: (message) => {
      warnings.push(message);
    },
    info: () => undefined,
    http: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  const send = createSendOutgoingShare({
    resolver: { resolve: () => Promise.resolve(peerSpeaking(dialect)) },
    sender: {
      post: (post) => {
        posts.push(post);
        return Promise.resolve({
          kind: 'json',
          status: 201,
          headers: {},
          text: '{}',
          json: {},
          url: 'https://peer.example/ocm/shares',
          redirects: 0,
          remoteAddress: '192.0.2.1',
        } as PeerJsonResponse);
      },
    },
    shares: store.ledger.shares,
    backendProfile: profileOf('ocs-v2'),
    addresses: {
      publicUrl: 'https://cloud.example.org',
      backendUrl: 'http://backend.internal',
      facadeBaseUrl: 'http://127.0.0.1:9300',
    },
    logger,
    backendPermissions: (secret) => {
      asked.push(secret);
      return lookup(secret);
    },
  });
  const sentPermissions = () => {
    const body = JSON.parse(posts.at(-1)?.body ?? '{}') as {
      protocol: { webdav?: { permissions?: unknown }; options?: { permissions?: unknown } };
    };
    return body.protocol.webdav?.permissions ?? body.protocol.options?.permissions;
  };
  return { send, posts, asked, warnings, sentPermissions };
}

describe('outgoing share permissions', () => {
  test('OCM 1.1–1.3: the backend’s bits become names (19 → read, write, share)', async () => {
    for (const dialect of ['ocm-1.1', 'ocm-1.2', 'ocm-1.3'] as const) {
      const h = harness(dialect, () => Promise.resolve(19));
      const share = backendShare();
      await h.send({ peerHost: 'peer.example', share });
      assert.deepEqual(h.asked, [share.protocols.webdav?.sharedSecret], dialect);
      assert.deepEqual(h.sentPermissions(), ['read', 'write', 'share'], dialect);
      assert.deepEqual(h.warnings, []);
    }
  });

  test('delete alone adds nothing; read-only stays read-only', async () => {
    const h = harness('ocm-1.3', () => Promise.resolve(9));
    await h.send({ peerHost: 'peer.example', share: backendShare() });
    assert.deepEqual(h.sentPermissions(), ['read']);
  });

  test('a failed lookup: read only, and a warning without the token', async () => {
    const h = harness('ocm-1.2', () => Promise.resolve(undefined));
    const share = backendShare();
    await h.send({ peerHost: 'peer.example', share });
    assert.deepEqual(h.sentPermissions(), ['read']);
    assert.equal(h.warnings.length, 1);
    assert.ok(!h.warnings[0]?.includes(share.protocols.webdav?.sharedSecret ?? '?'));
  });

  test('OCM 1.0: no lookup and no list (its receivers read share-permissions over WebDAV)', async () => {
    const h = harness('ocm-1.0', () => Promise.resolve(31));
    await h.send({ peerHost: 'peer.example', share: backendShare() });
    assert.deepEqual(h.asked, []);
    assert.equal(h.sentPermissions(), undefined);
  });
});
