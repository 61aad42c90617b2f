/**
 * Durable records the gateway must not lose (DESIGN §4): share records in both directions,
 * invites, and the outbox of notifications still to deliver. Secrets are encrypted at rest by
 * the adapters; records returned here carry them in clear. Infrastructure failures reject with a
 * GatewayError 'UNAVAILABLE' with retryAfterSeconds (the HTTP layer answers 503 + Retry-After).
 */
import type { StoreLifecycle } from './store-lifecycle.ts';

/** 'incoming' = a peer shared with the backend; 'outgoing' = the backend shared with a peer. */
export type ShareDirection = 'incoming' | 'outgoing';
export type ShareState = 'pending' | 'accepted' | 'declined' | 'unshared';

/** The dialect ids (DESIGN §2) spoken to each side for this share. */
export interface ShareDialects {
  readonly peer: string;
  readonly backend: string;
}

/** Identifies a share across retries: the same key is the same share. */
export interface ShareKey {
  readonly direction: ShareDirection;
  /** Peer authority as used in facade URLs, e.g. "cloud.example.org" or "[::1]:8443". */
  readonly peerHost: string;
  /** The share's id in the OCM exchange (`providerId`), always a string. */
  readonly providerId: string;
}

/**
 * How an incoming share's data is reached, as the peer offered it (OCM `protocol.webdav` and the
 * pre-1.2 top-level `code`; ocm-versions §3.2, §5, §8). Optional and additive: records without it
 * are legacy `options` shares read with the secret as Basic user at the peer's WebDAV root.
 * Sealed at rest as a whole (a `webdav.uri` may embed a secret hash, `code` is a secret).
 */
export interface ShareProtocolDetails {
  /** `webdav.uri` as sent: relative to the peer's discovered WebDAV root, or absolute. */
  readonly webdavUri?: string;
  /** `webdav.requirements`, normalised names (`must-exchange-token`, `must-use-mfa`). */
  readonly requirements?: readonly string[];
  /** Where to exchange when it is not the peer's discovered `tokenEndPoint` (absolute URL). */
  readonly tokenEndPoint?: string;
  /** pre-1.2 top-level `code`, exchanged at `<endPoint>/token` instead of the secret. */
  readonly code?: string;
}

export interface NewShareRecord extends ShareKey {
  /** The backend's own share id, when already known. */
  readonly backendShareId?: string;
  readonly sharedSecret: string;
  readonly dialects: ShareDialects;
  readonly owner: string;
  readonly sender: string;
  readonly shareWith: string;
  readonly resourceName: string;
  /** Defaults to 'pending'. */
  readonly state?: ShareState;
  /** Incoming shares: how the peer's WebDAV is reached (flow 3). */
  readonly protocol?: ShareProtocolDetails;
}

