/** The simulated server's OWN outgoing federation calls: createShare (early OCM first where the
 * flavour does it, then legacy OCS) and the accept/decline/unshare/… callbacks (§1.3–1.9, §2.4, §3). */
import { encodeForm } from '../common/form-body.ts';
import { hasScheme, splitCloudId } from '../common/cloud-id.ts';
import { jsonBody } from '../common/outgoing-http.ts';
import { localCloudId, remoteField, type LegacyContext } from './legacy-context.ts';
import { discoverOcm, discoverOcs, remoteBases } from './legacy-discovery-client.ts';
import type { OwnerShare } from './legacy-state.ts';

export interface SendResult {
  ok: boolean;
  via?: 'ocm' | 'ocs';
  url?: string;
  status?: number;
  /** Parsed JSON body (OCM answer, or the `ocs` envelope for legacy calls). */
  body?: unknown;
  error?: string;
  /** True when an /ocm-provider/ document was accepted for this call. */
  ocmDiscovered?: boolean;
}

function ocsStatuscode(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const meta = (body as { ocs?: { meta?: { statuscode?: unknown } } }).ocs?.meta;
  const code = meta?.statuscode;
  return typeof code === 'number' ? code : typeof code === 'string' ? Number(code) : undefined;
}

/** POST <base><share endpoint><suffix>?format=json with form fields, trying each base in turn. */
export async function postOcs(
  ctx: LegacyContext,
  remote: string,
  suffix: string,
  fields: Record<string, string | undefined>,
): Promise<SendResult> {
  let last: SendResult = { ok: false, via: 'ocs', error: 'no base URL to try' };
  // OC 9.0 and NC ≤ 13 fall back to the next scheme on any exception, HTTP errors included.
  const retriesOn500 = ctx.traits.flavour === 'owncloud9' || ctx.traits.flavour === 'nextcloud13';
  for (const base of remoteBases(ctx, remote)) {
    const disc = await discoverOcs(ctx, base);
    const url = `${base}${disc.share}${suffix}?format=json`;
    try {
      const res = await ctx.client.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encodeForm(fields),
      });
      const body = jsonBody(res);
      last = { ok: false, via: 'ocs', url, status: res.status, body };
      if (res.status >= 400) {
        if (res.status === 500 && !retriesOn500) return last;
        continue;
      }
      const code = ocsStatuscode(body);
      const noOcs = typeof body !== 'object' || body === null || !('ocs' in body);
      last.ok =
        code === 100 || code === 200 || (ctx.traits.acceptsNonOcsSuccess && noOcs && suffix === '');
      return last;
    } catch (e) {
      last = { ok: false, via: 'ocs', url, error: e instanceof Error ? e.message : String(e) };
    }
  }
  return last;
}

/** POST JSON to <endPoint><path> of the first base whose /ocm-provider/ this flavour accepts. */
export async function postOcm(
  ctx: LegacyContext,
  remote: string,
  path: '/shares' | '/notifications',
  payload: unknown,
): Promise<SendResult> {
  if (ctx.traits.ocmSender === 'none') return { ok: false, ocmDiscovered: false };
  for (const base of remoteBases(ctx, remote)) {
    const disc = await discoverOcm(ctx, base);
    if (disc === undefined) continue;
    const url = disc.endPoint + path;
    try {
      const res = await ctx.client.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      return {
        ok: res.status === 201,
        via: 'ocm',
        url,
        status: res.status,
        body: jsonBody(res),
        ocmDiscovered: true,
      };
    } catch (e) {
      return { ok: false, via: 'ocm', url, error: String(e), ocmDiscovered: true };
    }
  }
  return { ok: false, ocmDiscovered: false };
}

function sharedByCloudId(ctx: LegacyContext, sharedBy: string): string {
  return sharedBy.includes('@') ? sharedBy : localCloudId(ctx, sharedBy);
}

