/** POST <endPoint>/notifications and /invite-accepted on a simulated OCM peer (ocm-versions.md §4, §7):
 * required fields per version, authorisation by signature (signer host) or by sharedSecret. */
import { json } from '../common/sim-router.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { OcmPeerContext } from './ocm-peer-context.ts';
import { bad } from './ocm-peer-share-receiver.ts';
import { authenticate, type InboundAuth } from './ocm-peer-signing.ts';

type Body = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const refuse = (status: number, message: string): SimResponse => json(status, { message });

function bodyOf(req: SimRequest): Body | undefined {
  return req.bodyKind === 'json' &&
    typeof req.body === 'object' &&
    req.body !== null &&
    !Array.isArray(req.body)
    ? (req.body as Body)
    : undefined;
}

/** Signed: the signer must be the expected host. Unsigned: the shared secret must match. */
function authorised(
  auth: InboundAuth,
  expectedHost: string,
  secret: unknown,
  expectedSecret: string | undefined,
): boolean {
  if ('signed' in auth && auth.signed)
    return auth.host.toLowerCase() === expectedHost.toLowerCase();
  return expectedSecret !== undefined && secret === expectedSecret;
}

export async function receiveNotification(
  ctx: OcmPeerContext,
  req: SimRequest,
): Promise<SimResponse> {
  const b = bodyOf(req);
  if (b === undefined) return bad('Body must be a JSON object');
  const t = ctx.traits;
  const required = [
    'notificationType',
    ...(t.version === '1.3' ? [] : ['resourceType']),
    ...(t.notificationProviderIdRequired ? ['providerId'] : []),
  ];
  const missing = required.filter((k) => typeof b[k] !== 'string' || b[k] === '');
  if (missing.length > 0) return bad('Missing or invalid required fields', missing, 'REQUIRED');
  const auth = await authenticate(ctx, req);
  if ('refused' in auth) return refuse(auth.refused.status, auth.refused.message);
  const n = (
    typeof b.notification === 'object' && b.notification !== null ? b.notification : {}
  ) as Body;
  const type = b.notificationType as string;
  const providerId = typeof b.providerId === 'string' ? b.providerId : '';
  switch (type) {
    case 'SHARE_ACCEPTED':
    case 'SHARE_DECLINED': {
      const share = ctx.state.sent.get(providerId);
      if (share === undefined) return refuse(400, 'RESOURCE_NOT_FOUND');
      if (!authorised(auth, share.recipientHost, n.sharedSecret, share.code ?? share.secret))
        return refuse(403, 'Not allowed to notify about this share');
      share.state = type === 'SHARE_ACCEPTED' ? 'accepted' : 'declined';
      return json(201, {});
    }
    case 'SHARE_UNSHARED': {
      const rows = [...ctx.state.received.values()].filter((r) => r.providerId === providerId);
      const allowed = rows.filter((r) =>
        authorised(auth, r.senderHost, n.sharedSecret, r.webdav.sharedSecret ?? r.code),
      );
      if (rows.length === 0) return refuse(400, 'RESOURCE_NOT_FOUND');
      if (allowed.length === 0) return refuse(403, 'Not allowed to notify about this share');
      for (const r of allowed) ctx.state.received.delete(r.id);
      return json(201, {});
    }
    default:
      return refuse(501, `Notification type ${type} is not supported`);
  }
}

export async function receiveInviteAccepted(
  ctx: OcmPeerContext,
  req: SimRequest,
): Promise<SimResponse> {
  const b = bodyOf(req);
  if (b === undefined) return bad('Body must be a JSON object');
  const fields = ['recipientProvider', 'token', 'userID', 'email', 'name'];
  const missing = (ctx.traits.invites === 'url' ? ['token'] : fields).filter(
    (k) => typeof b[k] !== 'string' || b[k] === '',
  );
  if (missing.length > 0) return bad('Missing or invalid required fields', missing, 'REQUIRED');
  const auth = await authenticate(ctx, req);
  if ('refused' in auth) return refuse(auth.refused.status, auth.refused.message);
  const provider = str(b.recipientProvider);
  if (ctx.traits.invites === 'fqdn' && /^[a-z]+:\/\//i.test(provider))
    return bad('recipientProvider must be an FQDN', ['recipientProvider']);
  const providerHost = provider.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  if (auth.signed && auth.host.toLowerCase() !== providerHost.toLowerCase())
    return refuse(403, 'Signer is not the recipientProvider');
  const invite = ctx.state.invites.get(b.token as string);
  // v1.1 distinguishes an unknown token (404); later versions answer 400.
  if (invite === undefined)
    return ctx.traits.invites === 'url'
      ? refuse(404, 'Invite token does not exist')
      : bad('Invalid invite token', ['token']);
  if (invite.acceptedBy !== undefined) return refuse(409, 'Invite already accepted');
  invite.acceptedBy = {
    userID: str(b.userID),
    provider: providerHost,
    name: str(b.name),
    email: str(b.email),
  };
  ctx.state.contacts.push({
    address: `${invite.acceptedBy.userID}@${providerHost}`,
    name: invite.acceptedBy.name,
    email: invite.acceptedBy.email,
  });
  const inviter = ctx.state.users.get(invite.user);
  return json(200, {
    userID: invite.user,
    email: inviter?.email ?? '',
    name: inviter?.displayName ?? invite.user,
  });
}
