/** `ocm-1.0`: OCM v1.0.0 (tag 2020-07-01, ocm-spec/spec-v1.0.0.yaml): `name:"webdav"` + `options`, optional sender. */
import type { Codec } from '../../model/codec.ts';
import type { JsonValue } from '../../model/json-value.ts';
import { createOcmCodec } from '../ocm-common/ocm-codec.ts';
import { LENIENT_QUIRKS, type OcmDialectRules } from '../ocm-common/ocm-dialect-rules.ts';

export const ocm10Rules: OcmDialectRules = {
  id: 'ocm-1.0',
  title: 'OCM 1.0.0',
  sources: [
    'ocm-spec/spec-v1.0.0.yaml',
    'ocm-spec/draft-README-v1.0.0.md',
    'reference/ocm-versions.md §3, §4',
  ],
  share: {
    protocolForm: 'options',
    senderRequired: false,
    senderKeys: 'sender',
    shareTypeEnum: false,
    expiration: false,
    code: false,
    webdavUri: false,
    requirements: 'none',
    accessTypes: false,
    webdavUriAndSecretRequired: false,
    webapp: 'none',
    ssh: false,
    otherProtocols: false,
    addressWithoutPath: false,
  },
  shareCreated: {
    body: 'object',
    recipientUserId: false,
    recipientPublicKeys: false,
    displayNameRequired: false,
  },
  notification: { resourceTypeRequired: true, emptyReply: 'object' },
  discovery: {
    paths: ['/ocm-provider'],
    apiVersion: '1.0.0',
    ownsApiVersion: (v) => /^1\.0(\.\d+)?$/.test(v),
    resourceKey: 'resourceTypes',
    objectProtocols: false,
    capabilities: 'none',
    criteria: false,
    cavagePublicKey: false,
    publicKeys: false,
    tokenEndPoint: false,
    inviteAcceptDialog: false,
    jwksUri: false,
    nextcloudVersion: false,
  },
  invite: 'none',
  token: 'none',
  oauthErrors: false,
  quirks: [
    ...LENIENT_QUIRKS,
    'The spec lists `permission` (shares) and `message` (notifications) as required but never defines them: not enforced, not written.',
    'v1.0 has no discovery endpoint in the spec; the document follows the `/ocm-provider` practice of the time.',
  ],
};

export const ocm10Codec: Codec<JsonValue> = createOcmCodec(ocm10Rules);
