/** Recipient side of a received share: reading it over the owner's public WebDAV (token as Basic
 * user, empty password) and the storage health check that silently deletes shares
 * (legacy-protocols.md §1.10). */
import { encodeForm } from '../common/form-body.ts';
import { hasScheme, remoteCandidates, stripScheme } from '../common/cloud-id.ts';
import { jsonBody, type OutgoingResponse } from '../common/outgoing-http.ts';
import type { LegacyContext } from './legacy-context.ts';
import { discoverOcm, discoverOcs } from './legacy-discovery-client.ts';
import type { ReceivedShare } from './legacy-state.ts';

export interface MountRequest {
  method?: string;
  /** Path below the share root. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Remote base URLs as the mount code sees them: the stored scheme, else the scheme order. */
function mountBases(ctx: LegacyContext, r: ReceivedShare): string[] {
  return hasScheme(r.remote)
    ? remoteCandidates(r.remote, [])
    : remoteCandidates(stripScheme(r.remote), ctx.knobs.schemes);
}

async function webdavRoot(ctx: LegacyContext, base: string): Promise<string> {
  if (ctx.traits.mountFromOcm) {
    const ocm = await discoverOcm(ctx, base);
    if (ocm?.webdav !== undefined && ctx.traits.ocmServer === 'owncloud10')
      return base + ocm.webdav.replace(/\/+$/, '');
    if (ocm?.webdav !== undefined) {
      // NC 28+: host from the OCM endPoint, path from resourceTypes, prefixed with the cloud-id path.
      const endPoint = new URL(ocm.endPoint);
      const subPath = new URL(base).pathname.replace(/\/+$/, '');
      const path = ocm.webdav.startsWith(subPath) ? ocm.webdav : subPath + ocm.webdav;
      return endPoint.origin + path.replace(/\/+$/, '');
    }
  }
  const ocs = await discoverOcs(ctx, base);
  return base + ocs.webdav;
}

/** One WebDAV request against the share's root (PROPFIND, GET, PUT …) with the token as user. */
export async function mountRequest(
  ctx: LegacyContext,
  r: ReceivedShare,
  m: MountRequest,
): Promise<OutgoingResponse> {
  const rel = (m.path ?? '')
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
  const auth = `Basic ${Buffer.from(`${r.token}:`).toString('base64')}`;
  let lastError: unknown = new Error('no base URL to try');
  for (const base of mountBases(ctx, r)) {
    const root = await webdavRoot(ctx, base);
    try {
      return await ctx.client.request({
        method: m.method ?? 'GET',
        url: `${root}/${rel}`,
        headers: { authorization: auth, ...(m.headers ?? {}) },
        body: m.body,
      });
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export type StorageHealth = 'available' | 'not-owncloud' | 'deleted' | 'unavailable';

async function looksLikeOwncloud(ctx: LegacyContext, base: string): Promise<boolean> {
  try {
    const res = await ctx.client.request({ method: 'GET', url: `${base}/status.php` });
    const doc = jsonBody(res) as { version?: unknown } | undefined;
    return res.status === 200 && typeof doc?.version === 'string' && doc.version !== '';
  } catch {
    return false;
  }
}

async function ocsProviderValid(ctx: LegacyContext, base: string): Promise<boolean> {
  for (const path of ['/ocs-provider/index.php', '/ocs-provider/']) {
    try {
      const res = await ctx.client.request({ method: 'GET', url: base + path });
      if (res.status === 200 && jsonBody(res) !== undefined) return true;
    } catch {
      // try the next probe
    }
  }
  return looksLikeOwncloud(ctx, base);
}

/** Storage::checkStorageAvailability after a WebDAV failure; may delete the received share. */
export async function checkStorageAvailability(
  ctx: LegacyContext,
  r: ReceivedShare,
): Promise<StorageHealth> {
  const base = mountBases(ctx, r)[0];
  if (base === undefined) return 'unavailable';
  if (!(await looksLikeOwncloud(ctx, base))) return 'not-owncloud';
  let status: number;
  try {
    const res = await ctx.client.request({
      method: 'POST',
      url: `${base}/index.php/apps/files_sharing/shareinfo?t=${encodeURIComponent(r.token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm({ password: '' }),
    });
    status = res.status;
  } catch {
    return 'unavailable';
  }
  if (status === 200) return 'available';
  const drop =
    status === 401 || status === 403 || (status === 404 && (await ocsProviderValid(ctx, base)));
  if (!drop) return 'unavailable';
  ctx.state.received.delete(r.id);
  return 'deleted';
}
