/**
 * What each peer looks like to the backend under `/peers/<host>/` (DESIGN §3, legacy-protocols
 * §2): a legacy server of the backend's own kind — `/status.php` with a non-empty version,
 * `/ocs-provider/` naming the backend's own OCS path, and for early-OCM backends an
 * `/ocm-provider/` in `1.0-proposal1` with the facade's endPoint.
 */
import { codecFor } from '../dialects/dialect-registry.ts';
import {
  serialiseOcsProvider,
  serialiseStatusPhp,
  OCS_DEFAULT_WEBDAV_PATH,
} from '../dialects/ocs-common/index.ts';
import type { JsonObject, JsonValue } from '../model/json-value.ts';
import type { OcsDialectId } from '../model/dialect-id.ts';
import type { ParseResult } from '../model/parse-result.ts';

/** What the facade copies from the backend's profile. */
export interface FacadeBackendKind {
  /** `Nextcloud`, `ownCloud`, `Pydio`, `unknown`. */
  readonly productName: string;
  /** status.php version of the backend, `''` when unknown. */
  readonly productVersion: string;
  readonly ocsDialect: OcsDialectId;
  readonly ocsVariant?: string | undefined;
}

/** ownCloud 10's add-by-link UI wants ≥ 7.0.0; an unknown backend gets a version every probe accepts. */
const FALLBACK_VERSION = '10.0.0.0';

export function facadeStatusPhp(kind: FacadeBackendKind): ParseResult<JsonObject> {
  const version = kind.productVersion === '' ? FALLBACK_VERSION : kind.productVersion;
  const nextcloud = kind.productName === 'Nextcloud';
  return serialiseStatusPhp({
    installed: true,
    maintenance: false,
    needsDbUpgrade: false,
    version,
    versionString: version.split('.').slice(0, 3).join('.'),
    edition: '',
    productName: nextcloud ? 'Nextcloud' : 'ownCloud',
    ...(nextcloud ? { extendedSupport: false } : { product: 'ownCloud' }),
  });
}

/** The backend's own share path, relative to the peer's facade base (served for v1 and v2 alike). */
export function facadeSharePath(kind: FacadeBackendKind): string {
  if (kind.ocsVariant === 'pydio8') return '/ocs/v2/shares';
  return kind.ocsDialect === 'ocs-v1' ? '/ocs/v1.php/cloud/shares' : '/ocs/v2.php/cloud/shares';
}

export function facadeOcsProvider(kind: FacadeBackendKind): ParseResult<JsonObject> {
  return serialiseOcsProvider({
    share: facadeSharePath(kind),
    webdav: `${OCS_DEFAULT_WEBDAV_PATH}/`,
    pydioSharesKey: kind.ocsVariant === 'pydio8',
  });
}

/**
 * `/ocm-provider/` for early-OCM backends: `1.0-proposal1` (Nextcloud 14–27 use OCM only for
 * exactly that), `enabled: true` (ownCloud 10's rule), both `resourceTypes` and `shareTypes`.
 */
export function facadeOcmProvider(endPoint: string): ParseResult<JsonValue> {
  const codec = codecFor('ocm-proposal1');
  if (codec?.discovery === undefined) {
    return { ok: false, issues: [{ field: 'dialect', message: 'no ocm-proposal1 codec' }] };
  }
  return codec.discovery.serialise({
    enabled: true,
    apiVersion: '1.0-proposal1',
    endPoint,
    resourceTypes: [
      { name: 'file', shareTypes: ['user'], protocols: { webdav: `${OCS_DEFAULT_WEBDAV_PATH}/` } },
    ],
    capabilities: [],
    criteria: [],
    publicKeys: [],
  }) as ParseResult<JsonValue>;
}
