/** The canonical OCM notification (POST <endPoint>/notifications, I-D-05 / 1.2.2+ OpenAPI) and its 201 reply. */
import type { JsonObject } from './json-value.ts';
import type { OcmAddressString } from './canonical-share.ts';

export const NOTIFICATION_TYPES = [
  'SHARE_ACCEPTED',
  'SHARE_DECLINED',
  'SHARE_UNSHARED',
  'REQUEST_RESHARE',
  'RESHARE_UNDO',
  'RESHARE_CHANGE_PERMISSION',
  'USER_REMOVED',
] as const;
export type KnownNotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Spellings real servers send for a known type (ownCloud reva: SHARE_CHANGE_PERMISSION). */
export const NOTIFICATION_TYPE_ALIASES: Readonly<Record<string, KnownNotificationType>> = {
  SHARE_CHANGE_PERMISSION: 'RESHARE_CHANGE_PERMISSION',
};

export function isKnownNotificationType(value: string): value is KnownNotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

export interface NotificationPayload {
  /** How legacy servers authenticate a notification. */
  readonly sharedSecret?: string;
  readonly message?: string;
  /** REQUEST_RESHARE: the new recipient's cloud id. */
  readonly shareWith?: OcmAddressString;
  /** REQUEST_RESHARE: the requester's own new share id (legacy `remoteId`). */
  readonly senderId?: string;
  /** REQUEST_RESHARE (Nextcloud): the integer share type, or a string one. */
  readonly shareType?: string | number;
  /** RESHARE_CHANGE_PERMISSION: names (`read`, `write`, `share`), kept open for vendor values. */
  readonly permissions?: readonly string[];
  /** Which key carried the permissions (`permission` for OC 10 / Nextcloud). */
  readonly permissionsKey?: 'permission' | 'permissions';
  /** Nextcloud's SHARE_UNSHARED sends the misspelt key `messgage`. */
  readonly messageKey?: 'message' | 'messgage';
  /** Keys not listed above (reva `grantee`, `protocol`, vendor data), verbatim. */
  readonly extra?: JsonObject;
}

export interface CanonicalNotification {
  /** A KnownNotificationType or a vendor type (`SYNC_CALENDAR`, `MESSAGE_POSTED`…) kept as is. */
  readonly notificationType: string;
  /** The spelling that came in when it was an alias (`SHARE_CHANGE_PERMISSION`). */
  readonly notificationTypeAlias?: string;
  /** Required in the OpenAPI, optional in the I-D text. */
  readonly resourceType?: string;
  readonly providerId: string;
  readonly notification: NotificationPayload;
  /** Top-level keys no dialect defines (v1.0's undefined `message`, vendor data), verbatim. */
  readonly extra?: JsonObject;
}

/** The REQUEST_RESHARE answer: Nextcloud reads `token`, ownCloud `sharedSecret`; we write both. */
export interface CanonicalReshareReply {
  readonly sharedSecret: string;
  readonly providerId: string;
  /** The peer sent providerId as a JSON number (legacy int id); repeat that shape. */
  readonly providerIdIsNumber?: boolean;
}

/** The 201 body of /notifications: usually empty, a reshare reply for REQUEST_RESHARE. */
export interface CanonicalNotificationReply {
  readonly reshare?: CanonicalReshareReply;
  readonly extra?: JsonObject;
}
