/**
 * Peers reading files the backend shared with them (DESIGN §3 flow 5, ocm-versions §5,
 * legacy-protocols §1.10): Basic with the secret as user goes to the backend unchanged; a Bearer
 * `sharedSecret` (OCM 1.1+) or a Bearer access token from our token endpoint is checked here and
 * replaced by the Basic credential the backend's `public.php/webdav` expects.
 */
import { writePublicWebdavAuth } from '../core/dialects/ocs-common/public-webdav-auth.ts';
import {
  looksLikeJwt,
  verifyAccessToken,
  type AccessTokenCheck,
} from '../core/tokens/access-token.ts';
import { isSharePeer, usableShareFor } from '../core/tokens/usable-share.ts';
import type { Clock } from '../ports/clock.ts';
import type { ShareLedger, ShareRecord } from '../ports/ledger.ts';

export interface PeerWebdavDeps {
  readonly shares: Pick<ShareLedger, 'findBySecret' | 'get'>;
  /** `deriveAccessTokenKey(ledgerKey)`, the key the token endpoint signs with. */
  readonly tokenKey: Uint8Array;
  /**
   * The same derived from the ledger keys it replaced: tokens issued before a rotation stay
   * valid until they expire, so peers holding one are not cut off mid-transfer.
   */
  readonly previousTokenKeys?: readonly Uint8Array[];
  /** Our public URL: the audience every token must name. */
  readonly audience: string;
  readonly clock: Clock;
}

export type PeerWebdavDecision =
  /** Not a Bearer request (legacy Basic, anonymous): the backend decides, unchanged. */
  | { readonly kind: 'pass' }
  /** Send to the backend with this `Authorization` instead of the peer's. */
  | { readonly kind: 'forward'; readonly authorization: string; readonly shareId: string }
  /** RFC 6750 §3.1 `invalid_token`: never reaches the backend. Says why, without the credential. */
  | { readonly kind: 'refuse'; readonly description: string };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function createPeerWebdavAuthoriser(
  deps: PeerWebdavDeps,
): (authorization: string | undefined) => Promise<PeerWebdavDecision> {
  return async (authorization) => {
    if (authorization === undefined || !/^Bearer(?:[ \t]|$)/i.test(authorization)) {
      return { kind: 'pass' };
    }
    const credential = BEARER.exec(authorization)?.[1];
    if (credential === undefined) return { kind: 'refuse', description: 'malformed Bearer' };

    if (looksLikeJwt(credential)) {
      return forwardToken(deps, await verifyWithAnyKey(deps, credential));
    }
    // OCM 1.1+: the share's secret itself as the Bearer token.
    const record = usableShareFor(await deps.shares.findBySecret(credential));
    if (record === undefined) return { kind: 'refuse', description: 'unknown or ended share' };
    return forward(record);
  };
}

/** The current key first; a previous one only for a token whose signature the current one refutes. */
async function verifyWithAnyKey(deps: PeerWebdavDeps, token: string): Promise<AccessTokenCheck> {
  const options = { audience: deps.audience, now: deps.clock() };
  let check = await verifyAccessToken(token, deps.tokenKey, options);
  for (const key of deps.previousTokenKeys ?? []) {
    // `expired` comes after a good signature: that key was the right one.
    if (check.ok || check.reason === 'expired') break;
    check = await verifyAccessToken(token, key, options);
  }
  return check;
}

async function forwardToken(
  deps: PeerWebdavDeps,
  check: AccessTokenCheck,
): Promise<PeerWebdavDecision> {
  if (!check.ok) {
    return {
      kind: 'refuse',
      description: check.reason === 'expired' ? 'the access token expired' : 'invalid token',
    };
  }
  const record = usableShareFor(await deps.shares.get(check.claims.shareId));
  // A token opens the one share it was issued for, and only for the peer it was issued to.
  if (record === undefined || !isSharePeer(record, check.claims.clientId)) {
    return { kind: 'refuse', description: 'the share of this token has ended' };
  }
  return forward(record);
}

/**
 * For shares the backend gave to peers the ledger secret is the backend's own share token (the
 * one it put in its createShare), so the backend's credential is always the record's own: a
 * credential for share A can never open share B.
 */
function forward(record: ShareRecord): PeerWebdavDecision {
  return {
    kind: 'forward',
    authorization: writePublicWebdavAuth({ token: record.sharedSecret, password: '' }),
    shareId: record.id,
  };
}
