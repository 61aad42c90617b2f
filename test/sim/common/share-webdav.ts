/** WebDAV over one shared node (ownCloud public.php/webdav semantics, also reused by the OCM peers):
 * PROPFIND Depth 0/1 with the OCS share-permissions property, GET/HEAD with Range, PUT, MKCOL,
 * DELETE gated by the share's permission bits (1 read, 2 update, 4 create, 8 delete, 16 share). */
import { FileTree, mimeTypeOf, nodeSize, type FileNode } from './file-tree.ts';
import type { SimRequest, SimResponse } from './sim-http-server.ts';

export const PERM = { read: 1, update: 2, create: 4, delete: 8, share: 16, all: 31 } as const;

export interface ShareWebdavTarget {
  root: FileNode;
  /** Path below the share root ('' = the root itself). */
  relPath: string;
  /** Absolute path of the share root as the client addresses it, e.g. /public.php/webdav */
  hrefBase: string;
  permissions: number;
}

const XML_HEADERS = { 'Content-Type': 'application/xml; charset=utf-8' };

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function ocPermissions(node: FileNode, perms: number): string {
  let out = '';
  if (perms & PERM.share) out += 'R';
  if (perms & PERM.delete) out += 'D';
  if (perms & PERM.update) out += node.type === 'file' ? 'NVW' : 'NV';
  if (node.type === 'dir' && perms & PERM.create) out += 'CK';
  return out;
}

function href(base: string, rel: string, node: FileNode): string {
  const segs = rel.split('/').filter((s) => s !== '');
  const path = [base.replace(/\/+$/, ''), ...segs.map(encodeURIComponent)].join('/');
  return node.type === 'dir' ? `${path}/` : path;
}

function propResponse(node: FileNode, hrefValue: string, perms: number): string {
  const props = [
    `<d:getlastmodified>${new Date(node.mtime * 1000).toUTCString()}</d:getlastmodified>`,
    `<d:getetag>&quot;${node.etag}&quot;</d:getetag>`,
    node.type === 'dir'
      ? '<d:resourcetype><d:collection/></d:resourcetype>'
      : `<d:resourcetype/><d:getcontentlength>${node.content.length}</d:getcontentlength><d:getcontenttype>${mimeTypeOf(node)}</d:getcontenttype>`,
    `<oc:size>${nodeSize(node)}</oc:size>`,
    `<oc:fileid>${node.fileId}</oc:fileid>`,
    `<oc:permissions>${ocPermissions(node, perms)}</oc:permissions>`,
    `<ocs:share-permissions>${perms}</ocs:share-permissions>`,
  ].join('');
  return `<d:response><d:href>${escapeXml(hrefValue)}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
}

function propfind(req: SimRequest, t: ShareWebdavTarget, node: FileNode): SimResponse {
  const depth = (req.headers.depth ?? 'infinity').toLowerCase();
  const parts = [propResponse(node, href(t.hrefBase, t.relPath, node), t.permissions)];
  if (depth !== '0' && node.type === 'dir') {
    for (const child of node.children.values()) {
      const rel = `${t.relPath.replace(/\/+$/, '')}/${child.name}`;
      parts.push(propResponse(child, href(t.hrefBase, rel, child), t.permissions));
    }
  }
  const body =
    '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" ' +
    'xmlns:oc="http://owncloud.org/ns" xmlns:ocs="http://open-collaboration-services.org/ns">' +
    `${parts.join('')}</d:multistatus>\n`;
  return { status: 207, headers: XML_HEADERS, body };
}

function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined; // multi-range or garbage: serve the whole entity
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'invalid';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

function get(req: SimRequest, node: FileNode): SimResponse {
  if (node.type === 'dir') return { status: 405, body: 'GET on a folder is not supported' };
  const size = node.content.length;
  const base = {
    'Content-Type': mimeTypeOf(node),
    ETag: `"${node.etag}"`,
    'Last-Modified': new Date(node.mtime * 1000).toUTCString(),
    'Accept-Ranges': 'bytes',
  };
  const rangeHeader = req.headers.range;
  const range = rangeHeader === undefined ? undefined : parseRange(rangeHeader, size);
  if (range === 'invalid') {
    return { status: 416, headers: { 'Content-Range': `bytes */${size}` } };
  }
  if (range === undefined) return { status: 200, headers: base, body: node.content };
  return {
    status: 206,
    headers: { ...base, 'Content-Range': `bytes ${range.start}-${range.end}/${size}` },
    body: node.content.subarray(range.start, range.end + 1),
  };
}

function put(req: SimRequest, t: ShareWebdavTarget, existing: FileNode | undefined): SimResponse {
  if (existing?.type === 'dir') return { status: 405, body: 'Cannot PUT on a folder' };
  const needed = existing === undefined ? PERM.create : PERM.update;
  if ((t.permissions & needed) === 0) return { status: 403, body: 'Share does not allow writing' };
  const written = FileTree.writeBelow(t.root, t.relPath, req.rawBody);
  if (written === undefined) return { status: 409, body: 'Parent folder does not exist' };
  return { status: existing === undefined ? 201 : 204, headers: { ETag: `"${written.etag}"` } };
}

function mkcol(t: ShareWebdavTarget, existing: FileNode | undefined): SimResponse {
  if (existing !== undefined) return { status: 405, body: 'Already exists' };
  if ((t.permissions & PERM.create) === 0)
    return { status: 403, body: 'Share does not allow creating' };
  const created = FileTree.mkdirBelow(t.root, t.relPath);
  if (created === undefined) return { status: 409, body: 'Parent missing' };
  return { status: 201 };
}

function remove(t: ShareWebdavTarget, existing: FileNode | undefined): SimResponse {
  if (existing === undefined) return { status: 404 };
  if (existing === t.root || existing.parent === undefined)
    return { status: 403, body: 'Cannot delete the share root' };
  if ((t.permissions & PERM.delete) === 0)
    return { status: 403, body: 'Share does not allow deleting' };
  existing.parent.children.delete(existing.name);
  return { status: 204 };
}

/** Serves one WebDAV request against an already authenticated share. */
export function serveShareWebdav(req: SimRequest, t: ShareWebdavTarget): SimResponse {
  const node = FileTree.resolveBelow(t.root, t.relPath);
  if (t.root.type === 'file' && t.relPath.replace(/\/+/g, '') !== '') return { status: 404 };
  switch (req.method) {
    case 'OPTIONS':
      return {
        status: 200,
        headers: { DAV: '1, 3', Allow: 'OPTIONS, GET, HEAD, PUT, PROPFIND, MKCOL, DELETE' },
      };
    case 'PROPFIND':
      return node === undefined ? { status: 404 } : propfind(req, t, node);
    case 'GET':
    case 'HEAD':
      if ((t.permissions & PERM.read) === 0) return { status: 403 };
      return node === undefined ? { status: 404 } : get(req, node);
    case 'PUT':
      return put(req, t, node);
    case 'MKCOL':
      return mkcol(t, node);
    case 'DELETE':
      return remove(t, node);
    default:
      return { status: 405, body: `${req.method} not supported` };
  }
}

/** Decodes `Authorization: Basic` into user and password (undefined when absent or not Basic). */
export function basicAuth(
  headers: Record<string, string>,
): { user: string; password: string } | undefined {
  const m = /^basic\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (m?.[1] === undefined) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1
    ? { user: decoded, password: '' }
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bearerToken(headers: Record<string, string>): string | undefined {
  const m = /^bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return m?.[1];
}
