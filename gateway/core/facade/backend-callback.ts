/**
 * Flow 2 (DESIGN §3, legacy-protocols §1.4–1.8, §3.2): what one of the backend's callbacks means
 * for the ledger and the peer. A recipient's accept/decline/reshare request/undo/permission change
 * is about a share the backend RECEIVED (its `{id}` is the ledger alias); the owner's unshare is
 * about a share it SENT (its `{id}` is its own share id, the peer's providerId).
 */
import { knownNotificationType } from '../backend/plan-backend-notification.ts';
import type {
  KnownNotificationType,
  NotificationPayload,
} from '../model/canonical-notification.ts';
import type { LegacyCanonicalNotification } from '../dialects/ocs-common/ocs-codec-types.ts';
import { addressForPeer, type AddressContext } from '../outgoing/outgoing-address.ts';

export type CallbackDirection = 'incoming' | 'outgoing';
export type CallbackState = 'pending' | 'accepted' | 'declined' | 'unshared';

const DIRECTION: Partial<Record<KnownNotificationType, CallbackDirection>> = {
  SHARE_ACCEPTED: 'incoming',
  SHARE_DECLINED: 'incoming',
  REQUEST_RESHARE: 'incoming',
  RESHARE_UNDO: 'incoming',
  RESHARE_CHANGE_PERMISSION: 'incoming',
  SHARE_UNSHARED: 'outgoing',
};

const STATE_AFTER: Partial<Record<KnownNotificationType, CallbackState>> = {
  SHARE_ACCEPTED: 'accepted',
  SHARE_DECLINED: 'declined',
  SHARE_UNSHARED: 'unshared',
  RESHARE_UNDO: 'unshared',
};

export interface BackendCallback {
  readonly type: KnownNotificationType;
  /** Which ledger records the backend's id names. */
  readonly direction: CallbackDirection;
  /** The share's state once the peer is told (none: the share itself does not change). */
  readonly stateAfter: CallbackState | undefined;
}

/** Undefined for a type the backend never sends as a callback (USER_REMOVED, vendor types). */
export function readBackendCallback(notificationType: string): BackendCallback | undefined {
  const type = knownNotificationType(notificationType);
  if (type === undefined) return undefined;
  const direction = DIRECTION[type];
  if (direction === undefined) return undefined;
  return { type, direction, stateAfter: STATE_AFTER[type] };
}

/** The share as the peer knows it: its providerId and the secret the dialect authenticates with. */
export interface PeerShareRef {
  readonly providerId: string;
  readonly sharedSecret: string;
}

/**
 * The notification for the peer: the peer's providerId and the share's secret replace the
 * backend's id and token; a reshare recipient named through the facade gets its real address.
 */
export function notificationForPeer(
  fromBackend: LegacyCanonicalNotification,
  type: KnownNotificationType,
  share: PeerShareRef,
  addresses: AddressContext,
): LegacyCanonicalNotification {
  const given = fromBackend.notification;
  const payload: { -readonly [K in keyof NotificationPayload]: NotificationPayload[K] } = {
    sharedSecret: share.sharedSecret,
  };
  if (given.message !== undefined) payload.message = given.message;
  if (given.permissions !== undefined) payload.permissions = given.permissions;
  if (given.senderId !== undefined) payload.senderId = given.senderId;
  if (given.shareType !== undefined) payload.shareType = given.shareType;
  if (given.shareWith !== undefined) {
    payload.shareWith = addressForPeer(given.shareWith, addresses, 'ocm') ?? given.shareWith;
  }
  // The exact bitmask survives for legacy peers (OCM names lose `delete`).
  const bits = fromBackend.legacy?.permissionBits;
  return {
    notificationType: type,
    resourceType: fromBackend.resourceType ?? 'file',
    providerId: share.providerId,
    notification: payload,
    ...(bits === undefined ? {} : { legacy: { permissionBits: bits } }),
  };
}
