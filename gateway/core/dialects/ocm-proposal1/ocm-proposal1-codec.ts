/**
 * `ocm-proposal1`: the pre-1.0 OCM draft as Nextcloud 14–30 and ownCloud 10.1+ put it on the wire
 * (apiVersion "1.0-proposal1"; legacy-protocols §2.3, §3). Three variants differ only in what they write.
 */
import type { Codec } from '../../model/codec.ts';
import type { JsonValue } from '../../model/json-value.ts';
import { createOcmCodec } from '../ocm-common/ocm-codec.ts';
import { LENIENT_QUIRKS, type OcmDialectRules } from '../ocm-common/ocm-dialect-rules.ts';

/** `nextcloud`: sharedBy + resourceTypes; `owncloud10`: sender + shareTypes + `[]`; `compat`: both spellings. */
export type Proposal1Variant = 'compat' | 'nextcloud' | 'owncloud10';

export function ocmProposal1Rules(variant: Proposal1Variant): OcmDialectRules {
  const nextcloud = variant !== 'owncloud10';
  const owncloud = variant !== 'nextcloud';
  return {
    id: 'ocm-proposal1',
    variant,
    title: {
      compat: 'OCM 1.0-proposal1, written for both Nextcloud and ownCloud 10 receivers',
      nextcloud: 'OCM 1.0-proposal1, Nextcloud 14–30 flavour',
      owncloud10: 'OCM 1.0-proposal1, ownCloud 10.1+ flavour',
    }[variant],
    sources: [
      'reference/legacy-protocols.md §2.3, §3 (Nextcloud cloud_federation_api, ownCloud 10 OcmController)',
      'ocm-spec/spec-v1.0.0.yaml (the draft it was merged as)',
      'legacy-fixtures: ocm-nextcloud-create-share.json, ocm-owncloud10-create-share.json, ocm-notification-*.json, discovery-ocm-provider-nextcloud14.json, discovery-ocm-provider-owncloud10.json',
    ],
    share: {
      protocolForm: 'options',
      senderRequired: false,
      senderKeys: variant === 'compat' ? 'both' : nextcloud ? 'sharedBy' : 'sender',
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
      body: variant === 'owncloud10' ? 'empty-array' : 'object',
      recipientUserId: nextcloud,
      recipientPublicKeys: false,
      displayNameRequired: false,
    },
    notification: { resourceTypeRequired: true, emptyReply: 'empty-array' },
    discovery: {
      paths: ['/ocm-provider/'],
      apiVersion: '1.0-proposal1',
      // Nextcloud 14–27 use OCM only when apiVersion is exactly this string.
      ownsApiVersion: (v) => v === '1.0-proposal1',
      resourceKey: variant === 'compat' ? 'both' : owncloud ? 'shareTypes' : 'resourceTypes',
      objectProtocols: false,
      capabilities: 'none',
      criteria: false,
      cavagePublicKey: nextcloud,
      publicKeys: false,
      tokenEndPoint: false,
      inviteAcceptDialog: false,
      jwksUri: false,
      nextcloudVersion: nextcloud,
    },
    invite: 'none',
    token: 'none',
    oauthErrors: false,
    quirks: [
      ...LENIENT_QUIRKS,
      'Written share: `protocol.options.sharedSecret` is required (ownCloud 10 answers 400 without it).',
      'Nextcloud sends `sharedBy`, ownCloud 10 `sender`; each ignores the other, so `compat` writes both.',
      'A reshare reply is written with both `token` (Nextcloud) and `sharedSecret` (ownCloud 10).',
    ],
  };
}

export const ocmProposal1Codec: Codec<JsonValue> = createOcmCodec(ocmProposal1Rules('compat'));
export const ocmProposal1NextcloudCodec: Codec<JsonValue> = createOcmCodec(
  ocmProposal1Rules('nextcloud'),
);
export const ocmProposal1Owncloud10Codec: Codec<JsonValue> = createOcmCodec(
  ocmProposal1Rules('owncloud10'),
);
