/**
 * Flow 6 (DESIGN §3, issue 7 item 4): a peer's notification about a share, mapped onto the
 * backend's call through the ledger. Shares the peer sent us (incoming records) take the owner's
 * SHARE_UNSHARED; shares the backend sent the peer (outgoing records) take the recipient's
 * accept, decline, reshare request, reshare undo and permission change. The backend is addressed
 * with the id it knows (the alias for incoming, its own id for outgoing) and the share's secret
 * as token.
 */
import { knownNotificationType, planBackendNotification } from '../core/backend/index.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { normalisePeerHost } from '../core/facade/index.ts';
import type {
  CanonicalNotification,
  CanonicalNotificationReply,
} from '../core/model/canonical-notification.ts';
import type { DialectId } from '../core/model/dialect-id.ts';
import type { BackendClient } from '../ports/backend-client.ts';
import type { ShareDirection, ShareLedger } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerAuthentication } from '../ports/peer-authenticator.ts';
import { notificationAuthorised } from './receive-ocm-notification-auth.ts';
import { findNotifiedShare } from './find-notified-share.ts';
import { retryLedgerWrite } from './retry-ledger-write.ts';

export interface ReceiveOcmNotificationDeps {
  readonly ledger: ShareLedger;
  readonly backend: BackendClient;
  readonly logger: Logger;
  /** Pauses between tries of the state write after the backend applied the notification. */
  readonly ledgerRetryDelaysMs?: readonly number[];
}

export interface ReceiveOcmNotificationInput {
  /** As the route parsed it from the peer's dialect. */
  readonly notification: CanonicalNotification;
  /** The PeerAuthenticator's result for this request. */
  readonly authentication: PeerAuthentication;
  /**
   * The peer's host when the route knows it without a signature; only used to find the record,
   * never as proof. Unsigned notifications without it are found by their sharedSecret.
   */
  readonly peerHost?: string;
  readonly peerDialect: DialectId;
}

export interface ReceiveOcmNotificationResult {
  /** For the 201 body in the peer's dialect (REQUEST_RESHARE: the new share's secret and id). */
  readonly reply: CanonicalNotificationReply;
  /** `acknowledged`: a repeat or nothing for the backend to do; no backend call was made. */
  readonly outcome: 'applied' | 'acknowledged';
  readonly shareId: string;
  readonly direction: ShareDirection;
}

export type ReceiveOcmNotification = (
  input: ReceiveOcmNotificationInput,
) => Promise<ReceiveOcmNotificationResult>;

const NOT_FOUND_MESSAGE = 'No such share.';

function hostOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const host = normalisePeerHost(raw);
  return host.ok ? host.value : undefined;
}

export function createReceiveOcmNotification(
  deps: ReceiveOcmNotificationDeps,
): ReceiveOcmNotification {
  return async (input) => {
    const { notification, authentication } = input;
    const type = knownNotificationType(notification.notificationType);
    if (type === undefined) {
      throw new GatewayError(
        'NOT_IMPLEMENTED',
        `Notification type "${notification.notificationType.slice(0, 60)}" is not supported.`,
      );
    }
    const signerHost = authentication.verified ? hostOf(authentication.host) : undefined;
    const hosts = [...new Set([signerHost, hostOf(input.peerHost)])].filter(
      (h): h is string => h !== undefined,
    );
    const secret = notification.notification.sharedSecret;
    const record = await findNotifiedShare(deps.ledger, {
      type,
      providerId: notification.providerId,
      hosts,
      secret,
    });
    if (record === undefined) throw new GatewayError('NOT_FOUND', NOT_FOUND_MESSAGE);
    if (!notificationAuthorised(record, authentication, signerHost, input.peerDialect, secret)) {
      throw new GatewayError('FORBIDDEN', 'Not allowed to notify about this share.');
    }
    const plan = planBackendNotification(type, record.direction, record.state);
    const base = { shareId: record.id, direction: record.direction };
    if (plan.kind === 'refuse') throw new GatewayError(plan.code, plan.message);
    if (plan.kind === 'acknowledge') {
      deps.logger.debug('notification acknowledged without a backend call', {
        type,
        alias: record.alias,
        reason: plan.reason,
      });
      return { reply: {}, outcome: 'acknowledged', ...base };
    }
    // Vendor keys and the peer's spellings (`permissions` vs `permission`, `messgage`) stay on the
    // peer's side: the backend's codec writes the keys the backend reads.
    const payload = {
      ...notification.notification,
      extra: undefined,
      permissionsKey: undefined,
      messageKey: undefined,
    };
    const result = await deps.backend.notify({
      notification: {
        notificationType: plan.backendType,
        resourceType: notification.resourceType ?? 'file',
        providerId:
          record.direction === 'incoming'
            ? String(record.alias)
            : (record.backendShareId ?? record.providerId),
        notification: { ...payload, sharedSecret: record.sharedSecret },
      },
    });
    if (plan.action === 'reshare' && result.reply.reshare === undefined) {
      throw new GatewayError(
        'UPSTREAM_UNREACHABLE',
        'The backend accepted the reshare request but named no new share.',
      );
    }
    const nextState = plan.nextState;
    if (nextState !== undefined) {
      // The backend has applied it: a 503 now would make the peer send it again.
      await retryLedgerWrite(
        () => deps.ledger.update(record.id, { state: nextState }),
        deps.ledgerRetryDelaysMs,
      );
    }
    deps.logger.info('notification applied on the backend', {
      type,
      direction: record.direction,
      alias: record.alias,
      peerHost: record.peerHost,
      via: result.via,
    });
    const reply: CanonicalNotificationReply =
      result.reply.reshare === undefined ? {} : { reshare: result.reply.reshare };
    return { reply, outcome: 'applied', ...base };
  };
}
