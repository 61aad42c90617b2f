/**
 * One notification to one peer, in the dialect its discovery shows now (flow 2, DESIGN §3):
 * OCM peers get `POST <endPoint>/notifications` signed in their scheme; legacy peers get the
 * legacy call `POST <share endpoint>/<id>/<action>` (legacy-protocols §1.4–1.8). The outcome says
 * whether a failure is worth retrying; used by the relay and by the outbox drainer alike.
 */
import { codecFor } from '../core/dialects/dialect-registry.ts';
import type { OcsCodec } from '../core/dialects/ocs-common/ocs-codec.ts';
import type { LegacyCanonicalNotification } from '../core/dialects/ocs-common/ocs-codec-types.ts';
import { parseOcsError } from '../core/dialects/ocs-common/ocs-replies.ts';
import { GatewayError, toGatewayError } from '../core/errors/gateway-error.ts';
import type { CanonicalNotificationReply } from '../core/model/canonical-notification.ts';
import { isOcmDialect, type DialectId } from '../core/model/dialect-id.ts';
import { signatureSchemeFor } from '../core/outgoing/peer-signature-scheme.ts';
import {
  isTransientCode,
  isTransientStatus,
  peerRefusalCode,
} from '../core/outgoing/peer-refusal.ts';
import type { PeerJsonResponse } from '../ports/peer-http.ts';
import type { ResolvedPeer } from './resolve-peer-capabilities.ts';
import { peerRefusal } from './send-peer-refusal.ts';
import type { PeerSender } from './send-to-peer.ts';

export type NotificationDelivery =
  | {
      readonly outcome: 'delivered';
      readonly reply: CanonicalNotificationReply;
      readonly dialect: DialectId;
    }
  /** The peer said no (or cannot be spoken to at all): retrying would not help. */
  | { readonly outcome: 'refused'; readonly error: GatewayError }
  /** Unreachable, timed out, 5xx, 429: try again later. */
  | { readonly outcome: 'transient'; readonly error: GatewayError };

export interface PeerResolver {
  resolve(peer: string): Promise<ResolvedPeer>;
}

export interface PeerNotificationDeps {
  readonly resolver: PeerResolver;
  readonly sender: PeerSender;
}

export type SendPeerNotification = (
  peerHost: string,
  notification: LegacyCanonicalNotification,
) => Promise<NotificationDelivery>;

function failed(error: unknown): NotificationDelivery {
  const gateway = toGatewayError(error);
  return isTransientCode(gateway.code)
    ? { outcome: 'transient', error: gateway }
    : { outcome: 'refused', error: gateway };
}

function unusable(message: string): NotificationDelivery {
  return { outcome: 'refused', error: new GatewayError('NOT_IMPLEMENTED', message) };
}

export function createSendPeerNotification(deps: PeerNotificationDeps): SendPeerNotification {
  async function toOcm(
    peer: ResolvedPeer,
    dialect: DialectId,
    notification: LegacyCanonicalNotification,
  ): Promise<NotificationDelivery> {
    const codec = codecFor(dialect);
    const wire = codec?.notification?.serialise(notification);
    if (codec === undefined || wire === undefined || !wire.ok) {
      return unusable(`The notification cannot be written in ${dialect}.`);
    }
    const caps = peer.capabilities;
    const response = await deps.sender.post({
      url: `${caps.endPoint.replace(/\/+$/, '')}/notifications`,
      body: JSON.stringify(wire.value),
      contentType: 'application/json',
      scheme: signatureSchemeFor(caps, dialect),
    });
    if (response.status >= 200 && response.status < 300) {
      const reply = codec.notificationReply?.parse(response.json ?? {});
      return { outcome: 'delivered', reply: reply?.ok === true ? reply.value : {}, dialect };
    }
    return refusedOrTransient(response, peerRefusal(response));
  }

  async function toLegacy(
    peer: ResolvedPeer,
    dialect: DialectId,
    notification: LegacyCanonicalNotification,
  ): Promise<NotificationDelivery> {
    const codec = codecFor(dialect, peer.capabilities.legacy?.variant) as OcsCodec | undefined;
    const wire = codec?.notification.serialise(notification);
    if (codec === undefined || wire === undefined || !wire.ok) {
      return unusable(`The notification has no legacy call for ${peer.capabilities.peer}.`);
    }
    const action = wire.value.path.slice(wire.value.path.lastIndexOf('/') + 1);
    const id = encodeURIComponent(notification.providerId);
    const response = await deps.sender.post({
      url: `${peer.capabilities.endPoint.replace(/\/+$/, '')}/${id}/${action}?${wire.value.query}`,
      body: wire.value.body,
      contentType: wire.value.contentType,
      scheme: 'unsigned',
    });
    const wireAnswer = { status: response.status, body: response.text };
    const reply = codec.notificationReply.parse(wireAnswer);
    if (reply.ok) return { outcome: 'delivered', reply: reply.value, dialect };
    const refusal = parseOcsError(wireAnswer);
    const statuscode = refusal.ok ? (refusal.value.legacy?.statuscode ?? 400) : response.status;
    const message = refusal.ok && refusal.value.message !== '' ? refusal.value.message : undefined;
    return refusedOrTransient(
      response,
      new GatewayError(
        peerRefusalCode(statuscode),
        `The peer refused the call (OCS ${statuscode}${message === undefined ? '' : `: ${message.slice(0, 200)}`}).`,
      ),
    );
  }

  return async (peerHost, notification) => {
    try {
      const peer = await deps.resolver.resolve(peerHost);
      const dialect = peer.dialect;
      if (dialect === undefined) return unusable(`No dialect in common with ${peerHost}.`);
      return isOcmDialect(dialect)
        ? await toOcm(peer, dialect, notification)
        : await toLegacy(peer, dialect, notification);
    } catch (error) {
      return failed(error);
    }
  };
}

function refusedOrTransient(response: PeerJsonResponse, error: GatewayError): NotificationDelivery {
  return isTransientStatus(response.status)
    ? { outcome: 'transient', error }
    : { outcome: 'refused', error };
}
