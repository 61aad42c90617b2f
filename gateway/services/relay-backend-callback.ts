/**
 * Flow 2 (DESIGN §3, issue 9 item 2): one of the backend's callbacks (accept, decline, unshare,
 * reshare, permissions, revoke) becomes a notification to the peer, through the ledger. Transient
 * failures go to the durable outbox and the backend is told the notification was accepted for
 * delivery: it has no way to retry better than the outbox, and old servers turn a failed callback
 * into an endless retry job or a user-visible error. Refusals come back to it as errors.
 */
import {
  notificationForPeer,
  readBackendCallback,
  type BackendCallback,
  type PeerShareRef,
} from '../core/facade/backend-callback.ts';
import type { LegacyCanonicalNotification } from '../core/dialects/ocs-common/ocs-codec-types.ts';
import { legacyIdNumber } from '../core/dialects/ocs-common/legacy-id.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { CanonicalNotificationReply } from '../core/model/canonical-notification.ts';
import type { AddressContext } from '../core/outgoing/outgoing-address.ts';
import type { Ledger, ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import { NO_FACADE_METRICS, type FacadeMetrics } from './facade-metrics.ts';
import { OUTBOX_NOTIFICATION_KIND, type OutboxNotification } from './outbox-notification.ts';
import { retryLedgerWrite } from './retry-ledger-write.ts';
import { secretsEqual } from './secrets-equal.ts';
import type { SendPeerNotification } from './send-peer-notification.ts';

export interface RelayBackendCallbackDeps {
  readonly ledger: Pick<Ledger, 'shares' | 'outbox'>;
  readonly send: SendPeerNotification;
  readonly addresses: AddressContext;
  readonly logger: Logger;
  readonly metrics?: FacadeMetrics;
  /** Pauses between tries of a state write after the peer was told (retry-ledger-write.ts). */
  readonly ledgerRetryDelaysMs?: readonly number[];
}

export interface RelayBackendCallbackInput {
  /** Normalised `host[:port]` of the peer the backend addressed: its key in the ledger. */
  readonly peerHost: string;
  /** How to discover and call the peer (a URL with scheme and sub-path); default `peerHost`. */
  readonly peer?: string;
  /** As parsed from the backend; `providerId` is the backend's `{id}`, the secret its token. */
  readonly notification: LegacyCanonicalNotification;
}

export type RelayBackendCallbackResult =
  /** Told the peer; for REQUEST_RESHARE the reply names the new share by its ledger alias. */
  | { readonly kind: 'delivered'; readonly reply: CanonicalNotificationReply }
  /** The peer is unreachable for now: the outbox delivers it later. */
  | { readonly kind: 'queued' }
  /** The ledger knows no such share: only a legacy peer can take the call as it is. */
  | { readonly kind: 'unrecorded' };

export type RelayBackendCallback = (
  input: RelayBackendCallbackInput,
) => Promise<RelayBackendCallbackResult>;

const ENDED = new Set(['declined', 'unshared']);

export function createRelayBackendCallback(deps: RelayBackendCallbackDeps): RelayBackendCallback {
  const metrics = deps.metrics ?? NO_FACADE_METRICS;
  const shares = deps.ledger.shares;

  async function findRecord(
    callback: BackendCallback,
    peerHost: string,
    id: string,
  ): Promise<ShareRecord | undefined> {
    if (callback.direction === 'outgoing') {
      return shares.findByKey({ direction: 'outgoing', peerHost, providerId: id });
    }
    const alias = legacyIdNumber(id);
    const record = alias === undefined ? undefined : await shares.findByAlias(alias);
    // An alias of another peer's share, or of a share the backend sent, is no share here.
    return record?.direction === 'incoming' && record.peerHost === peerHost ? record : undefined;
  }

  async function recordReshare(
    record: ShareRecord,
    peerHost: string,
    reply: CanonicalNotificationReply,
    shareWith: string | undefined,
  ): Promise<CanonicalNotificationReply> {
    const reshare = reply.reshare;
    if (reshare === undefined) {
      throw new GatewayError('UPSTREAM_UNREACHABLE', 'The peer named no share for the reshare.');
    }
    // The backend calls the new share by an integer id later (revoke, permissions): an alias.
    // The peer has made the reshare: a 503 now would make the backend ask for another one.
    const { record: created } = await retryLedgerWrite(
      () =>
        shares.create({
          direction: 'incoming',
          peerHost,
          providerId: reshare.providerId,
          sharedSecret: reshare.sharedSecret,
          dialects: record.dialects,
          owner: record.owner,
          sender: record.shareWith,
          shareWith: shareWith ?? record.shareWith,
          resourceName: record.resourceName,
          state: 'accepted',
        }),
      deps.ledgerRetryDelaysMs,
    );
    return {
      reshare: {
        sharedSecret: reshare.sharedSecret,
        providerId: String(created.alias),
        providerIdIsNumber: true,
      },
    };
  }

  /**
   * The peer has been told (or the outbox will tell it): failing the callback now would make the
   * backend retry and the peer hear it again (once per retry while the ledger is down). So the
   * state write is retried for a few seconds, and if the ledger still refuses, the backend hears
   * success and the lost state write is logged loudly.
   */
  async function recordStateAfterNotifying(
    record: ShareRecord,
    state: NonNullable<BackendCallback['stateAfter']>,
    log: Record<string, unknown>,
  ): Promise<void> {
    try {
      await retryLedgerWrite(() => shares.update(record.id, { state }), deps.ledgerRetryDelaysMs);
    } catch (error) {
      deps.logger.error('the peer was notified but the ledger did not record the new state', {
        ...log,
        state,
        error,
      });
    }
  }

  return async ({ peerHost, peer, notification }) => {
    const target = peer ?? peerHost;
    const callback = readBackendCallback(notification.notificationType);
    if (callback === undefined) {
      throw new GatewayError(
        'NOT_IMPLEMENTED',
        `${notification.notificationType.slice(0, 60)} is not a call the backend can make here.`,
      );
    }
    const token = notification.notification.sharedSecret;
    if (token === undefined || token === '') {
      throw new GatewayError('FORBIDDEN', 'The share token is missing.');
    }
    const record = await findRecord(callback, peerHost, notification.providerId);
    let share: PeerShareRef;
    if (record !== undefined) {
      if (!secretsEqual(token, record.sharedSecret)) {
        throw new GatewayError('FORBIDDEN', 'The token does not match the share.');
      }
      if (callback.stateAfter !== undefined && record.state === callback.stateAfter) {
        return { kind: 'delivered', reply: {} };
      }
      if (ENDED.has(record.state)) throw new GatewayError('SHARE_GONE', 'The share has ended.');
      share = { providerId: record.providerId, sharedSecret: record.sharedSecret };
    } else if (callback.direction === 'outgoing') {
      // A share the backend sent before the ledger knew it: its id and token are what the peer has.
      share = { providerId: notification.providerId, sharedSecret: token };
    } else {
      return { kind: 'unrecorded' };
    }

    const forPeer = notificationForPeer(notification, callback.type, share, deps.addresses);
    const delivery = await deps.send(target, forPeer);
    const log = { peerHost, type: callback.type, alias: record?.alias };
    if (delivery.outcome === 'refused') {
      metrics.peerCall('notification', 'refused');
      deps.logger.info('peer refused the notification', { ...log, error: delivery.error.message });
      throw delivery.error;
    }
    if (callback.type === 'REQUEST_RESHARE') {
      if (delivery.outcome === 'transient') {
        metrics.peerCall('notification', 'failed');
        // The backend needs the new share's token now: this one cannot wait in the outbox.
        throw new GatewayError('UNAVAILABLE', 'The peer cannot be reached; retry later.', {
          retryAfterSeconds: 60,
          cause: delivery.error,
        });
      }
      if (record === undefined) throw new GatewayError('NOT_FOUND', 'No such share.');
      const reply = await recordReshare(
        record,
        peerHost,
        delivery.reply,
        forPeer.notification.shareWith,
      );
      metrics.peerCall('notification', 'delivered');
      return { kind: 'delivered', reply };
    }
    if (delivery.outcome === 'transient') {
      const payload: OutboxNotification = {
        notification: forPeer,
        ...(record === undefined ? {} : { shareId: record.id }),
      };
      await deps.ledger.outbox.enqueue({
        peerHost: target,
        kind: OUTBOX_NOTIFICATION_KIND,
        payload,
        ...(record === undefined ? {} : { shareId: record.id }),
      });
      metrics.peerCall('notification', 'queued');
      deps.logger.warn('peer unreachable: notification queued for delivery', {
        ...log,
        error: delivery.error.message,
      });
    } else {
      metrics.peerCall('notification', 'delivered');
      deps.logger.info('notification delivered to the peer', { ...log, dialect: delivery.dialect });
    }
    if (record !== undefined && callback.stateAfter !== undefined) {
      await recordStateAfterNotifying(record, callback.stateAfter, log);
    }
    return delivery.outcome === 'transient'
      ? { kind: 'queued' }
      : { kind: 'delivered', reply: delivery.reply };
  };
}
