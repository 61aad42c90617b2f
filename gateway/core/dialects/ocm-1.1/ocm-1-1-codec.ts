/**
 * `ocm-1.1`: OCM v1.1.0 (2023-05-15; spec-v1.1.0.yaml + README): `/ocm-provider`, multi protocol,
 * `options` deprecated but accepted, `"/notifications"` style capabilities, `/invite-accepted` with a URL.
 */
import type { Codec } from '../../model/codec.ts';
import type { JsonValue } from '../../model/json-value.ts';
import { createOcmCodec } from '../ocm-common/ocm-codec.ts';
import { LENIENT_QUIRKS, type OcmDialectRules } from '../ocm-common/ocm-dialect-rules.ts';

export const ocm11Rules: OcmDialectRules = {
  id: 'ocm-1.1',
  title: 'OCM 1.1.0 (also what Nextcloud 31/32 advertise as apiVersion 1.1.0)',
  sources: [
    'ocm-spec/spec-v1.1.0.yaml',
    'ocm-spec/draft-README-v1.1.0.md',
    'legacy-fixtures/discovery-ocm-provider-nextcloud31.json',
  ],
  share: {
    protocolForm: 'named-with-options',
    senderRequired: true,
    senderKeys: 'sender',
    shareTypeEnum: true,
    expiration: true,
    code: false,
    webdavUri: true,
    requirements: 'none',
    accessTypes: false,
    webdavUriAndSecretRequired: false,
    webapp: 'uriTemplate-viewMode',
    ssh: false,
    otherProtocols: true,
    addressWithoutPath: false,
  },
  shareCreated: {
    body: 'object',
    recipientUserId: true,
    recipientPublicKeys: false,
    displayNameRequired: false,
  },
  notification: { resourceTypeRequired: true, emptyReply: 'object' },
  discovery: {
    paths: ['/ocm-provider'],
    apiVersion: '1.1.0',
    ownsApiVersion: (v) => /^1\.1(\.\d+)?$/.test(v),
    resourceKey: 'resourceTypes',
    objectProtocols: false,
    capabilities: 'v1.1',
    criteria: false,
    // Nextcloud 31 adds its cavage key, provider version and invite dialog to a 1.1.0 document.
    cavagePublicKey: true,
    publicKeys: false,
    tokenEndPoint: false,
    inviteAcceptDialog: true,
    jwksUri: false,
    nextcloudVersion: true,
  },
  invite: 'url',
  token: 'none',
  oauthErrors: false,
  quirks: [
    ...LENIENT_QUIRKS,
    'A single webdav share is written `name:"webdav"` with both `options.sharedSecret` and `webdav` (the spec example), so Nextcloud receivers that read only `options` still work.',
    'Capabilities other than `/notifications` and `/invite-accepted` (e.g. Nextcloud `/shares`) are read and kept, not written.',
  ],
};

export const ocm11Codec: Codec<JsonValue> = createOcmCodec(ocm11Rules);
