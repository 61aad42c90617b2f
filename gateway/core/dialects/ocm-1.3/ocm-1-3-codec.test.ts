// Covers draft-ietf-ocm-open-cloud-mesh-05 rules (1.2.2+ spec examples are checked in test/contract/ocm-conformance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  richDiscovery,
  richShare,
  valueOf,
} from '../../../../test/contract/ocm-conformance/canonical-samples.ts';
import { ocm13Codec } from './ocm-1-3-codec.ts';

const share = ocm13Codec.shareCreate!;

function withoutKey(key: string, record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

test('a rich share round-trips exactly', () => {
  const wire = valueOf(share.serialise(richShare));
  assert.deepEqual(valueOf(share.parse(wire, { mode: 'strict' })), richShare);
  const protocol = (wire as Record<string, Record<string, unknown>>).protocol!;
  assert.equal(protocol.name, 'multi');
  assert.equal(protocol.options, undefined);
  assert.deepEqual(protocol.ssh, {
    uri: 'extuser@sender.example.org:22/7c084226',
    accessTypes: ['datatx'],
  });
});

test('strict mode enforces the I-D-05 requirements', () => {
  const wire = valueOf(share.serialise(richShare)) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  const webdavNoUri = withoutKey('uri', wire.protocol!.webdav!);
  const noUri = { ...wire, protocol: { ...wire.protocol, webdav: webdavNoUri } };
  assert.ok(!share.parse(noUri, { mode: 'strict' }).ok);
  assert.ok(share.parse(noUri).ok);
  const webappNoTargets = withoutKey('targets', wire.protocol!.webapp!);
  const strict = share.parse(
    { ...wire, protocol: { ...wire.protocol, webapp: webappNoTargets } },
    { mode: 'strict' },
  );
  assert.ok(!strict.ok && strict.issues.some((i) => i.field === 'protocol.webapp.targets'));
  assert.ok(!share.parse({ ...wire, shareWith: 'bob@host.org/nextcloud' }, { mode: 'strict' }).ok);
});

test('a protocol that lacks what 1.3 needs is left out; none left is an error', () => {
  const legacyWebdav = { sharedSecret: 's', permissions: [], requirements: [] } as const;
  const result = share.serialise({
    ...richShare,
    protocols: { webdav: legacyWebdav, ssh: richShare.protocols.ssh!, unknown: {} },
  });
  assert.ok(result.ok);
  assert.equal(
    (result.value as Record<string, Record<string, unknown>>).protocol!.webdav,
    undefined,
  );
  assert.ok(result.warnings.some((w) => w.field === 'protocols.webdav'));
  const none = share.serialise({ ...richShare, protocols: { webdav: legacyWebdav, unknown: {} } });
  assert.ok(!none.ok);
});

test('201 answer: recipientDisplayName required, ownCloud [] refused strictly', () => {
  const created = ocm13Codec.shareCreated!;
  assert.ok(!created.serialise({}).ok);
  assert.deepEqual(
    valueOf(
      created.serialise({ recipientDisplayName: 'Bob', recipientPublicKeys: ['ssh-ed25519 AAA'] }),
    ),
    { recipientDisplayName: 'Bob', recipientPublicKeys: ['ssh-ed25519 AAA'] },
  );
  assert.ok(!created.parse([], { mode: 'strict' }).ok);
  assert.ok(created.parse([]).ok);
});

test('discovery keeps object protocols and writes I-D-05 names, no cavage key', () => {
  const written = ocm13Codec.discovery!.serialise({
    ...richDiscovery,
    publicKey: { keyId: 'k', publicKeyPem: 'p' },
  });
  assert.ok(written.ok);
  const doc = written.value as Record<string, unknown>;
  assert.deepEqual(doc.criteria, ['must-use-http-sig', 'must-exchange-token']);
  assert.equal(doc.publicKey, undefined);
  assert.ok(written.warnings.some((w) => w.field === 'publicKey'));
  assert.deepEqual(valueOf(ocm13Codec.discovery!.parse(doc, { mode: 'strict' })), {
    ...richDiscovery,
    resourceTypesKey: 'resourceTypes',
    capabilitiesRaw: richDiscovery.capabilities,
    criteriaRaw: richDiscovery.criteria,
  });
});

test('token exchange: form-encoded authorization_code, Bearer, OAuth errors', () => {
  const request = ocm13Codec.tokenRequest!;
  const wire = valueOf(
    request.serialise({
      grantType: 'ocm_authorization_code',
      clientId: 'receiver.org',
      code: 'secret',
    }),
  );
  assert.deepEqual(wire, {
    grant_type: 'authorization_code',
    client_id: 'receiver.org',
    code: 'secret',
  });
  assert.deepEqual(
    valueOf(
      request.parse(new URLSearchParams(wire as Record<string, string>).toString(), {
        mode: 'strict',
      }),
    ),
    { grantType: 'authorization_code', clientId: 'receiver.org', code: 'secret' },
  );
  assert.ok(
    !request.parse(
      { grant_type: 'ocm_authorization_code', client_id: 'r', code: 'c' },
      { mode: 'strict' },
    ).ok,
  );
  const response = ocm13Codec.tokenResponse!;
  const written = response.serialise({
    accessToken: 'a',
    tokenType: 'bearer',
    expiresIn: 300,
    refreshToken: 'r',
  });
  assert.ok(written.ok);
  assert.deepEqual(written.value, { access_token: 'a', token_type: 'Bearer', expires_in: 300 });
  assert.ok(written.warnings.some((w) => w.field === 'refreshToken'));
  assert.ok(!response.parse({ access_token: 'a', token_type: 'Bearer' }, { mode: 'strict' }).ok);
  const error = ocm13Codec.tokenError!;
  assert.deepEqual(
    valueOf(error.serialise({ error: 'invalid_grant', errorDescription: 'expired' })),
    { error: 'invalid_grant', error_description: 'expired' },
  );
  assert.deepEqual(valueOf(error.parse({ error: 'invalid_client' })), { error: 'invalid_client' });
});

test('notification resourceType is optional in the I-D text', () => {
  assert.ok(
    ocm13Codec.notification!.parse(
      { notificationType: 'SHARE_ACCEPTED', providerId: 'p' },
      { mode: 'strict' },
    ).ok,
  );
});
