/**
 * fast-check arbitraries for canonical messages. They produce values a parser could have produced
 * (unique lists, non-empty required strings, `extra` keys that collide with no wire field), so a
 * round trip can be compared field by field.
 */
import fc from 'fast-check';
import {
  CANONICAL_CAPABILITIES,
  CANONICAL_CRITERIA,
  type CanonicalDiscovery,
} from '../../../gateway/core/model/canonical-discovery.ts';
import type { CanonicalError } from '../../../gateway/core/model/canonical-error.ts';
import type {
  CanonicalInviteAcceptance,
  CanonicalInviteAcceptedReply,
} from '../../../gateway/core/model/canonical-invite.ts';
import {
  NOTIFICATION_TYPES,
  type CanonicalNotification,
  type CanonicalNotificationReply,
} from '../../../gateway/core/model/canonical-notification.ts';
import {
  ACCESS_TYPES,
  SHARE_PERMISSIONS,
  SHARE_TYPES,
  WEBAPP_PERMISSIONS,
  WEBAPP_TARGETS,
  WEBAPP_VIEW_MODES,
  type CanonicalShare,
  type CanonicalShareCreated,
  type SshProtocol,
  type WebappProtocol,
  type WebdavProtocol,
} from '../../../gateway/core/model/canonical-share.ts';
import type {
  CanonicalOAuthError,
  CanonicalTokenRequest,
  CanonicalTokenResponse,
} from '../../../gateway/core/model/canonical-token.ts';
import type { JsonObject, JsonValue } from '../../../gateway/core/model/json-value.ts';

/** Keys any wire object of ours uses: never generated as `extra` keys. */
const RESERVED = new Set([
  '__proto__',
  'constructor',
  'shareWith',
  'name',
  'description',
  'providerId',
  'owner',
  'ownerDisplayName',
  'sender',
  'senderDisplayName',
  'sharedBy',
  'sharedByDisplayName',
  'shareType',
  'resourceType',
  'expiration',
  'code',
  'protocol',
  'options',
  'uri',
  'uriTemplate',
  'sharedSecret',
  'permissions',
  'permission',
  'requirements',
  'accessTypes',
  'size',
  'viewMode',
  'targets',
  'appName',
  'appIconHint',
  'mediaTypes',
  'webdav',
  'webapp',
  'ssh',
  'notificationType',
  'notification',
  'message',
  'messgage',
  'senderId',
  'token',
  'recipientDisplayName',
  'recipientUserId',
  'recipientPublicKeys',
  'enabled',
  'apiVersion',
  'version',
  'endPoint',
  'provider',
  'resourceTypes',
  'shareTypes',
  'capabilities',
  'criteria',
  'publicKey',
  'publicKeys',
  'jwksUri',
  'tokenEndPoint',
  'inviteAcceptDialog',
  'multi',
]);

export const extraKey = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,11}$/)
  .filter((k) => !RESERVED.has(k));

export const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(extraKey, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;

export const jsonObject: fc.Arbitrary<JsonObject> = fc.dictionary(extraKey, json, {
  minKeys: 1,
  maxKeys: 3,
  noNullPrototype: true,
});
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });

/** Drops undefined members so generated values compare equal to parsed ones. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// No `--` inside a label: ajv-formats' url check refuses it; real hosts rarely have it.
const label = fc
  .stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/)
  .filter((l) => !l.includes('--'));
export const host = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('org', 'example', 'net'),
    optional(fc.integer({ min: 1024, max: 65535 })),
  )
  .map(
    ([labels, tld, port]) =>
      `${labels.join('.')}.${tld}${port === undefined ? '' : `:${String(port)}`}`,
  );
/** OCM Address; the identifier is opaque and may itself contain `@`. */
export const address = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9._@+-]{1,16}$/), host)
  .map(([id, h]) => `${id}@${h}`);
const nonEmpty = fc.string({ minLength: 1, maxLength: 24 });

