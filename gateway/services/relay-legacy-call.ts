/**
 * A backend call passed to a LEGACY peer as it is (issue 9 items 2 and 4): for shares the
 * ledger does not know (they reached the backend without the gateway) and for Nextcloud's
 * legacy-only `move`. Only the form fields that could name internal servers are rewritten.
 */
import { GatewayError } from '../core/errors/gateway-error.ts';
import { isOcmDialect } from '../core/model/dialect-id.ts';
import { legacyFormForPeer } from '../core/outgoing/legacy-form-for-peer.ts';
import type { AddressContext } from '../core/outgoing/outgoing-address.ts';
import type { PeerResolver } from './send-peer-notification.ts';
import type { PeerSender } from './send-to-peer.ts';

export interface RelayLegacyCallDeps {
  readonly resolver: PeerResolver;
  readonly sender: PeerSender;
  readonly addresses: AddressContext;
}

export interface LegacyCall {
  /** Appended to the peer's share endpoint: `/42/accept`. */
  readonly suffix: string;
  /** Form-encoded body as the backend sent it. */
  readonly body: string;
  /** Without `?`. */
  readonly query: string;
}

export interface RelayedAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

export type RelayLegacyCall = (peerHost: string, call: LegacyCall) => Promise<RelayedAnswer>;

export function createRelayLegacyCall(deps: RelayLegacyCallDeps): RelayLegacyCall {
  return async (peerHost, call) => {
    const peer = await deps.resolver.resolve(peerHost);
    if (peer.dialect === undefined || isOcmDialect(peer.dialect)) {
      throw new GatewayError('NOT_FOUND', 'No such share.');
    }
    const base = peer.capabilities.endPoint.replace(/\/+$/, '');
    const response = await deps.sender.post({
      url: `${base}${call.suffix}${call.query === '' ? '' : `?${call.query}`}`,
      body: legacyFormForPeer(call.body, deps.addresses),
      contentType: 'application/x-www-form-urlencoded',
      scheme: 'unsigned',
    });
    const type = response.headers['content-type'];
    return {
      status: response.status,
      contentType: typeof type === 'string' ? type : undefined,
      body: response.text,
    };
  };
}
