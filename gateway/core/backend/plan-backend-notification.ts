/**
 * What a peer's notification means for the backend, by the direction of the share it names
 * (legacy-protocols §1.4–1.8, §3.2): the owner's SHARE_UNSHARED reaches a backend that received
 * the share; a recipient's accept/decline/reshare/undo/permission change reaches a backend that
 * sent it. Repeats of a transition already made are acknowledged without a second call.
 */
import type { ErrorCode } from '../errors/error-catalog.ts';
import type { KnownNotificationType } from '../model/canonical-notification.ts';
import {
  isKnownNotificationType,
  NOTIFICATION_TYPE_ALIASES,
} from '../model/canonical-notification.ts';
import type { BackendAction } from './backend-profile.ts';

/** Same values as the ledger's ShareDirection / ShareState (core cannot import ports). */
export type PlanDirection = 'incoming' | 'outgoing';
export type PlanState = 'pending' | 'accepted' | 'declined' | 'unshared';

export type NotificationPlan =
  | {
      readonly kind: 'call';
      readonly action: BackendAction;
      /** The notification type the backend gets (USER_REMOVED becomes an unshare or a decline). */
      readonly backendType: KnownNotificationType;
      readonly nextState?: PlanState;
    }
  | { readonly kind: 'acknowledge'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly code: ErrorCode; readonly message: string };

interface Step {
  readonly action: BackendAction;
  readonly backendType: KnownNotificationType;
  readonly nextState?: PlanState;
}

const UNSHARE: Step = { action: 'unshare', backendType: 'SHARE_UNSHARED', nextState: 'unshared' };
const DECLINE: Step = { action: 'decline', backendType: 'SHARE_DECLINED', nextState: 'declined' };

const INCOMING: Partial<Record<KnownNotificationType, Step | 'live'>> = {
  SHARE_UNSHARED: UNSHARE,
  USER_REMOVED: UNSHARE,
  // Legacy recipients read permissions from the WebDAV share-permissions property on every access.
  RESHARE_CHANGE_PERMISSION: 'live',
};

const OUTGOING: Partial<Record<KnownNotificationType, Step>> = {
  SHARE_ACCEPTED: { action: 'accept', backendType: 'SHARE_ACCEPTED', nextState: 'accepted' },
  SHARE_DECLINED: DECLINE,
  // A recipient that removes a share, or loses the user, declines it (legacy decline, §1.4).
  SHARE_UNSHARED: DECLINE,
  USER_REMOVED: DECLINE,
  REQUEST_RESHARE: { action: 'reshare', backendType: 'REQUEST_RESHARE' },
  RESHARE_UNDO: { action: 'revoke', backendType: 'RESHARE_UNDO', nextState: 'unshared' },
  RESHARE_CHANGE_PERMISSION: { action: 'permissions', backendType: 'RESHARE_CHANGE_PERMISSION' },
};

/** The known type a wire type stands for (`SHARE_CHANGE_PERMISSION` → RESHARE_CHANGE_PERMISSION). */
export function knownNotificationType(type: string): KnownNotificationType | undefined {
  const resolved = NOTIFICATION_TYPE_ALIASES[type] ?? type;
  return isKnownNotificationType(resolved) ? resolved : undefined;
}

/** Does this type concern a share in this direction at all (used to pick between two records)? */
export function notificationApplies(
  type: KnownNotificationType,
  direction: PlanDirection,
): boolean {
  return (direction === 'incoming' ? INCOMING : OUTGOING)[type] !== undefined;
}

export function planBackendNotification(
  type: string,
  direction: PlanDirection,
  state: PlanState,
): NotificationPlan {
  const known = knownNotificationType(type);
  if (known === undefined) {
    return {
      kind: 'refuse',
      code: 'NOT_IMPLEMENTED',
      message: `Notification type "${type.slice(0, 60)}" is not supported.`,
    };
  }
  const step = (direction === 'incoming' ? INCOMING : OUTGOING)[known];
  if (step === undefined) {
    const who = direction === 'incoming' ? 'recipient' : 'owner';
    return {
      kind: 'refuse',
      code: 'INVALID_REQUEST',
      message: `${known} is not sent by a share's ${who}: this share was ${direction === 'incoming' ? 'sent by you' : 'sent to you'}.`,
    };
  }
  const ended = state === 'declined' || state === 'unshared';
  if (step === 'live') {
    return ended
      ? { kind: 'refuse', code: 'SHARE_GONE', message: 'The share no longer exists.' }
      : { kind: 'acknowledge', reason: 'the backend reads permissions live over WebDAV' };
  }
  if (step.nextState !== undefined && step.nextState === state) {
    return { kind: 'acknowledge', reason: `the share is already ${state}` };
  }
  if (ended) return { kind: 'refuse', code: 'SHARE_GONE', message: 'The share no longer exists.' };
  return { kind: 'call', ...step };
}
