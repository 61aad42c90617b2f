/**
 * `ocm-1.2`: OCM 1.2.0–1.2.2 (pre-1.2 spec of Oct 2024 + 1.2.x renames): `/.well-known/ocm`, relative
 * `webdav.uri`, `requirements`, cavage `publicKey`, kebab capabilities/criteria, `<endPoint>/token` JSON.
 */
import type { Codec } from '../../model/codec.ts';
import type { JsonValue } from '../../model/json-value.ts';
import { createOcmCodec } from '../ocm-common/ocm-codec.ts';
import { LENIENT_QUIRKS, type OcmDialectRules } from '../ocm-common/ocm-dialect-rules.ts';

export const ocm12Rules: OcmDialectRules = {
  id: 'ocm-1.2',
  title: 'OCM 1.2.x',
  sources: [
    'ocm-spec/spec-pr158-merge-2024-10-24-pre-v1.2.0.yaml + draft-IETF-RFC-pr158-merge-…md',
    'ocm-spec/spec-develop-64909db-1.2.2plus-ssh.yaml (1.2.2 names for capabilities, criteria, requirements)',
    'reference/ocm-versions.md §2, §3, §6, §8',
  ],
  share: {
    protocolForm: 'multi-with-options',
    senderRequired: true,
    senderKeys: 'sender',
    shareTypeEnum: true,
    expiration: true,
    code: true,
    webdavUri: true,
    requirements: 'v1.2',
    accessTypes: false,
    webdavUriAndSecretRequired: false,
    webapp: 'uri-viewMode',
    ssh: false,
    otherProtocols: true,
    addressWithoutPath: false,
  },
  shareCreated: {
    body: 'object',
    recipientUserId: true,
    recipientPublicKeys: true,
    displayNameRequired: false,
  },
  notification: { resourceTypeRequired: true, emptyReply: 'object' },
  discovery: {
    paths: ['/.well-known/ocm', '/ocm-provider'],
    apiVersion: '1.2.2',
    ownsApiVersion: (v) => /^1\.2(\.\d+)?$/.test(v),
    resourceKey: 'resourceTypes',
    objectProtocols: false,
    capabilities: 'v1.2',
    criteria: true,
    cavagePublicKey: true,
    publicKeys: true,
    tokenEndPoint: true,
    inviteAcceptDialog: true,
    jwksUri: true,
    nextcloudVersion: true,
  },
  invite: 'fqdn',
  token: 'json-ocm-grant',
  oauthErrors: false,
  quirks: [
    ...LENIENT_QUIRKS,
    'Names written are the 1.2.2 ones (`must-use-mfa`, `exchange-token`, `http-request-signatures`); pre-1.2 spellings (`mfa-enforced`, `/mfa-capable`, `receive-code`) are read.',
    'pre-1.2 `publicKey.id` is read as `keyId`; `keyId` is written (Nextcloud and 1.2.2 spell it so).',
  ],
};

export const ocm12Codec: Codec<JsonValue> = createOcmCodec(ocm12Rules);
