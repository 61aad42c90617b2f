/**
 * What every facade handler gets: the services behind the facade and the call's target. The
 * facade routes (`/peers/<host>/…`) and the forward proxy's federation handler build the same
 * target, so the two doors run the same code (DESIGN §3, flows 2–4).
 */
import type { FacadeCall } from '../../core/facade/facade-call.ts';
import type { BackendProfileSource } from '../../ports/backend-client.ts';
import type { Logger } from '../../ports/logger.ts';
import type { LookUpShareInfo } from '../../services/facade-share-info.ts';
import type { RelayBackendCallback } from '../../services/relay-backend-callback.ts';
import type { RelayLegacyCall } from '../../services/relay-legacy-call.ts';
import type { PeerResolver } from '../../services/send-peer-notification.ts';
import type { SendOutgoingShare } from '../../services/send-outgoing-share.ts';

export interface FacadeServices {
  readonly backendProfile: BackendProfileSource;
  readonly resolver: PeerResolver;
  readonly sendShare: SendOutgoingShare;
  readonly relayCallback: RelayBackendCallback;
  readonly relayLegacy: RelayLegacyCall;
  readonly shareInfo: LookUpShareInfo;
  readonly logger: Logger;
  /** Cap on the backend's request bodies (`limits.otherFederationBodyBytes`). */
  readonly maxBodyBytes: number;
}

export interface FacadeTarget {
  /** Normalised `host[:port]` of the peer: its key in the ledger. */
  readonly peerHost: string;
  /**
   * How the peer is discovered and called: `host[:port]` on the facade door; on the proxy door the
   * URL the backend addressed (`https://host/nextcloud`), scheme and sub-path included.
   */
  readonly peer: string;
  /** Request path below the facade prefix (facade door) or as sent (proxy door); no query. */
  readonly path: string;
  /** Query without `?`. */
  readonly query: string;
  /** Absolute base the backend addresses this peer under, without trailing slash. */
  readonly base: string;
  readonly call: Exclude<FacadeCall, { kind: 'other' }>;
}
