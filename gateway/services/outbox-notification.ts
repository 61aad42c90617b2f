/**
 * The outbox item flow 2 leaves when a peer is unreachable (issue 9 item 2): the notification
 * already translated for the peer (its providerId and secret; sealed at rest by the ledger),
 * signed and serialised only when delivered, so signatures are fresh and the dialect current.
 */
import type { LegacyCanonicalNotification } from '../core/dialects/ocs-common/ocs-codec-types.ts';
import { isJsonObject } from '../core/model/json-value.ts';

export const OUTBOX_NOTIFICATION_KIND = 'peer-notification';

export interface OutboxNotification {
  readonly notification: LegacyCanonicalNotification;
  /** The ledger record, to skip a notification overtaken by a later one. */
  readonly shareId?: string;
}

/** The payload back from the store, checked: undefined when it is not one of ours. */
export function readOutboxNotification(payload: unknown): OutboxNotification | undefined {
  if (!isJsonObject(payload)) return undefined;
  const { notification, shareId } = payload;
  if (
    !isJsonObject(notification) ||
    typeof notification.notificationType !== 'string' ||
    typeof notification.providerId !== 'string' ||
    !isJsonObject(notification.notification)
  ) {
    return undefined;
  }
  return {
    // Written by relay-backend-callback from a LegacyCanonicalNotification and read back as JSON.
    notification: notification as unknown as LegacyCanonicalNotification,
    ...(typeof shareId === 'string' ? { shareId } : {}),
  };
}
