/**
 * Flow 1 (DESIGN §3, issue 7 item 3): a peer's share, already parsed from its dialect and
 * authenticated by the route, is checked against what the backend can take, recorded in the
 * ledger (idempotent on peer host + providerId) and delivered once to the backend under the
 * ledger's numeric alias, with the peer's facade URL as `remote`. A retry of a delivered share
 * gets the first answer without a second backend call; a share whose delivery failed is
 * delivered again on retry (its record has no backendShareId yet).
 */
import { randomInt } from 'node:crypto';
import { checkLocalRecipient } from '../core/backend/index.ts';
import { createShareRefusalIssues } from '../core/backend/create-share-refusal.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { normalisePeerHost } from '../core/facade/index.ts';
import type { CanonicalShare } from '../core/model/canonical-share.ts';
import type { DialectId } from '../core/model/dialect-id.ts';
import type { BackendClient, BackendProfileSource } from '../ports/backend-client.ts';
import type { ShareLedger, ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import { acquireHeldLock } from './held-lock.ts';
import { retryLedgerWrite } from './retry-ledger-write.ts';
import { secretsEqual } from './secrets-equal.ts';
import { checkBackendTakesShare } from './receive-ocm-share-checks.ts';

export interface ReceiveOcmShareDeps {
  readonly ledger: ShareLedger;
  readonly backend: BackendClient;
  readonly backendProfile: BackendProfileSource;
  /** GATEWAY_PUBLIC_URL: `shareWith` must name a user of this server. */
  readonly publicUrl: string;
  /** Other base URLs its users' addresses may name (a multi-backend `userDomains`), same scheme. */
  readonly otherLocalUrls?: readonly string[];
  readonly logger: Logger;
  /**
   * When given: remembers the backend's answer (recipientDisplayName) for retries, and locks a
   * delivery across replicas. Without it, a retry answers with the recipient's uid.
   */
  readonly shortLived?: ShortLivedStore;
  /**
   * TTL of the delivery lock, renewed while the delivery runs (default 15 000): a replica that
   * dies mid-delivery blocks retries of that share for at most this long.
   */
  readonly lockTtlMs?: number;
  /** Pauses between tries of the ledger write after the backend took the share. */
  readonly ledgerRetryDelaysMs?: readonly number[];
}

export interface ReceiveOcmShareInput {
  /** The share as the route parsed it from the peer's dialect. */
  readonly share: CanonicalShare;
  /** The peer: the verified signer's host, else the host the body names (owner/sender). */
  readonly peerHost: string;
  /** The dialect the peer spoke (kept in the ledger for replies and callbacks). */
  readonly peerDialect: DialectId;
}

export interface ReceiveOcmShareResult {
  /** For the 201 body in the peer's dialect. */
  readonly recipientDisplayName: string;
  /** False when this call was a retry of a share the ledger already had. */
  readonly created: boolean;
  /** Ledger record id and alias, for logs. */
  readonly shareId: string;
  readonly alias: number;
}

export type ReceiveOcmShare = (input: ReceiveOcmShareInput) => Promise<ReceiveOcmShareResult>;

/** How long the first answer is remembered for retries. */
const REPLY_TTL_MS = 24 * 3600 * 1000;
const LOCK_TTL_MS = 15 * 1000;

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A token for the backend when the peer offered a code only: alphanumeric (Pydio), ≤ 128 (ownCloud). */
function backendToken(): string {
  let token = '';
  for (let i = 0; i < 32; i++) token += TOKEN_ALPHABET.charAt(randomInt(TOKEN_ALPHABET.length));
  return token;
}

/** A backend's 400 without fields gets the fields its wording names (create-share-refusal.ts). */
function withNamedFields(raw: unknown): unknown {
  if (!(raw instanceof GatewayError) || raw.code !== 'INVALID_REQUEST' || raw.issues.length > 0) {
    return raw;
  }
  const issues = createShareRefusalIssues(raw.message);
  if (issues.length === 0) return raw;
  return new GatewayError(raw.code, raw.message, { issues, cause: raw.cause });
}

function userPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(0, at) : address;
}

