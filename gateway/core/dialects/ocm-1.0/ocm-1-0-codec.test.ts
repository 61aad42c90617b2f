// Covers spec-v1.0.0.yaml rules (examples are checked in test/contract/ocm-conformance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { richShare, valueOf } from '../../../../test/contract/ocm-conformance/canonical-samples.ts';
import { ocm10Codec } from './ocm-1-0-codec.ts';

const share = ocm10Codec.shareCreate!;
const body = {
  shareWith: 'peter.szegedi@geant.org',
  name: 'spec.yaml',
  providerId: '7c084226',
  owner: 'dimitri@apiwise.nl',
  shareType: 'user',
  resourceType: 'file',
  protocol: {
    name: 'webdav',
    options: {
      sharedSecret: 's3cr3t',
      permissions: '{http://open-cloud-mesh.org/ns}share-permissions',
    },
  },
};

test('sender is optional in 1.0: the owner stands in, even in strict mode', () => {
  const result = share.parse(body, { mode: 'strict' });
  assert.ok(result.ok);
  assert.equal(result.value.sender, 'dimitri@apiwise.nl');
  assert.ok(result.warnings.some((w) => w.field === 'sender'));
});

test('protocol.name must be webdav and typed objects are not 1.0 (strict)', () => {
  assert.ok(
    !share.parse(
      { ...body, protocol: { name: 'multi', webdav: { sharedSecret: 'x' } } },
      { mode: 'strict' },
    ).ok,
  );
  const lenient = valueOf(
    share.parse({ ...body, protocol: { name: 'multi', webdav: { sharedSecret: 'x', uri: 'k' } } }),
  );
  assert.equal(lenient.protocols.webdav?.uri, 'k');
});

test('writes the options form and says what it dropped', () => {
  const result = share.serialise(richShare);
  assert.ok(result.ok);
  assert.deepEqual((result.value as Record<string, unknown>).protocol, {
    name: 'webdav',
    options: { sharedSecret: 'hfiuhworzwnur98d3wjiwhr' },
  });
  const dropped = result.warnings.map((w) => w.field);
  for (const f of [
    'expiration',
    'protocols.webapp',
    'protocols.ssh',
    'protocols.webdav.uri',
    'protocols.unknown.talk',
  ]) {
    assert.ok(dropped.includes(f), f);
  }
  assert.ok(
    !JSON.stringify(result.warnings).includes('hfiuhworzwnur98d3wjiwhr'),
    'no secret in warnings',
  );
});

test('no shareType enum in 1.0, but the canonical model still needs a known one', () => {
  const upper = share.parse({ ...body, shareType: 'User' }, { mode: 'strict' });
  assert.ok(upper.ok && upper.value.shareType === 'user');
  const other = share.parse({ ...body, shareType: 'circle' });
  assert.ok(!other.ok && other.issues[0]?.field === 'shareType');
});

test('201 answer and discovery have no 1.1 extras', () => {
  assert.deepEqual(
    valueOf(
      ocm10Codec.shareCreated!.serialise({ recipientDisplayName: 'Bob', recipientUserId: 'bob' }),
    ),
    { recipientDisplayName: 'Bob' },
  );
  assert.equal(ocm10Codec.inviteAccepted, undefined);
  assert.equal(ocm10Codec.tokenRequest, undefined);
  assert.deepEqual(valueOf(ocm10Codec.notificationReply!.serialise({})), {});
});
