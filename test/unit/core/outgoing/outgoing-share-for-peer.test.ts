import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codecFor } from '../../../../gateway/core/dialects/dialect-registry.ts';
import type { CanonicalShare } from '../../../../gateway/core/model/canonical-share.ts';
import { DIALECTS, isOcmDialect } from '../../../../gateway/core/model/dialect-id.ts';
import { outgoingShareForPeer } from '../../../../gateway/core/outgoing/outgoing-share-for-peer.ts';
import {
  findInternalAuthority,
  internalAuthorities,
} from '../../../../gateway/core/outgoing/internal-leak.ts';

const addresses = {
  publicUrl: 'https://cloud.example.org',
  backendUrl: 'http://backend.internal:8080',
  facadeBaseUrl: 'http://gw.internal:9300',
};

function fromBackend(): CanonicalShare {
  const codec = codecFor('ocs-v2');
  const parsed = codec?.shareCreate?.parse(
    new URLSearchParams({
      shareWith: 'carol',
      token: 'Xy9zA1bC2dE3fG4',
      name: 'report.txt',
      remoteId: '42',
      owner: 'alice',
      ownerFederatedId: 'alice@backend.internal:8080',
      sharedBy: 'bob',
      sharedByFederatedId: 'bob@backend.internal:8080',
      remote: 'http://backend.internal:8080/',
    }).toString(),
  );
  assert.ok(parsed?.ok === true);
  return parsed.value;
}

describe('outgoingShareForPeer', () => {
  test('recipient at the peer, owner and sender distinguished on the public host, WebDAV at the gateway', () => {
    const r = outgoingShareForPeer({
      share: fromBackend(),
      peerHost: 'peer.example:8443',
      dialect: 'ocm-1.3',
      criteria: ['must-exchange-token'],
      addresses,
      webdavUrl: 'https://cloud.example.org/public.php/webdav/',
    });
    assert.ok(r.ok);
    const s = r.value;
    assert.equal(s.providerId, '42');
    assert.equal(s.shareWith, 'carol@peer.example:8443');
    assert.equal(s.owner, 'alice@cloud.example.org');
    assert.equal(s.sender, 'bob@cloud.example.org');
    assert.equal(s.ownerDisplayName, 'alice');
    assert.equal(s.senderDisplayName, 'bob');
    assert.deepEqual(s.protocols.webdav, {
      uri: 'https://cloud.example.org/public.php/webdav/',
      sharedSecret: 'Xy9zA1bC2dE3fG4',
      permissions: ['read'],
      requirements: ['must-exchange-token'],
    });
    assert.equal(s.legacy, undefined);
  });

  test('the backend’s permissions, read from its WebDAV, replace the read floor; explicit names win', () => {
    const base = {
      peerHost: 'peer.example',
      dialect: 'ocm-1.2' as const,
      criteria: [],
      addresses,
      webdavUrl: 'https://cloud.example.org/public.php/webdav/',
    };
    const looked = outgoingShareForPeer({
      ...base,
      share: fromBackend(),
      permissions: ['read', 'write', 'share'],
    });
    assert.ok(looked.ok);
    assert.deepEqual(looked.value.protocols.webdav?.permissions, ['read', 'write', 'share']);
    const empty = outgoingShareForPeer({ ...base, share: fromBackend(), permissions: [] });
    assert.ok(empty.ok);
    assert.deepEqual(empty.value.protocols.webdav?.permissions, ['read']);
    const share = fromBackend();
    const webdav = share.protocols.webdav;
    assert.ok(webdav !== undefined);
    const named: CanonicalShare = {
      ...share,
      protocols: { ...share.protocols, webdav: { ...webdav, permissions: ['read'] } },
    };
    const explicit = outgoingShareForPeer({
      ...base,
      share: named,
      permissions: ['read', 'write'],
    });
    assert.ok(explicit.ok);
    assert.deepEqual(explicit.value.protocols.webdav?.permissions, ['read']);
  });

  test('serialises for every OCM dialect without naming an internal server', () => {
    const internal = internalAuthorities(
      [addresses.backendUrl, addresses.facadeBaseUrl],
      addresses.publicUrl,
    );
    for (const dialect of DIALECTS.filter(isOcmDialect)) {
      const r = outgoingShareForPeer({
        share: fromBackend(),
        peerHost: 'peer.example',
        dialect,
        criteria: [],
        addresses,
        webdavUrl: 'https://cloud.example.org/public.php/webdav/',
      });
      assert.ok(r.ok, dialect);
      const wire = codecFor(dialect)?.shareCreate?.serialise(r.value);
      assert.ok(wire?.ok === true, dialect);
      assert.equal(findInternalAuthority(JSON.stringify(wire.value), internal), undefined, dialect);
      assert.match(JSON.stringify(wire.value), /Xy9zA1bC2dE3fG4/);
    }
  });

  test('a share without a token is refused, naming the field', () => {
    const share = fromBackend();
    const r = outgoingShareForPeer({
      share: { ...share, protocols: { unknown: {} } },
      peerHost: 'peer.example',
      dialect: 'ocm-1.2',
      criteria: [],
      addresses,
      webdavUrl: 'https://cloud.example.org/public.php/webdav/',
    });
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'token');
  });
});
