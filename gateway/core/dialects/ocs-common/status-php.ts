/**
 * `/status.php` (legacy-protocols.md §2.2, §1.10): receivers treat a server as ownCloud-family iff
 * it answers JSON with a non-empty `version`; ownCloud 10's add-by-link UI also wants ≥ 7.0.0.
 */
import type { JsonObject, ParseResult } from '../../model/index.ts';
import { fail, isJsonObject, succeed, toJsonValue } from '../../model/index.ts';

export interface StatusPhp {
  readonly installed: boolean;
  readonly maintenance: boolean;
  readonly needsDbUpgrade?: boolean;
  /** `10.16.0.0`; empty when `version.hide` is set (which breaks the probes). */
  readonly version: string;
  readonly versionString: string;
  readonly edition: string;
  readonly productName?: string;
  readonly product?: string;
  readonly extendedSupport?: boolean;
  /** Keys not listed above, verbatim. */
  readonly extra?: JsonObject;
}

const KNOWN = [
  'installed',
  'maintenance',
  'needsDbUpgrade',
  'version',
  'versionstring',
  'edition',
  'productname',
  'product',
  'extendedSupport',
];

/** Never fails on a JSON object; `ownCloudLike` says whether old receivers would believe it. */
export function parseStatusPhp(
  body: unknown,
): ParseResult<StatusPhp & { readonly ownCloudLike: boolean }> {
  let doc: unknown = body;
  if (typeof body === 'string') {
    try {
      doc = JSON.parse(body);
    } catch {
      return fail([{ field: 'body', message: 'is not JSON (the server is not ownCloud-like)' }]);
    }
  }
  const json = toJsonValue(doc);
  if (!isJsonObject(json)) return fail([{ field: 'body', message: 'must be a JSON object' }]);
  const str = (key: string) => (typeof json[key] === 'string' ? json[key] : '');
  const bool = (key: string) => (typeof json[key] === 'boolean' ? json[key] : undefined);
  const extra = Object.fromEntries(Object.entries(json).filter(([k]) => !KNOWN.includes(k)));
  const version = str('version');
  const status: StatusPhp = {
    installed: bool('installed') ?? false,
    maintenance: bool('maintenance') ?? false,
    ...(bool('needsDbUpgrade') === undefined ? {} : { needsDbUpgrade: bool('needsDbUpgrade') }),
    version,
    versionString: str('versionstring'),
    edition: str('edition'),
    ...(typeof json.productname === 'string' ? { productName: json.productname } : {}),
    ...(typeof json.product === 'string' ? { product: json.product } : {}),
    ...(bool('extendedSupport') === undefined ? {} : { extendedSupport: bool('extendedSupport') }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return succeed({ ...status, ownCloudLike: version !== '' });
}

/** Compares a dotted version with a minimum (`statusVersionAtLeast('10.16.0.0', '7.0.0')`). */
export function statusVersionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const b = minimum.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** The status.php the facade serves, keys in ownCloud 10's order. `version` must be non-empty. */
export function serialiseStatusPhp(status: StatusPhp): ParseResult<JsonObject> {
  if (status.version === '') {
    return fail([
      {
        field: 'version',
        message: 'must not be empty: receivers would stop trusting the server and drop shares',
      },
    ]);
  }
  return succeed({
    installed: status.installed,
    maintenance: status.maintenance,
    needsDbUpgrade: status.needsDbUpgrade ?? false,
    version: status.version,
    versionstring: status.versionString,
    edition: status.edition,
    ...(status.productName === undefined ? {} : { productname: status.productName }),
    ...(status.product === undefined ? {} : { product: status.product }),
    ...(status.extendedSupport === undefined ? {} : { extendedSupport: status.extendedSupport }),
    ...Object.fromEntries(Object.entries(status.extra ?? {}).filter(([k]) => !KNOWN.includes(k))),
  });
}
