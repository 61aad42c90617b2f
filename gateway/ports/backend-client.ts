/**
 * The backend as services see it (DESIGN §3 flows 1 and 6): what it is (BackendProfile, kept
 * fresh by detection) and the calls the gateway makes on it, in its own dialect. Failures reject
 * with a GatewayError (backend refusals mapped to 400/403/404/410/501/503, unreachable → 502,
 * timeout → 504) whose message never names the internal backend URL.
 */
import type { BackendProbeResults, BackendProfile } from '../core/backend/index.ts';
import type { ValidationIssue } from '../core/errors/validation-issue.ts';
import type {
  CanonicalNotification,
  CanonicalNotificationReply,
  CanonicalShare,
} from '../core/model/index.ts';

export type {
  BackendAction,
  BackendActionRoute,
  BackendActions,
  BackendOcmEndPoint,
  BackendProbeOutcome,
  BackendProbeResults,
  BackendProduct,
  BackendProfile,
} from '../core/backend/index.ts';

/** The current profile, and a way to re-probe now. */
export interface BackendProfileSource {
  /** Never blocks: the last decision (a conservative `unknown` one until a probe succeeds). */
  current(): BackendProfile;
  /** Probes the backend now (concurrent calls share one probe) and returns the new profile. */
  refresh(): Promise<BackendProfile>;
}

/** Fetches the three discovery answers detection decides on; never rejects. */
export interface BackendProber {
  probe(): Promise<BackendProbeResults>;
}

export interface BackendShareRequest {
  /**
   * The share as the backend must see it: `providerId` and `legacy.remoteId` are the ledger's
   * numeric alias, the secret is the token the backend will use on the facade.
   */
  readonly share: CanonicalShare;
  /** Normalised `host[:port]` of the peer: the share's legacy `remote` becomes its facade URL. */
  readonly peerHost: string;
}

export interface BackendShareCreated {
  /** The backend's answer, or (OCS and ownCloud 10 say nothing) the recipient's uid. */
  readonly recipientDisplayName: string;
  /** True when the backend itself named the recipient (Nextcloud's OCM 201). */
  readonly displayNameFromBackend: boolean;
  /** The backend's own id of the received share, when its answer names one (Pydio 8 `data.id`). */
  readonly backendShareId?: string;
  /** Fields the backend's dialect could not carry, and quirks of its answer (for debug logs). */
  readonly warnings: readonly ValidationIssue[];
}

export interface BackendNotification {
  /**
   * `providerId` is the id the backend knows the share by (alias for shares it received, its own
   * id for shares it sent); `notification.sharedSecret` is that share's token.
   */
  readonly notification: CanonicalNotification;
}

export interface BackendNotified {
  /** REQUEST_RESHARE: the backend's new share (token + id); otherwise empty. */
  readonly reply: CanonicalNotificationReply;
  readonly via: 'ocm' | 'ocs';
  readonly warnings: readonly ValidationIssue[];
}

/** Nextcloud's legacy-only move (legacy-protocols §1.9): the share now lives at another owner. */
export interface BackendMove {
  /** The id the backend knows the share by. */
  readonly providerId: string;
  readonly sharedSecret: string;
  /** The new owner's cloud id. */
  readonly newOwner: string;
  /** The new owner-side id (numeric for legacy receivers). */
  readonly newProviderId: string;
}

export interface BackendClient {
  /** Delivers a share a peer sent to one of the backend's users. */
  createShare(request: BackendShareRequest): Promise<BackendShareCreated>;
  /**
   * One accept/decline/unshare/reshare/permissions/revoke call, by the notification type;
   * NOT_IMPLEMENTED (501) when the backend profile has no such call.
   */
  notify(request: BackendNotification): Promise<BackendNotified>;
  /** NOT_IMPLEMENTED unless the backend has the legacy move route (Nextcloud 12+). */
  move(request: BackendMove): Promise<{ readonly remote: string; readonly owner: string }>;
}
