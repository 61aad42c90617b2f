/** The user gestures that make a legacy server call a remote: accept/decline a received share,
 * unshare an outgoing one, and the flat re-share requests (legacy-protocols.md §1.4–1.8, §3.2). */
import { splitCloudId } from '../common/cloud-id.ts';
import type { LegacyContext } from './legacy-context.ts';
import type { ReceivedShare, OwnerShare } from './legacy-state.ts';
import { notifyRemote, type SendResult } from './legacy-sender.ts';

/** A re-share this server asked the owner for (requester side). */
export interface ReshareRequest {
  localId: number;
  receivedId: number;
  shareWith: string;
  result: SendResult;
  /** The owner's new share token and id, when the owner answered with them. */
  token?: string;
  remoteId?: string;
}

type Messages = Record<
  'accept' | 'decline' | 'unshare' | 'reshare' | 'undo' | 'permissions',
  string
>;

const NC: Messages = {
  accept: 'Recipient accept the share',
  decline: 'Recipient declined the share',
  unshare: 'file is no longer shared with you',
  reshare: 'Ask owner to reshare the file',
  undo: 'reshare was revoked',
  permissions: 'permissions changed',
};
const OC10: Messages = {
  accept: 'Recipient accepted the share',
  decline: 'Recipient declined the share or unshared it from themself',
  unshare: 'File was unshared',
  reshare: 'Ask owner to reshare the file',
  undo: 'Tell the owner (or the sender of a reshare) that the reshare was unshared',
  permissions: 'Tell the owner (or the sender of the reshare) that the permissions changed',
};

function messages(ctx: LegacyContext): Messages {
  return ctx.traits.ocmServer === 'owncloud10' ? OC10 : NC;
}

function ocmFor(ctx: LegacyContext, type: string, notification: Record<string, unknown>) {
  return ctx.traits.ocmSender === 'none' ? undefined : { notificationType: type, notification };
}

export async function acceptReceived(ctx: LegacyContext, r: ReceivedShare): Promise<SendResult> {
  r.accepted = true;
  return notifyRemote(ctx, {
    remote: r.remote,
    id: r.remoteId,
    action: 'accept',
    legacy: { token: r.token },
    ocm: ocmFor(ctx, 'SHARE_ACCEPTED', { sharedSecret: r.token, message: messages(ctx).accept }),
  });
}

export async function declineReceived(ctx: LegacyContext, r: ReceivedShare): Promise<SendResult> {
  ctx.state.received.delete(r.id);
  return notifyRemote(ctx, {
    remote: r.remote,
    id: r.remoteId,
    action: 'decline',
    legacy: { token: r.token },
    ocm: ocmFor(ctx, 'SHARE_DECLINED', { sharedSecret: r.token, message: messages(ctx).decline }),
  });
}

export async function unshareOutgoing(ctx: LegacyContext, s: OwnerShare): Promise<SendResult> {
  ctx.state.shares.delete(s.id);
  const target = splitCloudId(s.shareWith);
  if (target === undefined) return { ok: false, error: 'recipient is not a cloud id' };
  // Nextcloud really sends the misspelt key `messgage`; ownCloud 9.0 put format=json in the body.
  const notification =
    ctx.traits.ocmServer === 'nextcloud'
      ? { sharedSecret: s.token, messgage: messages(ctx).unshare }
      : { sharedSecret: s.token, message: messages(ctx).unshare };
  const legacy =
    ctx.traits.flavour === 'owncloud9' ? { token: s.token, format: 'json' } : { token: s.token };
  return notifyRemote(ctx, {
    remote: target.remote,
    id: String(s.id),
    action: 'unshare',
    legacy,
    ocm: ocmFor(ctx, 'SHARE_UNSHARED', notification),
  });
}

