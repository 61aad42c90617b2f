/**
 * The peer's JWKS (I-D-05 §: keys at `https://<fqdn>/.well-known/jwks.json`; Nextcloud's non-spec
 * `jwksUri`), read when discovery advertises `http-sig` or a `jwksUri`. Only public asymmetric keys
 * are kept: a member that reveals a private key or a shared secret drops that key.
 */
import { isJsonObject, type JsonObject } from '../../gateway/core/model/json-value.ts';
import type { PeerCapabilities } from '../../gateway/ports/peer-discovery.ts';
import type { PeerHttpClient } from '../../gateway/ports/peer-http.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const MAX_KEYS = 50;

export function wantsJwks(capabilities: PeerCapabilities): boolean {
  return (
    capabilities.capabilities.includes('http-sig') ||
    capabilities.keys.jwksUri !== undefined ||
    capabilities.dialects.includes('ocm-1.3')
  );
}

/**
 * Where to read it: the advertised `jwksUri` when it is on the discovery document's own host
 * (a key set elsewhere would let one host vouch for another), else the RFC 8615 root path.
 */
export function jwksUrl(
  capabilities: PeerCapabilities,
  documentUrl: string,
): {
  url: string;
  warning?: string;
} {
  const doc = new URL(documentUrl);
  const fallback = `${doc.origin}/.well-known/jwks.json`;
  const advertised = capabilities.keys.jwksUri;
  if (advertised === undefined) return { url: fallback };
  if (new URL(advertised).host !== doc.host) {
    return { url: fallback, warning: 'jwksUri is on another host; the root JWKS is used instead' };
  }
  return { url: advertised };
}

export function publicJwks(body: unknown): { keys: JsonObject[]; dropped: number } | undefined {
  if (!isJsonObject(body) || !Array.isArray(body.keys)) return undefined;
  const keys: JsonObject[] = [];
  let dropped = 0;
  for (const jwk of body.keys) {
    const usable =
      isJsonObject(jwk) &&
      typeof jwk.kty === 'string' &&
      jwk.kty !== 'oct' &&
      !PRIVATE_MEMBERS.some((member) => member in jwk);
    if (usable && keys.length < MAX_KEYS) keys.push(jwk);
    else dropped += 1;
  }
  return { keys, dropped };
}

export interface JwksFetch {
  readonly client: PeerHttpClient;
  readonly maxBytes: number;
  readonly signal: AbortSignal;
}

/** Adds `keys.jwks` (or a warning saying why not). Never rejects: signatures can still be refused later. */
export async function withPeerJwks(
  capabilities: PeerCapabilities,
  documentUrl: string,
  fetch: JwksFetch,
): Promise<PeerCapabilities> {
  const { url, warning } = jwksUrl(capabilities, documentUrl);
  const warnings = [...capabilities.warnings, ...(warning === undefined ? [] : [warning])];
  try {
    const res = await fetch.client.request({
      url,
      expect: 'json',
      maxBytes: fetch.maxBytes,
      signal: fetch.signal,
      headers: { Accept: 'application/jwk-set+json, application/json' },
    });
    const set = res.status >= 200 && res.status < 300 ? publicJwks(res.json) : undefined;
    if (set === undefined) {
      warnings.push(`no JWKS at ${url} (HTTP ${res.status})`);
      return { ...capabilities, warnings };
    }
    if (set.dropped > 0)
      warnings.push(`${set.dropped} JWKS entries were not public keys and were ignored`);
    return {
      ...capabilities,
      keys: { ...capabilities.keys, jwks: set.keys, jwksUri: res.url },
      sources: { ...capabilities.sources, 'keys.jwks': res.url },
      warnings,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'failed';
    warnings.push(`JWKS not read: ${reason}`);
    return { ...capabilities, warnings };
  }
}
