/** How a legacy server discovers a remote (legacy-protocols.md §2.1, §2.4): /ocs-provider/ for the
 * OCS share and WebDAV paths, /ocm-provider/ for early OCM, scheme order per flavour. */
import { hasScheme, remoteCandidates, stripScheme } from '../common/cloud-id.ts';
import { jsonBody } from '../common/outgoing-http.ts';
import type { LegacyContext } from './legacy-context.ts';
import { acceptsOcmDiscovery } from './legacy-flavours.ts';

export interface OcsEndpoints {
  share: string;
  webdav: string;
}

export interface OcmEndpoint {
  endPoint: string;
  /** WebDAV path from shareTypes (ownCloud) or resourceTypes (Nextcloud), if advertised. */
  webdav: string | undefined;
}

/** Base URLs to try for a remote, the way this flavour's sender treats schemes. */
export function remoteBases(ctx: LegacyContext, remote: string): string[] {
  if (ctx.traits.stripsRemoteScheme)
    return remoteCandidates(stripScheme(remote), ctx.knobs.schemes);
  return hasScheme(remote)
    ? remoteCandidates(remote, [])
    : remoteCandidates(remote, ctx.knobs.schemes);
}

function endpoints(doc: unknown): Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null) return {};
  const services = (doc as { services?: unknown }).services;
  if (typeof services !== 'object' || services === null) return {};
  const fed = (services as Record<string, unknown>).FEDERATED_SHARING;
  if (typeof fed !== 'object' || fed === null) return {};
  const ep = (fed as { endpoints?: unknown }).endpoints;
  return typeof ep === 'object' && ep !== null ? (ep as Record<string, unknown>) : {};
}

/** GET <base>/ocs-provider/; falls back to the flavour's defaults on any failure. */
export async function discoverOcs(ctx: LegacyContext, base: string): Promise<OcsEndpoints> {
  const out: OcsEndpoints = { share: ctx.traits.defaultSharePath, webdav: '/public.php/webdav' };
  try {
    const res = await ctx.client.request({ method: 'GET', url: `${base}/ocs-provider/` });
    if (res.status !== 200) return out;
    const ep = endpoints(jsonBody(res));
    const valid = (v: unknown): v is string =>
      typeof v === 'string' && ctx.traits.discoveryPathPattern.test(v);
    if (valid(ep.share)) out.share = ep.share.replace(/\/+$/, '');
    if (valid(ep.webdav)) out.webdav = ep.webdav.replace(/\/+$/, '');
  } catch {
    // unreachable remote: keep defaults, as DiscoveryManager does
  }
  return out;
}

function webdavFromOcm(
  doc: Record<string, unknown>,
  traits: LegacyContext['traits'],
): string | undefined {
  // ownCloud 10.1–10.7 read only `shareTypes`, 10.8+ also `resourceTypes`; Nextcloud `resourceTypes`.
  const keys =
    traits.ocmServer === 'owncloud10' ? ['shareTypes', 'resourceTypes'] : ['resourceTypes'];
  for (const key of keys) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const e = entry as { name?: unknown; protocols?: { webdav?: unknown } };
      if (e.name === 'file' && typeof e.protocols?.webdav === 'string') return e.protocols.webdav;
    }
  }
  return undefined;
}

/** GET <base>/ocm-provider/ and apply this flavour's acceptance rule; undefined = use legacy. */
export async function discoverOcm(
  ctx: LegacyContext,
  base: string,
): Promise<OcmEndpoint | undefined> {
  if (ctx.traits.ocmSender === 'none') return undefined;
  try {
    const res = await ctx.client.request({ method: 'GET', url: `${base}/ocm-provider/` });
    if (res.status !== 200) return undefined;
    const doc = jsonBody(res);
    if (!acceptsOcmDiscovery(ctx.traits, doc)) return undefined;
    const d = doc as Record<string, unknown>;
    const endPoint = typeof d.endPoint === 'string' ? d.endPoint : '';
    // ownCloud uses endPoint verbatim; Nextcloud trims a trailing slash.
    return {
      endPoint: ctx.traits.product === 'Nextcloud' ? endPoint.replace(/\/+$/, '') : endPoint,
      webdav: webdavFromOcm(d, ctx.traits),
    };
  } catch {
    return undefined;
  }
}
