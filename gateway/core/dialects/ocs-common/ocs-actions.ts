/**
 * Legacy OCS actions ↔ OCM notification types, the table Nextcloud ≥ 14 applies internally
 * (legacy-protocols.md §3.2–3.3). `move` has no OCM equivalent; `reshare_undo` is Nextcloud's
 * name for `revoke` (its legacy fallback posts to a route no server has, §1.8).
 */
import type { KnownNotificationType } from '../../model/index.ts';

export const OCS_NOTIFICATION_ACTIONS = [
  'accept',
  'decline',
  'unshare',
  'reshare',
  'permissions',
  'revoke',
] as const;
export type OcsNotificationAction = (typeof OCS_NOTIFICATION_ACTIONS)[number];

export const NEXTCLOUD_RESHARE_UNDO_ACTION = 'reshare_undo';

export const OCS_ACTION_TO_NOTIFICATION: Readonly<
  Record<OcsNotificationAction, KnownNotificationType>
> = {
  accept: 'SHARE_ACCEPTED',
  decline: 'SHARE_DECLINED',
  unshare: 'SHARE_UNSHARED',
  reshare: 'REQUEST_RESHARE',
  permissions: 'RESHARE_CHANGE_PERMISSION',
  revoke: 'RESHARE_UNDO',
};

export function isOcsNotificationAction(value: string): value is OcsNotificationAction {
  return (OCS_NOTIFICATION_ACTIONS as readonly string[]).includes(value);
}

/** The legacy action for a notification type; undefined for USER_REMOVED and vendor types. */
export function notificationToOcsAction(type: string): OcsNotificationAction | undefined {
  return OCS_NOTIFICATION_ACTIONS.find((action) => OCS_ACTION_TO_NOTIFICATION[action] === type);
}