export function createReceiveOcmShare(deps: ReceiveOcmShareDeps): ReceiveOcmShare {
  const inFlight = new Map<string, Promise<ReceiveOcmShareResult>>();
  const replyKey = (record: ShareRecord) => `backend-share-reply:${record.id}`;

  async function replay(record: ShareRecord): Promise<ReceiveOcmShareResult> {
    let name: string | undefined;
    try {
      name = await deps.shortLived?.getToken(replyKey(record));
    } catch (error) {
      deps.logger.debug('remembered share answer unavailable', { error });
    }
    return {
      recipientDisplayName: name ?? userPart(record.shareWith),
      created: false,
      shareId: record.id,
      alias: record.alias,
    };
  }

  async function deliver(
    record: ShareRecord,
    share: CanonicalShare,
    peerHost: string,
    created: boolean,
  ): Promise<ReceiveOcmShareResult> {
    const lock =
      deps.shortLived === undefined
        ? undefined
        : await acquireHeldLock(deps.shortLived, `backend-share:${record.id}`, {
            ttlMs: deps.lockTtlMs ?? LOCK_TTL_MS,
            logger: deps.logger,
          });
    if (deps.shortLived !== undefined && lock === undefined) {
      throw new GatewayError('UNAVAILABLE', 'This share is being delivered; retry shortly.', {
        retryAfterSeconds: 5,
      });
    }
    try {
      const fresh = (await deps.ledger.get(record.id)) ?? record;
      if (fresh.backendShareId !== undefined) return await replay(fresh);
      const webdav = share.protocols.webdav;
      const result = await deps.backend
        .createShare({
          share: {
            ...share,
            providerId: String(record.alias),
            legacy: { ...share.legacy, remoteId: record.alias },
            // The recorded secret is the backend's token: the peer's, or ours for a code-only share.
            protocols: {
              ...share.protocols,
              ...(webdav !== undefined && {
                webdav: { ...webdav, sharedSecret: record.sharedSecret },
              }),
            },
          },
          peerHost,
        })
        .catch((raw: unknown) => {
          throw withNamedFields(raw);
        });
      // The backend knows a received share by the alias (its remoteId) unless it named its own id.
      // The backend has the share now: a 503 here would make the peer send it again.
      await retryLedgerWrite(
        () =>
          deps.ledger.update(record.id, {
            backendShareId: result.backendShareId ?? String(record.alias),
          }),
        deps.ledgerRetryDelaysMs,
      );
      if (result.displayNameFromBackend) {
        await deps.shortLived
          ?.setToken(replyKey(record), result.recipientDisplayName, REPLY_TTL_MS)
          .catch((error: unknown) => {
            deps.logger.debug('could not remember the share answer', { error });
          });
      }
      deps.logger.info('share delivered to the backend', {
        peerHost,
        providerId: record.providerId,
        alias: record.alias,
        retried: !created,
        warnings: result.warnings.map((w) => `${w.field}: ${w.message}`),
      });
      return {
        recipientDisplayName: result.recipientDisplayName,
        created,
        shareId: record.id,
        alias: record.alias,
      };
    } finally {
      await lock?.release();
    }
  }

  return async (input) => {
    const host = normalisePeerHost(input.peerHost, 'peerHost');
    if (!host.ok)
      throw new GatewayError('INVALID_REQUEST', 'Unknown peer host.', { issues: host.issues });
    const { share } = input;
    let recipient = checkLocalRecipient(share.shareWith, deps.publicUrl);
    for (const url of deps.otherLocalUrls ?? []) {
      if (recipient.ok) break;
      const other = checkLocalRecipient(share.shareWith, url);
      if (other.ok) recipient = other;
    }
    if (!recipient.ok) {
      throw new GatewayError('INVALID_REQUEST', 'shareWith is not a user of this server.', {
        issues: recipient.issues,
      });
    }
    let profile = deps.backendProfile.current();
    // The backend was not identified yet (down at start): look again before choosing its dialect.
    if (profile.status === 'unknown') profile = await deps.backendProfile.refresh();
    const access = checkBackendTakesShare(share, profile);
    const { record, created } = await deps.ledger.create({
      direction: 'incoming',
      peerHost: host.value,
      providerId: share.providerId,
      sharedSecret: access.peerSecret ?? backendToken(),
      ...(access.protocol !== undefined && { protocol: access.protocol }),
      dialects: { peer: input.peerDialect, backend: profile.dialect },
      owner: share.owner,
      sender: share.sender,
      shareWith: share.shareWith,
      resourceName: share.name,
    });
    if (!created) {
      const recordedCode = record.protocol?.code;
      const sameAccess =
        access.peerSecret !== undefined
          ? secretsEqual(record.sharedSecret, access.peerSecret)
          : recordedCode !== undefined && secretsEqual(recordedCode, share.code ?? '');
      if (!sameAccess || record.shareWith !== share.shareWith) {
        throw new GatewayError('INVALID_REQUEST', 'providerId already names another share.', {
          issues: [{ field: 'providerId', message: 'is already used by a different share' }],
        });
      }
      if (record.backendShareId !== undefined) return replay(record);
    }
    const running = inFlight.get(record.id);
    if (running !== undefined) return { ...(await running), created: false };
    const delivery = deliver(record, share, host.value, created).finally(() => {
      inFlight.delete(record.id);
    });
    inFlight.set(record.id, delivery);
    return delivery;
  };
}