const webdav: fc.Arbitrary<WebdavProtocol> = fc
  .record({
    uri: optional(fc.string({ maxLength: 40 })),
    sharedSecret: optional(nonEmpty),
    permissions: fc.subarray([...SHARE_PERMISSIONS]),
    requirements: fc.subarray(['must-exchange-token', 'must-use-mfa']),
    accessTypes: optional(fc.subarray([...ACCESS_TYPES], { minLength: 1 })),
    size: optional(fc.nat()),
    legacyOptions: optional(jsonObject),
    extra: optional(jsonObject),
  })
  .map(compact);

const webapp: fc.Arbitrary<WebappProtocol> = fc
  .record({
    uri: fc.webUrl(),
    permissions: fc.subarray([...WEBAPP_PERMISSIONS]),
    viewMode: optional(fc.constantFrom(...WEBAPP_VIEW_MODES)),
    targets: optional(fc.subarray([...WEBAPP_TARGETS], { minLength: 1 })),
    sharedSecret: optional(nonEmpty),
    requirements: optional(fc.subarray(['must-exchange-token', 'must-use-mfa'], { minLength: 1 })),
    appName: optional(fc.string()),
    appIconHint: optional(fc.constantFrom('application/pdf', 'text/plain')),
    mediaTypes: optional(
      fc.uniqueArray(fc.constantFrom('text/plain', 'image/png', 'application/pdf')),
    ),
    extra: optional(jsonObject),
  })
  .map(compact);

const ssh: fc.Arbitrary<SshProtocol> = fc
  .record({
    uri: fc.tuple(address, fc.stringMatching(/^\/[a-z0-9/]{0,12}$/)).map(([a, p]) => `${a}${p}`),
    accessTypes: optional(fc.subarray([...ACCESS_TYPES], { minLength: 1 })),
  })
  .map(compact);

export const share: fc.Arbitrary<CanonicalShare> = fc
  .record({
    providerId: nonEmpty,
    shareWith: address,
    name: nonEmpty,
    description: optional(fc.string()),
    owner: address,
    ownerDisplayName: optional(fc.string()),
    sender: address,
    senderDisplayName: optional(fc.string()),
    shareType: fc.constantFrom(...SHARE_TYPES),
    resourceType: fc.constantFrom('file', 'folder', 'calendar', 'talk-room'),
    expiration: optional(fc.integer({ min: 0, max: 4_000_000_000 })),
    code: optional(nonEmpty),
    protocols: fc
      .record({
        webdav: optional(webdav),
        webapp: optional(webapp),
        ssh: optional(ssh),
        unknown: fc.dictionary(extraKey, jsonObject, { maxKeys: 2, noNullPrototype: true }),
      })
      .map(compact),
    legacy: optional(fc.record({ remoteId: fc.nat(), remote: fc.webUrl() })),
    extra: optional(jsonObject),
  })
  .map(compact);

export const shareCreated: fc.Arbitrary<CanonicalShareCreated> = fc
  .record({
    recipientDisplayName: optional(fc.string()),
    recipientUserId: optional(fc.string()),
    recipientPublicKeys: optional(fc.uniqueArray(fc.string(), { maxLength: 2 })),
    extra: optional(jsonObject),
  })
  .map(compact);

const vendorType = fc
  .stringMatching(/^[A-Z][A-Z_]{2,19}$/)
  .filter((t) => t !== 'SHARE_CHANGE_PERMISSION');

export const notification: fc.Arbitrary<CanonicalNotification> = fc
  .record({
    notificationType: fc.oneof(fc.constantFrom(...NOTIFICATION_TYPES), vendorType),
    resourceType: optional(fc.constantFrom('file', 'user', 'talk-room')),
    providerId: nonEmpty,
    notification: fc
      .record({
        sharedSecret: optional(nonEmpty),
        message: optional(fc.string()),
        shareWith: optional(address),
        senderId: optional(fc.string()),
        shareType: optional(fc.oneof(fc.string(), fc.integer())),
        permissions: optional(fc.uniqueArray(fc.constantFrom('read', 'write', 'share', 'delete'))),
        extra: optional(jsonObject),
      })
      .map(compact),
    extra: optional(jsonObject),
  })
  .map(compact);

