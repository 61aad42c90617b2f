/** A simulated OCM peer's own outgoing calls: share creation, notifications, invite acceptance and
 * reading a received share (discovery, optional token exchange, WebDAV), signed per version. */
import { jsonBody, type OutgoingResponse } from '../common/outgoing-http.ts';
import type { OcmPeerContext } from './ocm-peer-context.ts';
import { discoverRemote, type Discovered } from './ocm-peer-discovery.ts';
import { hostOfAddress } from './ocm-peer-share-receiver.ts';
import { signedHeaders } from './ocm-peer-signing.ts';
import { newSecret, type ReceivedOcmShare, type SentShare } from './ocm-peer-state.ts';
import { permissionNames } from './ocm-peer-versions.ts';
import { exchangeToken, type Exchange } from './ocm-peer-token.ts';

export interface PeerSendResult {
  ok: boolean;
  status?: number;
  url?: string;
  body?: unknown;
  error?: string;
}

export async function postSigned(
  ctx: OcmPeerContext,
  url: string,
  payload: unknown,
): Promise<PeerSendResult> {
  const body = JSON.stringify(payload);
  try {
    const res = await ctx.client.request({
      method: 'POST',
      url,
      headers: signedHeaders(ctx, url, body, 'application/json'),
      body,
    });
    return {
      ok: res.status >= 200 && res.status < 300,
      status: res.status,
      url,
      body: jsonBody(res),
    };
  } catch (e) {
    return { ok: false, url, error: e instanceof Error ? e.message : String(e) };
  }
}

export interface ShareRequest {
  owner: string;
  path: string;
  /** Recipient OCM address, e.g. bob@127.0.0.1:4711 */
  shareWith: string;
  /** Bits 1 read, 2|4|8 write, 16 share (default read). */
  permissions?: number;
  /** 1.3: put must-exchange-token in the requirements even if the receiver does not demand it. */
  requireTokenExchange?: boolean;
  /** 1.2: send a top-level `code` (exchanged at <endPoint>/token) instead of a sharedSecret. */
  useCode?: boolean;
  /** Force the legacy `{name:"webdav", options}` form or `multi`. */
  style?: 'legacy' | 'multi';
}

function protocolFor(ctx: OcmPeerContext, s: SentShare): Record<string, unknown> {
  if (s.style === 'legacy') {
    return {
      name: 'webdav',
      options: {
        sharedSecret: s.secret,
        permissions: '{http://open-cloud-mesh.org/ns}share-permissions',
      },
    };
  }
  // v1.1 recommends an absolute uri; later versions a key relative to the discovery webdav path.
  const uri = ctx.traits.version === '1.1' ? `${ctx.origin()}/webdav/${s.key}` : s.key;
  const webdav: Record<string, unknown> = { uri, permissions: permissionNames(s.permissions) };
  if (s.code === undefined) webdav.sharedSecret = s.secret;
  if (s.requirements.length > 0) webdav.requirements = s.requirements;
  return { name: 'multi', webdav };
}

export async function sendShare(
  ctx: OcmPeerContext,
  r: ShareRequest,
): Promise<{ share: SentShare | undefined; result: PeerSendResult }> {
  const node = ctx.state.files(r.owner).get(r.path);
  if (node === undefined) throw new Error(`${r.owner} has no '${r.path}'`);
  const recipientHost = hostOfAddress(r.shareWith);
  const disc = await discoverRemote(ctx, recipientHost);
  if (disc === undefined)
    return {
      share: undefined,
      result: { ok: false, error: `discovery of ${recipientHost} failed` },
    };
  const criteria = Array.isArray(disc.doc.criteria) ? (disc.doc.criteria as unknown[]) : [];
  const legacyPeer = typeof disc.doc.apiVersion === 'string' && /^1\.0/.test(disc.doc.apiVersion);
  const style = r.style ?? (ctx.traits.legacyProtocolOnly || legacyPeer ? 'legacy' : 'multi');
  const mustExchange =
    ctx.traits.token === 'form' &&
    (r.requireTokenExchange === true || criteria.includes('must-exchange-token'));
  const share = ctx.state.addSent({
    owner: r.owner,
    path: r.path,
    node,
    shareWith: r.shareWith,
    recipientHost,
    permissions: r.permissions ?? 1,
    requirements: mustExchange && style === 'multi' ? ['must-exchange-token'] : [],
    style,
    code: ctx.traits.token === 'json' && r.useCode === true ? newSecret() : undefined,
  });
  const me = `${r.owner}@${ctx.host()}`;
  const name = ctx.state.users.get(r.owner)?.displayName ?? r.owner;
  const payload: Record<string, unknown> = {
    shareWith: r.shareWith,
    name: node.name,
    description: '',
    providerId: share.providerId,
    owner: me,
    sender: me,
    ownerDisplayName: name,
    senderDisplayName: name,
    shareType: 'user',
    resourceType: ctx.traits.version === '1.3' && node.type === 'dir' ? 'folder' : 'file',
    protocol: protocolFor(ctx, share),
  };
  if (share.code !== undefined) payload.code = share.code;
  const result = await postSigned(ctx, `${disc.endPoint}/shares`, payload);
  result.ok = result.status === 201;
  if (!result.ok) ctx.state.sent.delete(share.providerId);
  return { share: result.ok ? share : undefined, result };
}