function tokenPair(ctx: LegacyContext, r: SendResult): { token?: string; remoteId?: string } {
  const body = r.body as Record<string, unknown> | undefined;
  if (r.via === 'ocm') {
    const key = ctx.traits.ocmServer === 'owncloud10' ? 'sharedSecret' : 'token';
    const token = body?.[key];
    const id = body?.providerId;
    return typeof token === 'string' && (typeof id === 'string' || typeof id === 'number')
      ? { token, remoteId: String(id) }
      : {};
  }
  const data = (body as { ocs?: { data?: Record<string, unknown> } } | undefined)?.ocs?.data;
  const token = data?.token;
  const id = data?.remoteId;
  return typeof token === 'string' && (typeof id === 'string' || typeof id === 'number')
    ? { token, remoteId: String(id) }
    : {};
}

/** Requester side of flat re-sharing: ask the owner to share `r` with `shareWith` too. */
export async function requestReshare(
  ctx: LegacyContext,
  r: ReceivedShare,
  shareWith: string,
  permission: number,
  localId: number,
): Promise<ReshareRequest> {
  if (!ctx.traits.actions.has('reshare')) {
    return {
      localId,
      receivedId: r.id,
      shareWith,
      result: { ok: false, error: `${ctx.traits.flavour} has no flat re-sharing` },
    };
  }
  const notification: Record<string, unknown> =
    ctx.traits.ocmServer === 'nextcloud'
      ? {
          sharedSecret: r.token,
          shareWith,
          senderId: String(localId),
          shareType: 6,
          message: messages(ctx).reshare,
        }
      : {
          sharedSecret: r.token,
          message: messages(ctx).reshare,
          senderId: String(localId),
          shareWith,
        };
  const result = await notifyRemote(ctx, {
    remote: r.remote,
    id: r.remoteId,
    action: 'reshare',
    legacy: {
      token: r.token,
      shareWith,
      permission: String(permission),
      remoteId: String(localId),
    },
    ocm: ocmFor(ctx, 'REQUEST_RESHARE', notification),
    // Nextcloud falls back to legacy /reshare when the OCM answer lacks its token pair.
    accept: (res) =>
      ctx.traits.ocmServer === 'owncloud10' || tokenPair(ctx, res).token !== undefined,
  });
  return { localId, receivedId: r.id, shareWith, result, ...tokenPair(ctx, result) };
}

/** Re-sharer removes its re-share: NC ≥ 14 sends `reshare_undo` (legacy path 404s everywhere). */
export async function undoReshare(
  ctx: LegacyContext,
  r: ReceivedShare,
  req: ReshareRequest,
): Promise<SendResult> {
  if (req.token === undefined || req.remoteId === undefined)
    return { ok: false, error: 'no token pair from the owner' };
  return notifyRemote(ctx, {
    remote: r.remote,
    id: req.remoteId,
    action: ctx.traits.flavour === 'nextcloud-ocm' ? 'reshare_undo' : 'revoke',
    legacy: { token: req.token },
    ocm: ocmFor(ctx, 'RESHARE_UNDO', { sharedSecret: req.token, message: messages(ctx).undo }),
  });
}

const PERMISSION_NAMES: [number, string][] = [
  [1, 'read'],
  [6, 'write'],
  [16, 'share'],
];

/** Re-sharer changed the permissions of its re-share: Nextcloud sends legacy only, OC 10 OCM first. */
export async function changeResharePermissions(
  ctx: LegacyContext,
  r: ReceivedShare,
  req: ReshareRequest,
  permissions: number,
): Promise<SendResult> {
  if (req.token === undefined || req.remoteId === undefined)
    return { ok: false, error: 'no token pair from the owner' };
  const names = PERMISSION_NAMES.filter(([bit]) => (permissions & bit) !== 0).map(([, n]) => n);
  return notifyRemote(ctx, {
    remote: r.remote,
    id: req.remoteId,
    action: 'permissions',
    legacy: { token: req.token, permissions: String(permissions) },
    ocm:
      ctx.traits.ocmServer === 'owncloud10'
        ? {
            notificationType: 'RESHARE_CHANGE_PERMISSION',
            notification: { sharedSecret: req.token, message: OC10.permissions, permission: names },
          }
        : undefined,
  });
}
