/** ownCloud 10.1+ early-OCM receiver (OcmController, `1.0-proposal1`) at
 * /index.php/apps/federatedfilesharing/{shares,notifications}: 201 `[]`, `{"message"}` errors,
 * only user/file/webdav, `sender` read and `sharedBy` ignored (legacy-protocols.md §3.1–3.2). */
import { splitAtLastAt } from '../common/cloud-id.ts';
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

const err = (status: number, message: string) => reply(status, { message });

function params(req: SimRequest): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null
    ? (req.body as Record<string, unknown>)
    : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function missingOf(p: Record<string, unknown>, names: string[]): string[] {
  return names.filter((n) => str(p[n]) === '');
}

function shares(ctx: LegacyContext, req: SimRequest): SimResponse {
  if (!ctx.knobs.incomingEnabled) return err(501, '');
  const p = params(req);
  const missing = missingOf(p, [
    'shareWith',
    'name',
    'providerId',
    'owner',
    'shareType',
    'resourceType',
  ]);
  if (missing.length > 0) return err(400, `Required parameters are missing: ${missing.join(', ')}`);
  const protocol = (typeof p.protocol === 'object' && p.protocol !== null ? p.protocol : {}) as {
    name?: unknown;
    options?: { sharedSecret?: unknown };
  };
  const secret = str(protocol.options?.sharedSecret);
  if (secret === '') return err(400, 'server can not add federated share, missing parameter');
  if (p.shareType !== 'user') return err(501, `ShareType ${str(p.shareType)} is not supported`);
  if (p.resourceType !== 'file')
    return err(501, `ResourceType ${str(p.resourceType)} is not supported`);
  if (protocol.name !== 'webdav')
    return err(501, `Protocol ${str(protocol.name)} is not supported`);
  const recipient = splitAtLastAt(str(p.shareWith));
  const uid = recipient?.user ?? str(p.shareWith);
  if (!ctx.state.users.has(uid)) return err(400, `User ${uid} does not exist`);
  const name = str(p.name);
  if (!isValidMountName(name)) return err(400, 'The mountpoint name contains invalid characters.');
  const owner = splitAtLastAt(str(p.owner));
  if (owner === undefined) return err(400, 'Invalid owner');
  const sender = str(p.sender) || str(p.owner);
  storeReceivedShare(ctx, {
    shareWith: uid,
    shareType: 'user',
    token: secret,
    name,
    remoteId: str(p.providerId),
    owner: str(p.ownerDisplayName) || owner.user,
    ownerFederatedId: str(p.owner),
    sharedBy: str(p.senderDisplayName) || sender,
    sharedByFederatedId: sender,
    remote: owner.remote,
    via: 'ocm',
  });
  return reply(201, []);
}

const PERMISSION_BITS: Record<string, number> = { read: 1, write: 6, share: 16 };

function notifications(ctx: LegacyContext, req: SimRequest): SimResponse {
  const p = params(req);
  const missing = missingOf(p, ['notificationType', 'resourceType', 'providerId']);
  if (missing.length > 0 || typeof p.notification !== 'object' || p.notification === null) {
    return err(400, `Required parameters are missing: ${[...missing, 'notification'].join(', ')}`);
  }
  if (p.resourceType !== 'file')
    return err(501, `ResourceType ${str(p.resourceType)} is not supported`);
  const n = p.notification as Record<string, unknown>;
  const type = str(p.notificationType);
  const providerId = str(p.providerId);
  const secret = str(n.sharedSecret);
  if (type === 'SHARE_UNSHARED') {
    for (const r of ctx.state.receivedByRemoteId(providerId, secret))
      ctx.state.received.delete(r.id);
    return reply(201, []);
  }
  if (
    !['SHARE_ACCEPTED', 'SHARE_DECLINED', 'REQUEST_RESHARE', 'RESHARE_CHANGE_PERMISSION'].includes(
      type,
    )
  ) {
    return err(501, `Notification of type ${type} is not supported`);
  }
  const id = phpIntval(providerId);
  const found = ownerShare(ctx, id, secret);
  if ('error' in found) {
    return found.error === 'unknown-id'
      ? err(400, `Share with id ${providerId} does not exist`)
      : err(403, 'The secret does not match');
  }
  const share = found.share;
  switch (type) {
    case 'SHARE_ACCEPTED':
      share.accepted = true;
      return reply(201, []);
    case 'SHARE_DECLINED':
      ctx.state.shares.delete(share.id);
      return reply(201, []);
    case 'RESHARE_CHANGE_PERMISSION': {
      if (share.reshareRemoteId === undefined || !Array.isArray(n.permission))
        return err(400, 'Invalid permission change');
      const bits = (n.permission as unknown[]).reduce<number>(
        (acc, name) => acc | (PERMISSION_BITS[str(name)] ?? 0),
        0,
      );
      share.permissions = bits & (1 | 2 | 4 | 16);
      return reply(201, []);
    }
    default: {
      const outcome = createFlatReshare(ctx, share, {
        shareWith: str(n.shareWith),
        permission: 0,
        requesterId: str(n.senderId),
      });
      if (outcome.kind === 'to-owner') return err(403, 'Sharing back to the owner is not allowed');
      if (outcome.kind === 'no-share-permission')
        return err(400, 'Owner restricted sharing for this resource');
      if (outcome.kind === 'bad-recipient') return err(400, 'Invalid shareWith');
      return reply(201, { sharedSecret: outcome.share.token, providerId: outcome.share.id });
    }
  }
}

export function addOwncloud10OcmRoutes(router: SimRouter, ctx: LegacyContext): void {
  const base = ctx.traits.ocmEndpointPath;
  router.on('POST', `${base}/shares`, (req) => shares(ctx, req));
  router.on('POST', `${base}/notifications`, (req) => notifications(ctx, req));
}