export async function notify(
  ctx: OcmPeerContext,
  host: string,
  payload: {
    notificationType: string;
    providerId: string;
    resourceType?: string;
    notification?: Record<string, unknown>;
  },
): Promise<PeerSendResult> {
  const disc = await discoverRemote(ctx, host);
  if (disc === undefined) return { ok: false, error: `discovery of ${host} failed` };
  const result = await postSigned(ctx, `${disc.endPoint}/notifications`, {
    resourceType: 'file',
    ...payload,
  });
  result.ok = result.status === 201;
  return result;
}

export async function acceptInvite(
  ctx: OcmPeerContext,
  invite: { token: string; providerDomain: string },
  me: { userID: string; email: string; name: string },
): Promise<PeerSendResult> {
  const disc = await discoverRemote(ctx, invite.providerDomain);
  if (disc === undefined)
    return { ok: false, error: `discovery of ${invite.providerDomain} failed` };
  const recipientProvider = ctx.traits.invites === 'url' ? ctx.origin() : ctx.host();
  const result = await postSigned(ctx, `${disc.endPoint}/invite-accepted`, {
    recipientProvider,
    token: invite.token,
    ...me,
  });
  const b = result.body as { userID?: unknown; name?: unknown; email?: unknown } | undefined;
  if (result.status === 200 && typeof b?.userID === 'string') {
    ctx.state.contacts.push({
      address: `${b.userID}@${invite.providerDomain}`,
      name: typeof b.name === 'string' ? b.name : '',
      email: typeof b.email === 'string' ? b.email : '',
    });
  }
  return result;
}

function webdavPrefix(disc: Discovered): string {
  const types = Array.isArray(disc.doc.resourceTypes)
    ? (disc.doc.resourceTypes as Record<string, unknown>[])
    : [];
  const file = types.find((t) => t.name === 'file') ?? types[0];
  const webdav = (file?.protocols as Record<string, unknown> | undefined)?.webdav;
  const path = typeof webdav === 'string' ? webdav : '/public.php/webdav/';
  return (/^https?:\/\//.test(path) ? path : disc.base + path).replace(/\/+$/, '');
}

/** Reads a received share: Basic for legacy shares, Bearer (exchanged token or secret) otherwise. */
export async function readReceived(
  ctx: OcmPeerContext,
  r: ReceivedOcmShare,
  m: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
  cache: Map<number, { token: string; expiresAt: number }>,
  exchanges: Exchange[],
): Promise<OutgoingResponse> {
  const disc = await discoverRemote(ctx, r.senderHost);
  if (disc === undefined) throw new Error(`discovery of ${r.senderHost} failed`);
  const rel = (m.path ?? '')
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
  let url: string;
  let authorization: string;
  if (r.style === 'legacy') {
    url = `${webdavPrefix(disc)}/${rel}`;
    authorization = `Basic ${Buffer.from(`${r.webdav.sharedSecret ?? ''}:`).toString('base64')}`;
  } else {
    const uri = r.webdav.uri ?? '';
    url = `${/^https?:\/\//.test(uri) ? uri.replace(/\/+$/, '') : `${webdavPrefix(disc)}/${uri}`}/${rel}`;
    const required = r.webdav.requirements.includes('must-exchange-token') || r.code !== undefined;
    const offered =
      Array.isArray(disc.doc.capabilities) && disc.doc.capabilities.includes('exchange-token');
    let bearer = cache.get(r.id);
    if ((bearer === undefined || bearer.expiresAt <= ctx.now()) && (required || offered)) {
      bearer = await exchangeToken(ctx, r, disc, exchanges);
      if (bearer !== undefined) cache.set(r.id, bearer);
    }
    if (bearer === undefined && required) throw new Error('token exchange required but failed');
    authorization = `Bearer ${bearer?.token ?? r.webdav.sharedSecret ?? ''}`;
  }
  return ctx.client.request({
    method: m.method ?? 'GET',
    url,
    headers: { authorization, ...(m.headers ?? {}) },
    body: m.body,
  });
}