function legacyCreateFields(
  ctx: LegacyContext,
  s: OwnerShare,
  user: string,
): Record<string, string | undefined> {
  const base = {
    shareWith: user,
    token: s.token,
    name: s.node.name,
    remoteId: String(s.id),
    owner: s.owner,
  };
  const remote = remoteField(ctx);
  const fed = {
    ownerFederatedId: localCloudId(ctx, s.owner),
    sharedBy: s.sharedBy,
    sharedByFederatedId: sharedByCloudId(ctx, s.sharedBy),
  };
  switch (ctx.traits.sendFields) {
    case 'base':
      return { ...base, remote };
    case 'federated':
      return { ...base, ...fed, remote };
    case 'oc10-bug':
      // ownCloud 10.1+ legacy fallback sends the bare uid as sharedByFederatedId.
      return { ...base, ...fed, sharedByFederatedId: s.sharedBy, remote };
    case 'federated+shareType':
      return { ...base, ...fed, remote, shareType: '6' };
  }
}

function ocmShareBody(ctx: LegacyContext, s: OwnerShare, user: string, remote: string): unknown {
  const owner = localCloudId(ctx, s.owner);
  const sender = sharedByCloudId(ctx, s.sharedBy);
  const secret = s.token;
  if (ctx.traits.ocmServer === 'owncloud10') {
    return {
      shareWith: `${user}@${remote}`,
      name: s.node.name,
      providerId: String(s.id),
      owner,
      ownerDisplayName: ctx.state.displayName(s.owner),
      sender,
      senderDisplayName: ctx.state.displayName(s.sharedBy),
      shareType: 'user',
      resourceType: 'file',
      protocol: { name: 'webdav', options: { sharedSecret: secret } },
    };
  }
  // Nextcloud prefixes https:// to a scheme-less remote before building the recipient's cloud id.
  return {
    shareWith: `${user}@${hasScheme(remote) ? remote : `https://${remote}`}`,
    shareType: 'user',
    name: s.node.name,
    resourceType: 'file',
    description: '',
    providerId: String(s.id),
    owner,
    ownerDisplayName: ctx.state.displayName(s.owner),
    sharedBy: sender,
    sharedByDisplayName: ctx.state.displayName(s.sharedBy),
    protocol: {
      name: 'webdav',
      options: {
        sharedSecret: secret,
        permissions: '{http://open-cloud-mesh.org/ns}share-permissions',
      },
    },
  };
}

/** Sends a share to its recipient; a share that could not be delivered is deleted (as OC/NC do). */
export async function sendShare(ctx: LegacyContext, s: OwnerShare): Promise<SendResult> {
  const target = splitCloudId(s.shareWith);
  if (target === undefined) {
    ctx.state.shares.delete(s.id);
    return { ok: false, error: `'${s.shareWith}' is not a federated cloud id` };
  }
  let result: SendResult | undefined;
  if (ctx.traits.ocmSender !== 'none') {
    const ocm = await postOcm(
      ctx,
      target.remote,
      '/shares',
      ocmShareBody(ctx, s, target.user, target.remote),
    );
    // Nextcloud re-throws an HTTP 500 from the OCM endpoint instead of falling back.
    if (ocm.ok || (ocm.status === 500 && ctx.traits.ocmServer === 'nextcloud')) result = ocm;
  }
  result ??= await postOcs(ctx, target.remote, '', legacyCreateFields(ctx, s, target.user));
  if (result.ok && result.via !== undefined && result.url !== undefined) {
    s.delivery = { via: result.via, url: result.url, status: result.status ?? 0 };
  } else ctx.state.shares.delete(s.id);
  return result;
}

/** One callback: the OCM notification first when `ocm` is given and the flavour sends OCM, then the
 * legacy POST <share endpoint>/<id>/<action>. `accept` tells whether an OCM answer is enough. */
export async function notifyRemote(
  ctx: LegacyContext,
  call: {
    remote: string;
    id: string;
    action: string;
    legacy: Record<string, string | undefined>;
    ocm?: { notificationType: string; notification: Record<string, unknown> };
    accept?: (r: SendResult) => boolean;
  },
): Promise<SendResult> {
  if (call.ocm !== undefined && ctx.traits.ocmSender !== 'none') {
    const body = {
      notificationType: call.ocm.notificationType,
      resourceType: 'file',
      providerId: call.id,
      notification: call.ocm.notification,
    };
    const r = await postOcm(ctx, call.remote, '/notifications', body);
    if (r.ok && (call.accept?.(r) ?? true)) return r;
  }
  return postOcs(ctx, call.remote, `/${call.id}/${call.action}`, call.legacy);
}
