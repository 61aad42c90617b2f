/**
 * The canonical share: a superset of the newest OCM Share Creation Notification (I-D-05 / 1.3,
 * "POST <endPoint>/shares"), plus a side-record for what only legacy (OCS) servers carry.
 */
import type { JsonObject, JsonValue } from './json-value.ts';

/** `identifier@host[:port]`; legacy cloud ids may also carry a path (`bob@host/nextcloud`). */
export type OcmAddressString = string;

export const SHARE_TYPES = ['user', 'group', 'federation'] as const;
export type ShareType = (typeof SHARE_TYPES)[number];

export const SHARE_PERMISSIONS = ['read', 'write', 'share'] as const;
export type SharePermission = (typeof SHARE_PERMISSIONS)[number];

export const ACCESS_TYPES = ['remote', 'datatx'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/** Requirement names as of I-D-05; older spellings (`mfa-enforced`) are normalised by the codecs. */
export const KNOWN_REQUIREMENTS = ['must-exchange-token', 'must-use-mfa'] as const;

export const WEBAPP_PERMISSIONS = ['view', 'read', 'write', 'share'] as const;
export type WebappPermission = (typeof WEBAPP_PERMISSIONS)[number];

export const WEBAPP_VIEW_MODES = ['view', 'read', 'write'] as const;
export type WebappViewMode = (typeof WEBAPP_VIEW_MODES)[number];

export const WEBAPP_TARGETS = ['blank', 'iframe'] as const;
export type WebappTarget = (typeof WEBAPP_TARGETS)[number];

export interface WebdavProtocol {
  /** Relative key (1.2+ preferred) or absolute URI, kept as sent: resolution needs discovery. */
  readonly uri?: string;
  readonly sharedSecret?: string;
  readonly permissions: readonly SharePermission[];
  /** Normalised names (`must-use-mfa`, `must-exchange-token`); unknown ones kept verbatim. */
  readonly requirements: readonly string[];
  readonly accessTypes?: readonly AccessType[];
  readonly size?: number;
  /** The OCS permission bitmask (1 read, 2 update, 4 create, 8 delete, 16 share) when a legacy server gave one. */
  readonly legacyPermissionsBits?: number;
  /** v1.0 `protocol.options` keys other than `sharedSecret` (e.g. the WebDAV property name in `permissions`). */
  readonly legacyOptions?: JsonObject;
  /** Keys of the `webdav` object this model does not know. */
  readonly extra?: JsonObject;
}

export interface WebappProtocol {
  /** 1.2+ `uri`; v1.1 called it `uriTemplate`. */
  readonly uri: string;
  /** I-D-05 `permissions`; derived from `viewMode` for older dialects. */
  readonly permissions: readonly WebappPermission[];
  /** 1.1–1.2 `viewMode` as received (kept so a round trip through an old dialect is exact). */
  readonly viewMode?: WebappViewMode;
  readonly targets?: readonly WebappTarget[];
  readonly sharedSecret?: string;
  readonly requirements?: readonly string[];
  readonly appName?: string;
  readonly appIconHint?: string;
  readonly mediaTypes?: readonly string[];
  readonly extra?: JsonObject;
}

export interface SshProtocol {
  /** `username@host.fqdn:port/resource/path`. */
  readonly uri: string;
  readonly accessTypes?: readonly AccessType[];
  readonly extra?: JsonObject;
}

export interface CanonicalProtocols {
  readonly webdav?: WebdavProtocol;
  readonly webapp?: WebappProtocol;
  readonly ssh?: SshProtocol;
  /** Any other protocol (1.1 `datatx`, vendor ones), raw, by key. */
  readonly unknown: Readonly<Record<string, JsonValue>>;
}

/** Fields only the pre-OCM OCS API carries, kept so a translation back to OCS loses nothing. */
export interface ShareLegacyRecord {
  /** Numeric alias of `providerId` for legacy receivers that cast ids to integers. */
  readonly remoteId?: number;
  /** Sender base URL with scheme, sub-path and trailing slash (`https://oc1.example.com/`). */
  readonly remote?: string;
  /** The owner's uid on the sending server (OCS `owner`). */
  readonly ownerUid?: string;
  /** The uid of the user who created the (re)share (OCS `sharedBy`). */
  readonly sharedByUid?: string;
  /** Nextcloud's integer share type (6 remote user, 9 remote group). */
  readonly shareTypeNumber?: number;
}

export interface CanonicalShare {
  /** Opaque sender-side id, unique per resource and per share. */
  readonly providerId: string;
  readonly shareWith: OcmAddressString;
  readonly name: string;
  readonly description?: string;
  /** Who owns the resource. */
  readonly owner: OcmAddressString;
  readonly ownerDisplayName?: string;
  /** Who created this share (differs from owner for re-shares). */
  readonly sender: OcmAddressString;
  readonly senderDisplayName?: string;
  readonly shareType: ShareType;
  /** Open list: `file`, `folder`, `calendar`, vendor types. */
  readonly resourceType: string;
  /** Seconds since the Unix epoch (UTC). */
  readonly expiration?: number;
  /** pre-1.2 top-level nonce to exchange at `<endPoint>/token`. */
  readonly code?: string;
  readonly protocols: CanonicalProtocols;
  readonly legacy?: ShareLegacyRecord;
  /** Top-level keys no dialect defines, kept verbatim. */
  readonly extra?: JsonObject;
}

/** The 201 answer to a share creation. */
export interface CanonicalShareCreated {
  /** Required from I-D-05 on. */
  readonly recipientDisplayName?: string;
  /** Nextcloud extension. */
  readonly recipientUserId?: string;
  /** 1.2.2+: required when the share offered `ssh`. */
  readonly recipientPublicKeys?: readonly string[];
  readonly extra?: JsonObject;
}
