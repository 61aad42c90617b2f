// Fixture covered: discovery-ocm-provider-nextcloud31.json; spec-v1.1.0.yaml protocol forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLegacyFixture } from '../../../../test/contract/ocm-conformance/shared-reference.ts';
import { richShare, valueOf } from '../../../../test/contract/ocm-conformance/canonical-samples.ts';
import { ocm11Codec } from './ocm-1-1-codec.ts';

const share = ocm11Codec.shareCreate!;

function withoutKey(key: string, record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
const base = {
  shareWith: '51dc30ddc473d43a6011e9ebba6ca770@geant.org',
  name: 'resource.txt',
  providerId: '7c084226',
  owner: '6358b71804dfa8ab069cf05ed1b0ed2a@apiwise.nl',
  sender: '527bd5b5d689e2c32ae974c6229ff785@apiwise.nl',
  shareType: 'user',
  resourceType: 'file',
};

test('Nextcloud 31 discovery: slash capabilities normalised, cavage key and version kept', () => {
  const body = readLegacyFixture('discovery-ocm-provider-nextcloud31.json').response.body;
  const doc = valueOf(ocm11Codec.discovery!.parse(body, { mode: 'strict' }));
  assert.deepEqual(doc.capabilities, ['invites', 'notifications', 'shares']);
  assert.deepEqual(doc.capabilitiesRaw, ['/invite-accepted', '/notifications', '/shares']);
  assert.equal(doc.publicKey?.keyId, 'https://nc.example.org/nextcloud/ocm#signature');
  assert.equal(doc.provider, 'Nextcloud 31.0.0.18');
  const written = ocm11Codec.discovery!.serialise(doc);
  assert.ok(written.ok);
  assert.deepEqual(written.value, {
    ...(body as object),
    capabilities: ['/invite-accepted', '/notifications'],
  });
  assert.ok(written.warnings.some((w) => w.field === 'capabilities.shares'));
});

test('the three protocol forms of the v1.1 examples parse', () => {
  const legacy = valueOf(
    share.parse(
      {
        ...base,
        protocol: {
          name: 'webdav',
          options: { sharedSecret: 'a', permissions: 'some permissions scheme' },
        },
      },
      { mode: 'strict' },
    ),
  );
  assert.equal(legacy.protocols.webdav?.sharedSecret, 'a');
  const single = valueOf(
    share.parse(
      {
        ...base,
        protocol: {
          name: 'webdav',
          options: { sharedSecret: 'a' },
          webdav: { sharedSecret: 'a', permissions: ['read'], uri: 'https://x/y' },
        },
      },
      { mode: 'strict' },
    ),
  );
  assert.deepEqual(single.protocols.webdav, {
    uri: 'https://x/y',
    sharedSecret: 'a',
    permissions: ['read'],
    requirements: [],
  });
  const multi = valueOf(
    share.parse(
      {
        ...base,
        protocol: {
          name: 'multi',
          options: null,
          webdav: { permissions: ['read'], uri: 'https://x/y' },
          webapp: {
            uriTemplate: 'https://x/s/{relative-path-to-shared-resource}',
            viewMode: 'read',
          },
          datatx: { srcUri: 'https://x/y', size: 100000 },
        },
      },
      { mode: 'strict' },
    ),
  );
  assert.equal(multi.protocols.webapp?.uri, 'https://x/s/{relative-path-to-shared-resource}');
  assert.deepEqual(multi.protocols.webapp.permissions, ['read']);
  assert.deepEqual(multi.protocols.unknown, { datatx: { srcUri: 'https://x/y', size: 100000 } });
});

test('sender is required in 1.1 strict mode; shareType has an enum', () => {
  const noSender = withoutKey('sender', {
    ...base,
    protocol: { name: 'webdav', options: { sharedSecret: 'a' } },
  });
  assert.ok(!share.parse(noSender, { mode: 'strict' }).ok);
  assert.ok(share.parse(noSender).ok);
  assert.ok(
    !share.parse(
      { ...base, shareType: 'User', protocol: { name: 'webdav', options: { sharedSecret: 'a' } } },
      { mode: 'strict' },
    ).ok,
  );
});

test('writes webdav alone as name webdav + options + webdav, several protocols as multi', () => {
  const webdavOnly = valueOf(
    share.serialise({
      ...richShare,
      protocols: { webdav: richShare.protocols.webdav!, unknown: {} },
    }),
  ) as Record<string, unknown>;
  assert.deepEqual(webdavOnly.protocol, {
    name: 'webdav',
    options: { sharedSecret: 'hfiuhworzwnur98d3wjiwhr' },
    webdav: {
      uri: '7c084226',
      sharedSecret: 'hfiuhworzwnur98d3wjiwhr',
      permissions: ['read', 'write'],
    },
  });
  const all = share.serialise(richShare);
  assert.ok(all.ok);
  const protocol = (all.value as Record<string, Record<string, unknown>>).protocol!;
  assert.equal(protocol.name, 'multi');
  assert.deepEqual(protocol.webapp, {
    uriTemplate: 'https://sender.example.org/apps/ocm/7c084226',
    viewMode: 'read',
    sharedSecret: 'hfiuhworzwnur98d3wjiwhr',
  });
  assert.deepEqual(protocol.talk, { roomId: 'abc' });
  const dropped = all.warnings.map((w) => w.field);
  for (const f of [
    'protocols.webdav.requirements',
    'protocols.webdav.accessTypes',
    'protocols.ssh',
    'protocols.webapp.targets',
  ])
    assert.ok(dropped.includes(f), f);
});

test('invite acceptance carries recipientProvider as a URL', () => {
  const invite = ocm11Codec.inviteAccepted!;
  const parsed = valueOf(
    invite.parse(
      {
        recipientProvider: 'https://receiver.org',
        token: 'xyz',
        userID: '51dc',
        email: 'r@receiver.org',
        name: 'Richard',
      },
      { mode: 'strict' },
    ),
  );
  assert.equal(parsed.recipientProvider, 'receiver.org');
  assert.equal(parsed.recipientProviderUrl, 'https://receiver.org');
  assert.equal(
    (
      valueOf(invite.serialise({ ...parsed, recipientProviderUrl: undefined })) as Record<
        string,
        unknown
      >
    ).recipientProvider,
    'https://receiver.org',
  );
  assert.ok(
    !invite.parse(
      { recipientProvider: 'receiver.org', token: 'xyz', userID: 'u', email: 'e', name: 'n' },
      { mode: 'strict' },
    ).ok,
  );
  assert.deepEqual(
    valueOf(
      ocm11Codec.inviteAcceptedReply!.parse({
        userID: 9302,
        email: 'john@sender.org',
        name: 'John Doe',
      }),
    ),
    { userID: '9302', email: 'john@sender.org', name: 'John Doe' },
  );
});
