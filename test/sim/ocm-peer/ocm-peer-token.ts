/** Token exchange (ocm-versions.md §8) on a simulated OCM peer, both sides: 1.2 `<endPoint>/token`
 * (JSON, ocm_authorization_code, `code` from the share, 403 errors) and 1.3 `tokenEndPoint`
 * (form-encoded, authorization_code, code = sharedSecret, must be signed, OAuth 400 errors). */
import { encodeForm } from '../common/form-body.ts';
import { jsonBody } from '../common/outgoing-http.ts';
import { json } from '../common/sim-router.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { OcmPeerContext } from './ocm-peer-context.ts';
import type { Discovered } from './ocm-peer-discovery.ts';
import { authenticate, signedHeaders } from './ocm-peer-signing.ts';
import { newSecret, type ReceivedOcmShare } from './ocm-peer-state.ts';

const oauth = (error: string): SimResponse => json(400, { error });
const denied = (message: string): SimResponse => json(403, { message });

function field(body: unknown, name: string): string {
  const v =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

function issue(
  ctx: OcmPeerContext,
  providerId: string,
  clientId: string,
): { token: string; ttl: number } {
  const ttl = ctx.options.tokenTtlSeconds ?? 300;
  const token = newSecret();
  ctx.state.tokens.set(token, { providerId, clientId, expiresAt: ctx.now() + ttl * 1000 });
  return { token, ttl };
}

export async function serveToken(ctx: OcmPeerContext, req: SimRequest): Promise<SimResponse> {
  const auth = await authenticate(ctx, req);
  if ('refused' in auth)
    return json(
      auth.refused.status,
      ctx.traits.token === 'form' ? { error: 'invalid_client' } : { message: auth.refused.message },
    );
  if (ctx.traits.token === 'json') {
    if (req.bodyKind !== 'json') return denied('JSON body required');
    if (field(req.body, 'grant_type') !== 'ocm_authorization_code')
      return denied('grant_type must be ocm_authorization_code');
    const clientId = field(req.body, 'client_id');
    const code = field(req.body, 'code');
    const share = [...ctx.state.sent.values()].find((s) => s.code !== undefined && s.code === code);
    if (share === undefined || share.recipientHost !== clientId) return denied('Token denied');
    if (auth.signed && auth.host !== clientId) return denied('Signer is not the client');
    const { token, ttl } = issue(ctx, share.providerId, clientId);
    return json(200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: ttl,
      refresh_token: newSecret(),
    });
  }
  if (req.bodyKind !== 'form') return oauth('invalid_request');
  const grant = field(req.body, 'grant_type');
  const clientId = field(req.body, 'client_id');
  const code = field(req.body, 'code');
  if (grant === '' || clientId === '' || code === '') return oauth('invalid_request');
  if (grant !== 'authorization_code') return oauth('unsupported_grant_type');
  // The token request MUST be signed, by the client it claims to be.
  if (!auth.signed || auth.host !== clientId) return oauth('invalid_client');
  const share = ctx.state.sentBySecret(code);
  if (share === undefined || share.recipientHost !== clientId) return oauth('invalid_grant');
  const { token, ttl } = issue(ctx, share.providerId, clientId);
  return json(200, { access_token: token, token_type: 'Bearer', expires_in: ttl });
}

export interface Exchange {
  receivedId: number;
  url: string;
  status: number;
  ok: boolean;
}

/** Receiver side: exchanges the share's code / secret for a bearer token; undefined on failure. */
export async function exchangeToken(
  ctx: OcmPeerContext,
  r: ReceivedOcmShare,
  disc: Discovered,
  log: Exchange[],
): Promise<{ token: string; expiresAt: number } | undefined> {
  let url: string;
  let body: string;
  let contentType: string;
  if (ctx.traits.token === 'json') {
    if (r.code === undefined) return undefined;
    url = `${disc.endPoint}/token`;
    body = JSON.stringify({
      grant_type: 'ocm_authorization_code',
      client_id: ctx.host(),
      code: r.code,
    });
    contentType = 'application/json';
  } else if (ctx.traits.token === 'form') {
    const tokenEndPoint = disc.doc.tokenEndPoint;
    if (typeof tokenEndPoint !== 'string' || r.webdav.sharedSecret === undefined) return undefined;
    url = tokenEndPoint;
    body = encodeForm({
      grant_type: 'authorization_code',
      client_id: ctx.host(),
      code: r.webdav.sharedSecret,
    });
    contentType = 'application/x-www-form-urlencoded';
  } else return undefined;
  try {
    const res = await ctx.client.request({
      method: 'POST',
      url,
      headers: signedHeaders(ctx, url, body, contentType),
      body,
    });
    const doc = jsonBody(res) as { access_token?: unknown; expires_in?: unknown } | undefined;
    const ok = res.status === 200 && typeof doc?.access_token === 'string';
    log.push({ receivedId: r.id, url, status: res.status, ok });
    if (!ok) return undefined;
    const ttl = typeof doc.expires_in === 'number' ? doc.expires_in : 60;
    return { token: doc.access_token as string, expiresAt: ctx.now() + ttl * 1000 };
  } catch {
    log.push({ receivedId: r.id, url, status: 0, ok: false });
    return undefined;
  }
}