export const notificationReply: fc.Arbitrary<CanonicalNotificationReply> = fc
  .record({
    reshare: optional(
      fc
        .record({
          sharedSecret: fc.string(),
          providerId: fc.oneof(fc.nat().map(String), fc.string()),
          providerIdIsNumber: optional(fc.constant(true)),
        })
        .map(compact),
    ),
    extra: optional(jsonObject),
  })
  .map(compact);

export const discovery: fc.Arbitrary<CanonicalDiscovery> = fc
  .record({
    enabled: fc.boolean(),
    apiVersion: fc.constantFrom('1.0-proposal1', '1.0.0', '1.1.0', '1.2.1', '1.3.0', '1.4.0'),
    version: optional(fc.string()),
    endPoint: fc.webUrl(),
    provider: optional(fc.string()),
    resourceTypes: fc.array(
      fc.record({
        name: nonEmpty,
        shareTypes: fc.subarray(['user', 'group', 'federation']),
        protocols: fc.dictionary(
          extraKey,
          fc.oneof(fc.string(), fc.constant({}), fc.constant({ uri: 'relative' })),
          { noNullPrototype: true },
        ),
      }),
      { maxLength: 2 },
    ),
    capabilities: fc.subarray([...CANONICAL_CAPABILITIES]),
    criteria: fc.subarray([...CANONICAL_CRITERIA]),
    publicKey: optional(fc.record({ keyId: fc.webUrl(), publicKeyPem: nonEmpty })),
    publicKeys: fc.array(
      fc
        .record({
          keyId: fc.webUrl(),
          publicKeyPem: nonEmpty,
          algorithm: optional(fc.constantFrom('ed25519', 'rsa-v1_5-sha256')),
        })
        .map(compact),
      { maxLength: 2 },
    ),
    jwksUri: optional(fc.webUrl()),
    tokenEndPoint: optional(fc.webUrl()),
    inviteAcceptDialog: optional(fc.constantFrom('/ocm/accept', 'https://x.org/accept')),
    extra: optional(jsonObject),
  })
  .map(compact);

export const inviteAcceptance: fc.Arbitrary<CanonicalInviteAcceptance> = host.chain((h) =>
  fc
    .record({
      recipientProvider: fc.constant(h),
      recipientProviderUrl: optional(fc.constant(`https://${h}`)),
      token: nonEmpty,
      userID: nonEmpty,
      email: fc.string(),
      name: fc.string(),
    })
    .map(compact),
);

export const inviteAcceptedReply: fc.Arbitrary<CanonicalInviteAcceptedReply> = fc.record({
  userID: nonEmpty,
  email: fc.string(),
  name: fc.string(),
});

export const tokenRequest: fc.Arbitrary<CanonicalTokenRequest> = fc.record({
  grantType: fc.constantFrom('authorization_code', 'ocm_authorization_code'),
  clientId: host,
  code: nonEmpty,
});

export const tokenResponse: fc.Arbitrary<CanonicalTokenResponse> = fc
  .record({
    accessToken: nonEmpty,
    tokenType: fc.constantFrom('bearer', 'Bearer'),
    expiresIn: optional(fc.nat()),
    refreshToken: optional(fc.string()),
  })
  .map(compact);

export const oauthError: fc.Arbitrary<CanonicalOAuthError> = fc
  .record({
    error: fc.constantFrom('invalid_request', 'invalid_grant', 'vendor_error'),
    errorDescription: optional(fc.string()),
  })
  .map(compact);

export const ocmError: fc.Arbitrary<CanonicalError> = fc.record({
  message: fc.string(),
  validationErrors: fc.array(fc.record({ name: fc.string(), message: fc.string() }), {
    maxLength: 2,
  }),
});