export interface ShareRecord extends ShareKey {
  /** Gateway-generated opaque id. */
  readonly id: string;
  /**
   * Positive integer allocated by the ledger, increasing, never reused: what the backend sees as
   * the share id where old servers cast ids to int.
   */
  readonly alias: number;
  readonly backendShareId: string | undefined;
  readonly sharedSecret: string;
  readonly dialects: ShareDialects;
  readonly owner: string;
  readonly sender: string;
  readonly shareWith: string;
  readonly resourceName: string;
  readonly state: ShareState;
  /** Present only when it was recorded. */
  readonly protocol?: ShareProtocolDetails;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface CreatedShare {
  readonly record: ShareRecord;
  /** False when a share with the same ShareKey existed: the caller must not create it again. */
  readonly created: boolean;
}

export interface SharePatch {
  readonly state?: ShareState;
  readonly backendShareId?: string;
}

export interface ShareLedger {
  /**
   * Idempotent on ShareKey: a second create returns the first record with created = false, even
   * under concurrency. Rejects with INVALID_REQUEST if the secret already belongs to another share.
   */
  create(input: NewShareRecord): Promise<CreatedShare>;
  get(id: string): Promise<ShareRecord | undefined>;
  findByAlias(alias: number): Promise<ShareRecord | undefined>;
  findByKey(key: ShareKey): Promise<ShareRecord | undefined>;
  /** Looked up through a keyed hash of the secret; no plaintext index exists. */
  findBySecret(sharedSecret: string): Promise<ShareRecord | undefined>;
  /** The updated record, or undefined if no such share. */
  update(id: string, patch: SharePatch): Promise<ShareRecord | undefined>;
}

export type InviteState = 'pending' | 'accepted' | 'declined' | 'revoked';

export interface NewInviteRecord {
  /** The invite token (a secret): stored encrypted, looked up by keyed hash. */
  readonly token: string;
  /** Address of the local user who created the invite. */
  readonly sender: string;
  /** Epoch ms after which the invite must be refused. */
  readonly expiresAt: number;
}

export interface InviteRecord {
  readonly token: string;
  readonly sender: string;
  readonly expiresAt: number;
  readonly state: InviteState;
  /** Address of the remote user who accepted, once accepted. */
  readonly acceptedBy: string | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface InviteTransitionRequest {
  /** The transition happens only if the invite is in this state (accept once, not twice). */
  readonly from: InviteState;
  readonly to: InviteState;
  readonly acceptedBy?: string;
}

export type InviteTransition =
  | { readonly status: 'updated'; readonly invite: InviteRecord }
  | { readonly status: 'not-found' }
  | { readonly status: 'conflict'; readonly invite: InviteRecord };

export interface InviteLedger {
  /** Rejects with INVALID_REQUEST if the token already exists. */
  create(input: NewInviteRecord): Promise<InviteRecord>;
  find(token: string): Promise<InviteRecord | undefined>;
  /** Atomic compare-and-set on the invite state. */
  transition(token: string, request: InviteTransitionRequest): Promise<InviteTransition>;
}

export interface NewOutboxItem {
  readonly peerHost: string;
  /** What to deliver, e.g. 'share-accepted'; interpreted by the delivering service. */
  readonly kind: string;
  /** JSON-serialisable; encrypted at rest because notifications may carry secrets. */
  readonly payload: unknown;
  readonly shareId?: string;
  /** Epoch ms of the first attempt; defaults to now. */
  readonly dueAt?: number;
}

export interface OutboxItem {
  readonly id: string;
  readonly peerHost: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly shareId: string | undefined;
  /** How many times the item was claimed (a crashed worker counts too), for backoff. */
  readonly attempts: number;
  /** Epoch ms of the next attempt. */
  readonly dueAt: number;
  readonly createdAt: number;
  /** Why the last attempt failed; must not contain secrets. */
  readonly lastError: string | undefined;
  readonly leaseOwner: string | undefined;
  readonly leaseUntil: number | undefined;
}

export interface OutboxClaimRequest {
  /** Random id of the claiming worker (one per replica or per drain loop). */
  readonly owner: string;
  /** While leased, no other owner can claim the item; after it, the item is claimable again. */
  readonly leaseMs: number;
  readonly limit: number;
}

export interface OutboxNack {
  /** When to try again, from now (the caller owns the backoff policy, using `attempts`). */
  readonly retryAfterMs: number;
  readonly error?: string;
}

export interface Outbox {
  enqueue(item: NewOutboxItem): Promise<OutboxItem>;
  /** Leases up to `limit` due items, oldest due first; an item is never leased to two owners. */
  claim(request: OutboxClaimRequest): Promise<readonly OutboxItem[]>;
  /** Delivered: removes the item. False if `owner` no longer holds the lease. */
  ack(id: string, owner: string): Promise<boolean>;
  /** Not delivered: releases the lease and reschedules. False if `owner` no longer holds it. */
  nack(id: string, owner: string, nack: OutboxNack): Promise<boolean>;
  /** Due, unleased items (for operators and tests), oldest due first. */
  listDue(limit: number): Promise<readonly OutboxItem[]>;
}

/** What a rewrap moved from a previous ledger key to the current one, by kind of record. */
export interface RewrapReport {
  readonly shares: number;
  readonly invites: number;
  readonly outbox: number;
}

export interface Ledger extends StoreLifecycle {
  readonly shares: ShareLedger;
  readonly invites: InviteLedger;
  readonly outbox: Outbox;
  /**
   * After a ledger key rotation: re-seals and re-indexes every record a previous key wrote, with
   * the current key, so that the previous keys can be dropped. Records already on the current key
   * are left alone (a second run moves nothing); a record changed meanwhile is skipped and moved
   * by the next run. Safe while gateways serve from the same ledger, if they hold both keys.
   */
  rewrap(): Promise<RewrapReport>;
}
