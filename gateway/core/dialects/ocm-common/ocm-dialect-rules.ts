/**
 * What distinguishes one OCM dialect from another, as data. The shared body codecs read these
 * rules, and the docs generator describes them, so behaviour and docs cannot drift apart.
 */
import type { OcmDialectId } from '../../model/dialect-id.ts';

/** How the `protocol` object of a share is written (ocm-versions §3.2). */
export type ProtocolForm =
  /** v1.0 / proposal1: `{name:"webdav", options:{sharedSecret,…}}` only. */
  | 'options'
  /** v1.1: `name:"webdav"` + `options` + `webdav` for one protocol, `multi` for several. */
  | 'named-with-options'
  /** 1.2: always `multi`; `options` kept for old receivers unless the share has requirements. */
  | 'multi-with-options'
  /** I-D-05: `multi` with typed protocol objects only. */
  | 'multi';

/** Generation of names for capabilities / criteria / requirements. */
export type NameGeneration = 'v1.1' | 'v1.2' | 'v1.3';

export type WebappStyle =
  'none' | 'uriTemplate-viewMode' | 'uri-viewMode' | 'uri-permissions-targets';

export interface OcmShareRules {
  readonly protocolForm: ProtocolForm;
  /** `sender` is required by this version (1.1+); 1.0 and proposal1 fall back to `owner`. */
  readonly senderRequired: boolean;
  /** Which key(s) carry the sender: spec `sender`, Nextcloud `sharedBy`, or both for unknown peers. */
  readonly senderKeys: 'sender' | 'sharedBy' | 'both';
  /** `shareType` must be one of user/group/federation (1.1+; 1.0 had no enum). */
  readonly shareTypeEnum: boolean;
  readonly expiration: boolean;
  /** pre-1.2 top-level `code`. */
  readonly code: boolean;
  /** The typed `webdav.uri` exists (1.1+). */
  readonly webdavUri: boolean;
  readonly requirements: NameGeneration | 'none';
  readonly accessTypes: boolean;
  /** webdav `uri` and `sharedSecret` required (I-D-05). */
  readonly webdavUriAndSecretRequired: boolean;
  readonly webapp: WebappStyle;
  readonly ssh: boolean;
  /** Protocols other than webdav/webapp/ssh travel raw (1.1+). */
  readonly otherProtocols: boolean;
  /** shareWith must be a strict OCM Address (no path) in strict mode. */
  readonly addressWithoutPath: boolean;
}

export interface OcmDiscoveryRules {
  /** Where this version serves the document (ocm-versions §2.1). */
  readonly paths: readonly string[];
  /** apiVersion written when the canonical one is not of this dialect. */
  readonly apiVersion: string;
  /** True when an advertised apiVersion belongs to this dialect. */
  readonly ownsApiVersion: (apiVersion: string) => boolean;
  /** ownCloud 10 writes the resource list under `shareTypes`. */
  readonly resourceKey: 'resourceTypes' | 'shareTypes' | 'both';
  /** `protocols` values may be objects (I-D-05 `webapp: {}`, `*-receive`). */
  readonly objectProtocols: boolean;
  readonly capabilities: NameGeneration | 'none';
  readonly criteria: boolean;
  /** draft-cavage `publicKey` (Nextcloud 31 puts it in 1.0-proposal1 / 1.1.0 documents too). */
  readonly cavagePublicKey: boolean;
  readonly publicKeys: boolean;
  readonly tokenEndPoint: boolean;
  readonly inviteAcceptDialog: boolean;
  readonly jwksUri: boolean;
  /** Nextcloud's non-spec `version`. */
  readonly nextcloudVersion: boolean;
}

export interface OcmDialectRules {
  readonly id: OcmDialectId;
  readonly variant?: string;
  readonly title: string;
  readonly sources: readonly string[];
  readonly share: OcmShareRules;
  readonly shareCreated: {
    /** ownCloud 10 answers `[]`. */
    readonly body: 'empty-array' | 'object';
    readonly recipientUserId: boolean;
    readonly recipientPublicKeys: boolean;
    readonly displayNameRequired: boolean;
  };
  readonly notification: {
    /** 1.2+ OpenAPI: `providerId` required in strict mode (always required by the canonical model). */
    readonly resourceTypeRequired: boolean;
    /** Body of a plain 201: `[]` (legacy servers) or `{}`. */
    readonly emptyReply: 'empty-array' | 'object';
  };
  readonly discovery: OcmDiscoveryRules;
  readonly invite: 'none' | 'url' | 'fqdn';
  readonly token: 'none' | 'json-ocm-grant' | 'form-authorization-code';
  readonly oauthErrors: boolean;
  readonly quirks: readonly string[];
}

/** Real-server deviations every OCM codec accepts in lenient mode (and refuses in strict mode). */
export const LENIENT_QUIRKS: readonly string[] = [
  'Addresses with a URL scheme after the @ (`bob@https://host/nc`, Nextcloud): the scheme is removed.',
  '`providerId`, `expiration`, `size` sent as JSON numbers / numeric strings; `enabled` as "true"/"false".',
  '`sharedBy` / `sharedByDisplayName` (Nextcloud) read as `sender` / `senderDisplayName`; a missing sender is the owner.',
  '`SHARE_CHANGE_PERMISSION` (ownCloud reva) read as `RESHARE_CHANGE_PERMISSION`, the spelling kept in `notificationTypeAlias`.',
  '`notification.messgage` (Nextcloud SHARE_UNSHARED) read as `message`.',
  'Discovery `shareTypes` array of resource objects (ownCloud 10) read as `resourceTypes`.',
  'Discovery protocol values as paths, absolute URIs or objects; capabilities with or without the leading slash, every historical spelling.',
  'A 201 body `[]` (ownCloud 10) for share creation and notifications.',
  'webapp `uriTemplate` (v1.1) and `uri` (1.2+) both read; `viewMode: "mfa-enforced"` (pre-1.2) read as the must-use-mfa requirement.',
  '`recipientProvider` as URL (v1.1) or FQDN (1.2+); token requests as JSON or form, either grant type.',
];
