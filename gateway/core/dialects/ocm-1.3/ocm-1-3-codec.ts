/**
 * `ocm-1.3`: OCM 1.3 / draft-ietf-ocm-open-cloud-mesh-05: `accessTypes`, `ssh`, webapp `targets` +
 * `permissions`, form-encoded `tokenEndPoint` with `authorization_code`, OAuth errors, JWKS keys.
 */
import type { Codec } from '../../model/codec.ts';
import type { JsonValue } from '../../model/json-value.ts';
import { createOcmCodec } from '../ocm-common/ocm-codec.ts';
import { LENIENT_QUIRKS, type OcmDialectRules } from '../ocm-common/ocm-dialect-rules.ts';

export const ocm13Rules: OcmDialectRules = {
  id: 'ocm-1.3',
  title: 'OCM 1.3 / IETF draft-ietf-ocm-open-cloud-mesh-05',
  sources: [
    'ocm-spec/draft-ietf-ocm-open-cloud-mesh-05.md',
    'ocm-spec/spec-develop-64909db-1.2.2plus-ssh.yaml',
    'reference/ocm-versions.md §2, §3, §7, §8',
  ],
  share: {
    protocolForm: 'multi',
    senderRequired: true,
    senderKeys: 'sender',
    shareTypeEnum: true,
    expiration: true,
    code: false,
    webdavUri: true,
    requirements: 'v1.3',
    accessTypes: true,
    webdavUriAndSecretRequired: true,
    webapp: 'uri-permissions-targets',
    ssh: true,
    otherProtocols: true,
    addressWithoutPath: true,
  },
  shareCreated: {
    body: 'object',
    recipientUserId: false,
    recipientPublicKeys: true,
    displayNameRequired: true,
  },
  // The I-D text makes resourceType optional in notifications (the OpenAPI does not).
  notification: { resourceTypeRequired: false, emptyReply: 'object' },
  discovery: {
    paths: ['/.well-known/ocm'],
    apiVersion: '1.3.0',
    ownsApiVersion: (v) => /^1\.([3-9]|\d{2,})(\.\d+)?$/.test(v),
    resourceKey: 'resourceTypes',
    objectProtocols: true,
    capabilities: 'v1.3',
    criteria: true,
    cavagePublicKey: false,
    publicKeys: true,
    tokenEndPoint: true,
    inviteAcceptDialog: true,
    jwksUri: false,
    nextcloudVersion: false,
  },
  invite: 'fqdn',
  token: 'form-authorization-code',
  oauthErrors: true,
  quirks: [
    ...LENIENT_QUIRKS,
    'Strict mode: webdav `uri` and `sharedSecret` required; webapp needs an absolute `uri`, `targets`, `permissions`, `sharedSecret` and `must-exchange-token`; shareWith/owner/sender without a path.',
    'A webdav or webapp object that lacks what 1.3 requires is left out of a written share (with a warning); the share fails only if no protocol is left.',
  ],
};

export const ocm13Codec: Codec<JsonValue> = createOcmCodec(ocm13Rules);
