/** Nextcloud 14–30 early-OCM receiver (cloud_federation_api + CloudFederationProviderFiles) at
 * /index.php/ocm/{shares,notifications}: `sharedBy` read, `sender` ignored, 201 with
 * recipientDisplayName, `{"message","validationErrors"}` errors (legacy-protocols.md §3.1–3.3). */
import { splitCloudId } from '../common/cloud-id.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { SimRouter } from '../common/sim-router.ts';
import { phpJson } from '../common/ocs-envelope.ts';
import type { LegacyContext } from './legacy-context.ts';
import { phpIntval } from './legacy-state.ts';
import {
  createFlatReshare,
  isValidMountName,
  ownerShare,
  storeReceivedShare,
} from './legacy-share-ops.ts';

function reply(status: number, body: unknown): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: phpJson(body),
  };
}

const bad = (message: string) => reply(400, { message, validationErrors: [] });
const notImplemented = (message: string) => reply(501, { message });

function params(req: SimRequest): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null
    ? (req.body as Record<string, unknown>)
    : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function shares(ctx: LegacyContext, req: SimRequest): SimResponse {
  const p = params(req);
  const protocol = p.protocol as
    { name?: unknown; options?: { sharedSecret?: unknown } } | undefined;
  const required = ['shareWith', 'name', 'providerId', 'owner', 'resourceType', 'shareType'];
  if (
    required.some((k) => p[k] === undefined || p[k] === null) ||
    typeof protocol !== 'object' ||
    typeof protocol.name !== 'string' ||
    typeof protocol.options !== 'object' ||
    str(protocol.options.sharedSecret) === ''
  ) {
    return bad('Missing arguments');
  }
  if (p.resourceType !== 'file') {
    return notImplemented(
      `Cloud Federation Provider with ID: "${str(p.resourceType)}" does not exist.`,
    );
  }
  if (!ctx.knobs.incomingEnabled)
    return reply(503, { message: 'Server does not support federated cloud sharing' });
  const recipient = splitCloudId(str(p.shareWith));
  if (recipient === undefined) return bad('Invalid shareWith, it must be a federated cloud id');
  const baseUrl = ctx.publicUrl();
  const shareType = str(p.shareType);
  let displayName: string;
  if (shareType === 'user') {
    if (!ctx.state.users.has(recipient.user))
      return bad(`User "${recipient.user}" does not exists at ${baseUrl}`);
    displayName = ctx.state.displayName(recipient.user);
  } else if (shareType === 'group') {
    if (!ctx.state.groups.has(recipient.user))
      return bad(`Group "${recipient.user}" does not exists at ${baseUrl}`);
    displayName = recipient.user;
  } else return notImplemented(`Share type "${shareType}" not implemented`);
  if (protocol.name !== 'webdav') return notImplemented('Unsupported protocol for data exchange.');
  const owner = splitCloudId(str(p.owner));
  if (owner === undefined) return bad('Invalid owner, it must be a federated cloud id');
  if (!isValidMountName(str(p.name)))
    return bad('The mountpoint name contains invalid characters.');
  const sharedBy = str(p.sharedBy) || str(p.owner);
  storeReceivedShare(ctx, {
    shareWith: recipient.user,
    shareType,
    token: str(protocol.options.sharedSecret),
    name: str(p.name),
    remoteId: str(p.providerId),
    owner: str(p.ownerDisplayName) || owner.user,
    ownerFederatedId: str(p.owner),
    sharedBy: str(p.sharedByDisplayName) || sharedBy,
    sharedByFederatedId: sharedBy,
    remote: `${owner.remote}/`,
    via: 'ocm',
  });
  const body: Record<string, string> = { recipientDisplayName: displayName };
  if (shareType === 'user') body.recipientUserId = recipient.user;
  return reply(201, body);
}

function notifications(ctx: LegacyContext, req: SimRequest): SimResponse {
  const p = params(req);
  const n = p.notification;
  if (
    str(p.notificationType) === '' ||
    str(p.resourceType) === '' ||
    str(p.providerId) === '' ||
    typeof n !== 'object' ||
    n === null
  ) {
    return bad('Missing arguments');
  }
  if (p.resourceType !== 'file') {
    return notImplemented(
      `Cloud Federation Provider with ID: "${str(p.resourceType)}" does not exist.`,
    );
  }
  const type = str(p.notificationType);
  const providerId = str(p.providerId);
  const secret = str((n as Record<string, unknown>).sharedSecret);
  if (type === 'SHARE_UNSHARED') {
    const rows = ctx.state.receivedByRemoteId(providerId, secret);
    if (rows.length === 0) return reply(403, { message: 'RESOURCE_NOT_FOUND' });
    for (const r of rows) ctx.state.received.delete(r.id);
    return reply(201, []);
  }
  if (type === 'RESHARE_CHANGE_PERMISSION') return bad(`Internal error at ${ctx.publicUrl()}/`);
  if (!['SHARE_ACCEPTED', 'SHARE_DECLINED', 'REQUEST_RESHARE', 'RESHARE_UNDO'].includes(type)) {
    return notImplemented(`Action "${type}" not supported`);
  }
  const found = ownerShare(ctx, phpIntval(providerId), secret);
  if ('error' in found) {
    return found.error === 'unknown-id'
      ? bad('Share not found')
      : reply(403, { message: 'RESOURCE_NOT_FOUND' });
  }
  const share = found.share;
  switch (type) {
    case 'SHARE_ACCEPTED':
      share.accepted = true;
      return reply(201, []);
    case 'SHARE_DECLINED':
    case 'RESHARE_UNDO':
      ctx.state.shares.delete(share.id);
      return reply(201, []);
    default: {
      const nn = n as Record<string, unknown>;
      const outcome = createFlatReshare(ctx, share, {
        shareWith: str(nn.shareWith),
        permission: 0,
        requesterId: str(nn.senderId),
      });
      if (outcome.kind !== 'ok') return bad(`Resharing of share ${providerId} is not allowed`);
      return reply(201, { token: outcome.share.token, providerId: outcome.share.id });
    }
  }
}

export function addNextcloudOcmRoutes(router: SimRouter, ctx: LegacyContext): void {
  const base = ctx.traits.ocmEndpointPath;
  router.on('POST', `${base}/shares`, (req) => shares(ctx, req));
  router.on('POST', `${base}/notifications`, (req) => notifications(ctx, req));
}
