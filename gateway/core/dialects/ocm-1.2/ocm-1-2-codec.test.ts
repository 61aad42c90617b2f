// Covers the pre-1.2 / 1.2.x rules (spec-pr158-…yaml examples are checked in test/contract/ocm-conformance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  richDiscovery,
  richShare,
  valueOf,
} from '../../../../test/contract/ocm-conformance/canonical-samples.ts';
import { ocm12Codec } from './ocm-1-2-codec.ts';

const share = ocm12Codec.shareCreate!;

test('writes multi; options.sharedSecret only when the share has no requirements', () => {
  const withReq = valueOf(share.serialise(richShare)) as Record<string, Record<string, unknown>>;
  assert.equal(withReq.protocol!.name, 'multi');
  assert.equal(withReq.protocol!.options, undefined);
  assert.deepEqual(withReq.protocol!.webdav, {
    uri: '7c084226',
    sharedSecret: 'hfiuhworzwnur98d3wjiwhr',
    permissions: ['read', 'write'],
    requirements: ['must-exchange-token'],
  });
  assert.deepEqual(withReq.protocol!.webapp, {
    uri: 'https://sender.example.org/apps/ocm/7c084226',
    viewMode: 'read',
    sharedSecret: 'hfiuhworzwnur98d3wjiwhr',
  });
  const plain = { ...richShare.protocols.webdav!, requirements: [] };
  const noReq = valueOf(
    share.serialise({ ...richShare, protocols: { webdav: plain, unknown: {} } }),
  ) as Record<string, Record<string, unknown>>;
  assert.deepEqual(noReq.protocol!.options, { sharedSecret: 'hfiuhworzwnur98d3wjiwhr' });
});

test('pre-1.2 spellings are read: mfa-enforced, code, webapp viewMode mfa-enforced', () => {
  const parsed = valueOf(
    share.parse(
      {
        shareWith: 'a@b.org',
        name: 'n',
        providerId: 'p',
        owner: 'o@b.org',
        sender: 's@b.org',
        shareType: 'user',
        resourceType: 'file',
        code: 'nonce',
        protocol: {
          name: 'multi',
          webdav: { uri: 'k', permissions: ['read'], requirements: ['mfa-enforced'] },
          webapp: { uri: 'k', viewMode: 'mfa-enforced' },
        },
      },
      { mode: 'strict' },
    ),
  );
  assert.equal(parsed.code, 'nonce');
  assert.deepEqual(parsed.protocols.webdav?.requirements, ['must-use-mfa']);
  assert.deepEqual(parsed.protocols.webapp?.requirements, ['must-use-mfa']);
});

test('discovery: kebab names of 1.2.2, cavage key with keyId, object protocols dropped', () => {
  const written = ocm12Codec.discovery!.serialise({
    ...richDiscovery,
    publicKey: { keyId: 'https://s/ocm#signature', publicKeyPem: 'PEM' },
  });
  assert.ok(written.ok);
  const doc = written.value as Record<string, unknown>;
  assert.equal(doc.apiVersion, '1.2.2');
  assert.deepEqual(doc.capabilities, [
    'notifications',
    'invites',
    'exchange-token',
    'http-sig',
    'enforce-mfa',
  ]);
  assert.deepEqual(doc.criteria, ['http-request-signatures', 'token-exchange']);
  assert.deepEqual(doc.publicKey, { keyId: 'https://s/ocm#signature', publicKeyPem: 'PEM' });
  assert.deepEqual((doc.resourceTypes as { protocols: unknown }[])[0]?.protocols, {
    webdav: '/remote.php/dav/ocm/',
  });
  assert.ok(written.warnings.some((w) => w.field === 'resourceTypes[0].protocols.webapp'));
  const back = valueOf(ocm12Codec.discovery!.parse(doc, { mode: 'strict' }));
  assert.deepEqual(back.capabilities, richDiscovery.capabilities);
  assert.deepEqual(back.criteria, richDiscovery.criteria);
  const pre = valueOf(
    ocm12Codec.discovery!.parse({
      ...doc,
      capabilities: ['/mfa-capable', 'receive-code'],
      publicKey: { id: 'https://s/ocm#signature', publicKeyPem: 'PEM' },
    }),
  );
  assert.deepEqual(pre.capabilities, ['enforce-mfa', 'exchange-token']);
  assert.equal(pre.publicKey?.keyId, 'https://s/ocm#signature');
});

test('token exchange: JSON, ocm_authorization_code, bearer, refresh token', () => {
  const request = ocm12Codec.tokenRequest!;
  assert.deepEqual(
    valueOf(
      request.serialise({ grantType: 'authorization_code', clientId: 'receiver.org', code: 'xyz' }),
    ),
    { grant_type: 'ocm_authorization_code', client_id: 'receiver.org', code: 'xyz' },
  );
  assert.ok(
    request.parse(
      { grant_type: 'ocm_authorization_code', client_id: 'r.org', code: 'x' },
      { mode: 'strict' },
    ).ok,
  );
  assert.ok(
    !request.parse(
      { grant_type: 'authorization_code', client_id: 'r.org', code: 'x' },
      { mode: 'strict' },
    ).ok,
  );
  assert.ok(request.parse('grant_type=authorization_code&client_id=r.org&code=x').ok);
  const response = ocm12Codec.tokenResponse!;
  const parsed = valueOf(
    response.parse(
      { access_token: 'a', token_type: 'bearer', expires_in: 3600, refresh_token: 'r' },
      { mode: 'strict' },
    ),
  );
  assert.deepEqual(parsed, {
    accessToken: 'a',
    tokenType: 'bearer',
    expiresIn: 3600,
    refreshToken: 'r',
  });
  assert.deepEqual(valueOf(response.serialise({ ...parsed, tokenType: 'Bearer' })), {
    access_token: 'a',
    token_type: 'bearer',
    expires_in: 3600,
    refresh_token: 'r',
  });
  assert.equal(ocm12Codec.tokenError, undefined);
});

test('invite acceptance: FQDN, all fields required', () => {
  const invite = ocm12Codec.inviteAccepted!;
  assert.ok(
    invite.parse(
      { recipientProvider: 'receiver.org', token: 't', userID: 'u', email: 'e', name: 'n' },
      { mode: 'strict' },
    ).ok,
  );
  assert.ok(
    !invite.parse(
      { recipientProvider: 'https://receiver.org', token: 't', userID: 'u', email: 'e', name: 'n' },
      { mode: 'strict' },
    ).ok,
  );
  const missing = invite.parse({ recipientProvider: 'receiver.org', token: 't' });
  assert.ok(!missing.ok);
  assert.deepEqual(
    missing.issues.map((i) => i.field),
    ['userID', 'email', 'name'],
  );
});
