/**
 * Whether this backend's ledger holds the share a peer's request is about, from what the request
 * carries: a notification's providerId (and the host its signature claims), a share secret (the
 * token endpoint's code, the Basic user of a legacy public WebDAV read), or a Bearer credential
 * (an access token this gateway issued, or the secret itself). An organisation edge asks each
 * backend on a shared host in turn (backend-router.ts); the answer only chooses where the request
 * goes, the chosen backend's app then authenticates it as always.
 */
import type { ShareLedger } from '../ports/ledger.ts';
import type { PeerWebdavDecision } from './authorise-peer-webdav.ts';
import { findNotifiedShare, type NotifiedShareQuery } from './find-notified-share.ts';

export type ShareClue =
  | { readonly kind: 'notification'; readonly query: NotifiedShareQuery }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'bearer'; readonly credential: string };

export type ShareOwnerCheck = (clue: ShareClue) => Promise<boolean>;

export interface ShareOwnerCheckDeps {
  readonly shares: Pick<ShareLedger, 'findByKey' | 'findBySecret'>;
  /** This backend's peer WebDAV authoriser: a Bearer credential is ours when it would forward it. */
  readonly authoriseBearer: (authorization: string) => Promise<PeerWebdavDecision>;
}

export function createShareOwnerCheck(deps: ShareOwnerCheckDeps): ShareOwnerCheck {
  const holdsSecret = async (secret: string) =>
    secret !== '' && (await deps.shares.findBySecret(secret)) !== undefined;
  return async (clue) => {
    switch (clue.kind) {
      case 'notification':
        return (await findNotifiedShare(deps.shares, clue.query)) !== undefined;
      case 'secret':
        return holdsSecret(clue.secret);
      case 'bearer':
        return (await deps.authoriseBearer(`Bearer ${clue.credential}`)).kind === 'forward';
    }
  };
}
