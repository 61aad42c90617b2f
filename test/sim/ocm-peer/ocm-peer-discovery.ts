/** Discovery both ways for a simulated OCM peer: the document it serves at its version's paths
 * (+ JWKS for 1.3), how it looks a remote up, and how it fetches a remote's public keys. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { jsonBody } from '../common/outgoing-http.ts';
import type { SimRouter } from '../common/sim-router.ts';
import { json } from '../common/sim-router.ts';
import type { OcmPeerContext } from './ocm-peer-context.ts';

export function discoveryDocument(ctx: OcmPeerContext): Record<string, unknown> {
  const t = ctx.traits;
  // v1.1 examples give absolute protocol URIs; later versions give paths.
  const webdav = t.version === '1.1' ? `${ctx.origin()}/webdav/` : '/webdav/';
  const doc: Record<string, unknown> = {
    enabled: true,
    apiVersion: t.apiVersion,
    endPoint: ctx.endPoint(),
    provider: `OCM ${t.version} peer simulator`,
    resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav } }],
  };
  if (ctx.capabilities().length > 0) doc.capabilities = ctx.capabilities();
  if (ctx.criteria().length > 0) doc.criteria = ctx.criteria();
  if (ctx.keys.cavage !== undefined) {
    doc.publicKey = { keyId: ctx.keys.cavage.keyId, publicKeyPem: ctx.keys.cavage.publicKeyPem };
  }
  if (t.token === 'form') doc.tokenEndPoint = `${ctx.endPoint()}/token`;
  return doc;
}

export function addDiscoveryRoutes(router: SimRouter, ctx: OcmPeerContext): void {
  for (const path of ctx.traits.servesDiscovery)
    router.on('GET', path, () => json(200, discoveryDocument(ctx)));
  if (ctx.keys.jwk !== undefined) {
    const jwk = ctx.keys.jwk;
    router.on('GET', '/.well-known/jwks.json', () => json(200, { keys: [jwk.publicJwk] }));
  }
}

export interface Discovered {
  /** scheme://host[:port] that answered. */
  base: string;
  doc: Record<string, unknown>;
  endPoint: string;
}

/** Looks a remote host (host[:port]) up the way this version does: its paths, the scheme order. */
export async function discoverRemote(
  ctx: OcmPeerContext,
  host: string,
): Promise<Discovered | undefined> {
  for (const scheme of ctx.options.schemes ?? ['https', 'http']) {
    for (const path of ctx.traits.discoveryOrder) {
      try {
        const res = await ctx.client.request({ method: 'GET', url: `${scheme}://${host}${path}` });
        const doc = jsonBody(res);
        if (res.status !== 200 || typeof doc !== 'object' || doc === null) continue;
        const d = doc as Record<string, unknown>;
        if (d.enabled !== true || typeof d.endPoint !== 'string') continue;
        return { base: `${scheme}://${host}`, doc: d, endPoint: d.endPoint.replace(/\/+$/, '') };
      } catch {
        break; // connection-level failure: this scheme is not served, try the next one
      }
    }
  }
  return undefined;
}

/** draft-cavage: the key behind keyId = <base>/ocm#signature is in <base>'s discovery `publicKey`. */
export async function resolveCavageKey(
  ctx: OcmPeerContext,
  keyId: string,
): Promise<KeyObject | undefined> {
  const cached = ctx.keyCache.get(keyId);
  if (cached !== undefined) return cached;
  let url: URL;
  try {
    url = new URL(keyId);
  } catch {
    return undefined;
  }
  const base = `${url.origin}${url.pathname.replace(/\/ocm$/, '').replace(/\/+$/, '')}`;
  for (const path of ['/.well-known/ocm', '/ocm-provider/']) {
    try {
      const res = await ctx.client.request({ method: 'GET', url: base + path });
      const pk = (
        jsonBody(res) as
          { publicKey?: { keyId?: unknown; id?: unknown; publicKeyPem?: unknown } } | undefined
      )?.publicKey;
      if (res.status !== 200 || pk === undefined) continue;
      if ((pk.keyId ?? pk.id) !== keyId || typeof pk.publicKeyPem !== 'string') return undefined;
      const key = createPublicKey(pk.publicKeyPem);
      ctx.keyCache.set(keyId, key);
      return key;
    } catch {
      // try the legacy path
    }
  }
  return undefined;
}

/** RFC 9421 + JWKS: fetch https://<domain>/.well-known/jwks.json and find kid === keyid. */
export async function resolveJwksKey(
  ctx: OcmPeerContext,
  domain: string,
  keyid: string,
): Promise<KeyObject | undefined> {
  const cacheKey = `${domain} ${keyid}`;
  const cached = ctx.keyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  for (const scheme of ctx.options.schemes ?? ['https', 'http']) {
    try {
      const res = await ctx.client.request({
        method: 'GET',
        url: `${scheme}://${domain}/.well-known/jwks.json`,
      });
      const keys = (jsonBody(res) as { keys?: unknown } | undefined)?.keys;
      if (res.status !== 200 || !Array.isArray(keys)) continue;
      const jwk = (keys as Record<string, unknown>[]).find((k) => k.kid === keyid);
      if (jwk === undefined) return undefined;
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      ctx.keyCache.set(cacheKey, key);
      return key;
    } catch {
      // next scheme
    }
  }
  return undefined;
}
