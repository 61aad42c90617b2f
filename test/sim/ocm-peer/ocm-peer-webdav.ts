/** WebDAV for the shares a simulated OCM peer sent (ocm-versions.md §5): legacy shares by Basic auth
 * with the secret as user at /webdav/; multi shares at /webdav/<key> with `Authorization: Bearer`
 * carrying the secret or an exchanged token (only the latter when the share requires exchange). */
import { basicAuth, bearerToken, serveShareWebdav } from '../common/share-webdav.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { SimRouter } from '../common/sim-router.ts';
import type { OcmPeerContext } from './ocm-peer-context.ts';
import type { SentShare } from './ocm-peer-state.ts';

function denied(scheme: string): SimResponse {
  return {
    status: 401,
    headers: { 'WWW-Authenticate': `${scheme} realm="ocm"` },
    body: 'Unauthorized',
  };
}

function bearerAllowed(ctx: OcmPeerContext, share: SentShare, token: string): boolean {
  const issued = ctx.state.tokens.get(token);
  if (issued !== undefined)
    return issued.providerId === share.providerId && issued.expiresAt > ctx.now();
  const mustExchange =
    share.requirements.includes('must-exchange-token') || share.code !== undefined;
  return !mustExchange && token === share.secret;
}

function decodePath(rest: string[]): string | undefined {
  try {
    const parts = rest.map(decodeURIComponent);
    return parts.includes('..') ? undefined : parts.join('/');
  } catch {
    return undefined;
  }
}

function serve(ctx: OcmPeerContext, req: SimRequest, rest: string): SimResponse {
  const segments = rest.split('/');
  const bearer = bearerToken(req.headers);
  const prefix = req.path.slice(0, req.path.length - rest.length).replace(/\/+$/, '');
  if (bearer !== undefined) {
    const [key = '', ...below] = segments;
    const share = ctx.state.sentByKey(key);
    if (share === undefined || share.state === 'unshared' || share.state === 'declined')
      return { status: 404 };
    if (!bearerAllowed(ctx, share, bearer)) return denied('Bearer');
    const relPath = decodePath(below);
    if (relPath === undefined) return { status: 400 };
    return serveShareWebdav(req, {
      root: share.node,
      relPath,
      hrefBase: `${prefix}/${key}`,
      permissions: share.permissions,
    });
  }
  const basic = basicAuth(req.headers);
  const share = basic === undefined ? undefined : ctx.state.sentBySecret(basic.user);
  // Legacy access: the secret as Basic user, empty password (v1.0 also allowed it as password).
  const passwordOk =
    basic !== undefined && (basic.password === '' || basic.password === basic.user);
  if (share?.style !== 'legacy' || !passwordOk || share.requirements.length > 0)
    return denied('Basic');
  const relPath = decodePath(segments);
  if (relPath === undefined) return { status: 400 };
  return serveShareWebdav(req, {
    root: share.node,
    relPath,
    hrefBase: prefix,
    permissions: share.permissions,
  });
}

export function addPeerWebdavRoutes(router: SimRouter, ctx: OcmPeerContext): void {
  router.on('*', '/webdav', (req) => serve(ctx, req, ''));
  router.on('*', '/webdav/*rest', (req, p) => serve(ctx, req, p.rest ?? ''));
}
