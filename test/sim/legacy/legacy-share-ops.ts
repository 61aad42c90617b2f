/** Share operations the legacy OCS routes and the early-OCM receivers have in common: storing a
 * received share, flat re-sharing on the owner side, token checks. */
import { splitCloudId, stripScheme } from '../common/cloud-id.ts';
import { localCloudId, type LegacyContext } from './legacy-context.ts';
import type { OwnerShare, ReceivedShare } from './legacy-state.ts';
import { sendShare } from './legacy-sender.ts';

/** OC/NC Util::isValidFileName as far as federated mount names need it. */
export function isValidMountName(name: string): boolean {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed === '.' || trimmed === '..') return false;
  if (/[/\\\n]/.test(name)) return false;
  return trimmed.toLowerCase() !== '.htaccess';
}

export interface IncomingShare {
  shareWith: string;
  shareType: 'user' | 'group';
  token: string;
  name: string;
  remoteId: string;
  owner: string;
  ownerFederatedId: string;
  sharedBy: string;
  sharedByFederatedId: string;
  remote: string;
  via: ReceivedShare['via'];
}

export function storeReceivedShare(ctx: LegacyContext, s: IncomingShare): ReceivedShare {
  return ctx.state.addReceived({ ...s, accepted: ctx.knobs.autoAccept });
}

function sameCloudId(a: string, b: string): boolean {
  const x = splitCloudId(a);
  const y = splitCloudId(b);
  if (x === undefined || y === undefined) return false;
  return (
    x.user === y.user && stripScheme(x.remote).toLowerCase() === stripScheme(y.remote).toLowerCase()
  );
}

export type ReshareOutcome =
  | { kind: 'ok'; share: OwnerShare }
  | { kind: 'to-owner' }
  | { kind: 'no-share-permission' }
  | { kind: 'bad-recipient' };

/**
 * Owner side of flat re-sharing (legacy /reshare and OCM REQUEST_RESHARE): a new share from the
 * owner to `shareWith`, sharedBy = the requester, then a createShare to the new recipient.
 */
export function createFlatReshare(
  ctx: LegacyContext,
  parent: OwnerShare,
  req: { shareWith: string; permission: number; requesterId: string },
): ReshareOutcome {
  if (splitCloudId(req.shareWith) === undefined) return { kind: 'bad-recipient' };
  if (sameCloudId(req.shareWith, localCloudId(ctx, parent.owner))) return { kind: 'to-owner' };
  if ((parent.permissions & 16) === 0) return { kind: 'no-share-permission' };
  const share = ctx.state.addShare({
    owner: parent.owner,
    sharedBy: parent.shareWith,
    path: parent.path,
    node: parent.node,
    shareWith: req.shareWith,
    permissions: (req.permission || parent.permissions) & parent.permissions,
    accepted: false,
    reshareRemoteId: req.requesterId,
    parentId: parent.id,
  });
  ctx.track(sendShare(ctx, share));
  return { kind: 'ok', share };
}

/** Owner-side lookup used by accept/decline/reshare/permissions/revoke. */
export function ownerShare(
  ctx: LegacyContext,
  id: number,
  token: string,
): { share: OwnerShare } | { error: 'unknown-id' | 'bad-token' } {
  const share = ctx.state.shares.get(id);
  if (share === undefined) return { error: 'unknown-id' };
  if (share.token !== token) return { error: 'bad-token' };
  return { share };
}
