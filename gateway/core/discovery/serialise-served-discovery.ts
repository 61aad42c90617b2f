/**
 * Puts the served discovery document on the wire for the path a client asked (ocm-versions §2.1,
 * §13 items 1–3; legacy-protocols §2.3–2.4): one compatible superset per path, built by layering
 * the dialect codecs' own serialisations.
 *
 * Why per path and not per client: the path is the one thing every client reveals reliably.
 * Every client that insists on an old apiVersion asks `/ocm-provider/` (Nextcloud 14–27 accept
 * only `1.0-proposal1`, Nextcloud 28–30 only 1.0-proposal1/1.0/1.1 cut at the second dot,
 * ownCloud 10 only checks `enabled === true`); every client that asks `/.well-known/ocm`
 * (1.2-era peers first, I-D-05 peers only, the newest Nextcloud first) accepts any `1.x`.
 * The references name no User-Agent that separates Nextcloud 14–27 from 28+, and shaping on one
 * would need `Vary: User-Agent` and break silently on a misdetection. So `/ocm-provider[/]`
 * says `1.0-proposal1` (it starts with "1.", which is all later specs ask of it) and
 * `/.well-known/ocm` says `1.3.0`; everything else is a superset both ways: the `shareTypes`
 * list ownCloud 10.1–10.7 read, capability and criteria names in every generation's spelling
 * (clients ignore names they do not know; I-D-05 lists criteria "for instance"), the cavage
 * `publicKey` for 1.2-era verifiers next to `publicKeys[]`. Protocol values stay strings:
 * Nextcloud casts them to string. Only ownCloud reads `shareTypes`, and it appends the WebDAV
 * path to the sharer's base URL, sub-path included, so that list carries the base-relative path
 * while `resourceTypes` carries the host-absolute one Nextcloud 28+ and the specs expect.
 */
import { codecFor } from '../dialects/dialect-registry.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { CanonicalDiscovery } from '../model/canonical-discovery.ts';
import type { DialectId } from '../model/dialect-id.ts';
import type { JsonObject, JsonValue } from '../model/json-value.ts';

/** Which discovery path was asked. */
export type DiscoveryPath = 'well-known' | 'ocm-provider';

interface Layer {
  readonly id: DialectId;
  readonly variant?: string;
}

/** First layer wins for single values (apiVersion above all); name lists are merged. */
const LAYERS: Readonly<Record<DiscoveryPath, readonly Layer[]>> = {
  'well-known': [{ id: 'ocm-1.3' }, { id: 'ocm-1.2' }],
  'ocm-provider': [
    { id: 'ocm-proposal1', variant: 'compat' },
    { id: 'ocm-1.1' },
    { id: 'ocm-1.2' },
    { id: 'ocm-1.3' },
  ],
};

const MERGED_LISTS: ReadonlySet<string> = new Set(['capabilities', 'criteria']);

/** `publicUrl` is the one the document was built for (its path prefix is what ownCloud adds). */
export function serialiseServedDiscovery(
  doc: CanonicalDiscovery,
  path: DiscoveryPath,
  publicUrl: string,
): JsonObject {
  const out: JsonObject = {};
  for (const layer of LAYERS[path]) {
    for (const [key, value] of Object.entries(serialiseWith(doc, layer))) {
      const current = out[key];
      if (current === undefined) out[key] = value;
      else if (MERGED_LISTS.has(key)) out[key] = union(current, value);
    }
  }
  const ownCloudList = out.shareTypes;
  if (Array.isArray(ownCloudList)) {
    const prefix = new URL(publicUrl).pathname.replace(/\/+$/, '');
    out.shareTypes = ownCloudList.map((entry) => withoutPrefix(entry, prefix));
  }
  return out;
}

function withoutPrefix(entry: JsonValue, prefix: string): JsonValue {
  if (prefix === '' || !isObject(entry) || !isObject(entry.protocols)) return entry;
  const protocols: JsonObject = {};
  for (const [name, value] of Object.entries(entry.protocols)) {
    protocols[name] =
      typeof value === 'string' && value.startsWith(`${prefix}/`)
        ? value.slice(prefix.length)
        : value;
  }
  return { ...entry, protocols };
}

function serialiseWith(doc: CanonicalDiscovery, layer: Layer): JsonObject {
  const codec = codecFor(layer.id, layer.variant);
  const result = codec?.discovery?.serialise(doc);
  // Dropped fields are expected (that is why layers exist); a failure is a bug in the document.
  if (result === undefined || !result.ok || !isObject(result.value)) {
    throw new GatewayError('INTERNAL', `Cannot write the discovery document as ${layer.id}.`);
  }
  return result.value;
}

function union(a: JsonValue, b: JsonValue): JsonValue {
  if (!Array.isArray(a) || !Array.isArray(b)) return a;
  const out = [...a];
  for (const item of b) if (!out.includes(item)) out.push(item);
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
