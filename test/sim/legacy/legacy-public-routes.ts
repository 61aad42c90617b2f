/** What a legacy server exposes besides the share API: /status.php, /ocs-provider/, /ocm-provider/,
 * the shareinfo probe and the token-authenticated public WebDAV (legacy-protocols.md §1.10, §2). */
import { formField } from '../common/form-body.ts';
import { mimeTypeOf, nodeSize, type FileNode } from '../common/file-tree.ts';
import { phpJson } from '../common/ocs-envelope.ts';
import { basicAuth, serveShareWebdav } from '../common/share-webdav.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { SimRouter } from '../common/sim-router.ts';
import { ocmEndPoint, type LegacyContext } from './legacy-context.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };

function ocsProvider(): unknown {
  return {
    version: 2,
    services: {
      PRIVATE_DATA: {
        version: 1,
        endpoints: {
          store: '/ocs/v2.php/privatedata/setattribute',
          read: '/ocs/v2.php/privatedata/getattribute',
          delete: '/ocs/v2.php/privatedata/deleteattribute',
        },
      },
      SHARING: { version: 1, endpoints: { share: '/ocs/v2.php/apps/files_sharing/api/v1/shares' } },
      FEDERATED_SHARING: {
        version: 1,
        endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' },
      },
      ACTIVITY: { version: 1, endpoints: { list: '/ocs/v2.php/cloud/activity' } },
      PROVISIONING: {
        version: 1,
        endpoints: {
          user: '/ocs/v2.php/cloud/users',
          groups: '/ocs/v2.php/cloud/groups',
          apps: '/ocs/v2.php/cloud/apps',
        },
      },
    },
  };
}

function ocmProvider(ctx: LegacyContext): SimResponse {
  if (!ctx.knobs.ocmEnabled) return { status: 501, body: '501 Not Implemented' };
  const base = { enabled: true, apiVersion: '1.0-proposal1', endPoint: ocmEndPoint(ctx) };
  if (ctx.traits.ocmServer === 'owncloud10') {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: phpJson({
        ...base,
        shareTypes: [{ name: 'file', protocols: { webdav: '/public.php/webdav/' } }],
      }),
    };
  }
  const headers: Record<string, string> = { ...JSON_TYPE };
  if (ctx.traits.ocmRouted) headers['X-NEXTCLOUD-OCM-PROVIDERS'] = 'true';
  const resourceTypes = [
    { name: 'file', shareTypes: ['user', 'group'], protocols: { webdav: '/public.php/webdav/' } },
  ];
  return { status: 200, headers, body: phpJson({ ...base, resourceTypes }) };
}

function fileInfo(node: FileNode, permissions: number): Record<string, unknown> {
  return {
    id: node.fileId,
    parentId: node.parent?.fileId ?? 0,
    mtime: node.mtime,
    name: node.name,
    permissions,
    mimetype: mimeTypeOf(node),
    size: nodeSize(node),
    type: node.type,
    etag: node.etag,
  };
}

function shareinfo(ctx: LegacyContext, req: SimRequest): SimResponse {
  const share = ctx.state.shareByToken(req.query.t ?? '');
  if (!ctx.knobs.outgoingEnabled || share === undefined) return { status: 404 };
  if (share.password !== undefined && formField(req.body, 'password') !== share.password)
    return { status: 403 };
  const data = fileInfo(share.node, share.permissions);
  if (share.node.type === 'dir') {
    data.children = [...share.node.children.values()].map((c) => fileInfo(c, share.permissions));
  }
  const body: Record<string, unknown> = { data, status: 'success' };
  if (ctx.traits.flavour === 'owncloud10') body.message = 'DEPRECATED API';
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: phpJson(body),
  };
}

function publicWebdav(ctx: LegacyContext, req: SimRequest, rest: string): SimResponse {
  const auth = basicAuth(req.headers);
  const share = auth === undefined ? undefined : ctx.state.shareByToken(auth.user);
  const denied: SimResponse = {
    status: 401,
    headers: { 'WWW-Authenticate': `Basic realm="${ctx.traits.product}", charset="UTF-8"` },
    body: 'No public access to this resource., Username or password was incorrect',
  };
  if (!ctx.knobs.outgoingEnabled || share === undefined) return denied;
  if (share.password !== undefined && auth?.password !== share.password) return denied;
  let relPath: string;
  try {
    relPath = rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    return { status: 400 };
  }
  if (relPath.split('/').includes('..')) return { status: 400 };
  const hrefBase = req.path.slice(0, req.path.length - rest.length).replace(/\/+$/, '');
  return serveShareWebdav(req, {
    root: share.node,
    relPath,
    hrefBase,
    permissions: share.permissions,
  });
}

export function addLegacyPublicRoutes(router: SimRouter, ctx: LegacyContext): void {
  router.on(['GET', 'HEAD'], '/status.php', () => ({
    status: 200,
    headers: { ...JSON_TYPE, 'Access-Control-Allow-Origin': '*' },
    body: phpJson(ctx.traits.status),
  }));
  const serveOcs = (): SimResponse => ({
    status: 200,
    headers: JSON_TYPE,
    body: phpJson(ocsProvider()),
  });
  router.on('GET', '/ocs-provider/', serveOcs);
  router.on('GET', '/ocs-provider/index.php', serveOcs);
  router.on('GET', '/ocs-provider', (req) => ({
    status: 301,
    headers: { Location: `${req.path}/` },
  }));
  if (ctx.traits.ocmServer !== 'none') {
    router.on('GET', '/ocm-provider/', () => ocmProvider(ctx));
    router.on('GET', '/ocm-provider/index.php', () => ocmProvider(ctx));
    router.on('GET', '/ocm-provider', (req) =>
      ctx.traits.ocmRouted
        ? ocmProvider(ctx)
        : { status: 301, headers: { Location: `${req.path}/` } },
    );
  }
  router.on('POST', '/index.php/apps/files_sharing/shareinfo', (req) => shareinfo(ctx, req));
  router.on('*', '/public.php/webdav', (req) => publicWebdav(ctx, req, ''));
  router.on('*', '/public.php/webdav/*rest', (req, p) => publicWebdav(ctx, req, p.rest ?? ''));
}
