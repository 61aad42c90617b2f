/**
 * Which federation call a request to the facade is (legacy-protocols §1.1, §1.10, §2, §3): the
 * same table serves `/peers/<host>/…` and calls the forward proxy intercepted on the peer's real
 * host, where a sub-path install may come first (`/nextcloud/status.php`).
 */
import { matchOcsSharePath, type OcsPathFlavour } from '../dialects/ocs-common/ocs-share-path.ts';
import type { OcsVersion } from '../dialects/ocs-envelope/index.ts';

/** `basePath`: a sub-path install's path before the call (`/nextcloud`), `''` for none. */
export type FacadeCall =
  | { readonly kind: 'status'; readonly basePath: string }
  | { readonly kind: 'ocs-provider'; readonly basePath: string }
  | { readonly kind: 'ocm-provider'; readonly basePath: string }
  | { readonly kind: 'shareinfo'; readonly basePath: string }
  | {
      readonly kind: 'ocs-create';
      readonly basePath: string;
      readonly version: OcsVersion;
      readonly flavour: OcsPathFlavour;
    }
  | {
      readonly kind: 'ocs-action';
      readonly basePath: string;
      readonly version: OcsVersion;
      readonly flavour: OcsPathFlavour;
      readonly id: string;
      readonly action: string;
    }
  | { readonly kind: 'ocm-shares'; readonly basePath: string }
  | { readonly kind: 'ocm-notifications'; readonly basePath: string }
  /** Not a call the facade serves (WebDAV, anything else): another handler's. */
  | { readonly kind: 'other' };

/**
 * Where the facade's early-OCM endPoint lives below the peer's base: Nextcloud's own
 * `/index.php/ocm`, which every early-OCM backend accepts and the forward proxy recognises.
 */
export const FACADE_OCM_ENDPOINT_PATH = '/index.php/ocm';

const STATUS = /^(.*)\/status\.php$/;
const OCS_PROVIDER = /^(.*)\/ocs-provider(?:\/|\/index\.php)?$/;
const OCM_PROVIDER = /^(.*)\/ocm-provider(?:\/|\/index\.php)?$/;
const SHARE_INFO = /^(.*)\/index\.php\/apps\/files_sharing\/shareinfo$/;
// Early-OCM endPoints: Nextcloud (`/index.php/ocm`, `/ocm`) and ownCloud 10's federatedfilesharing app.
const OCM_CALL =
  /^(.*?)(?:\/index\.php\/ocm|\/ocm|\/index\.php\/apps\/federatedfilesharing)\/(shares|notifications)\/?$/;

const DOCUMENTS = [
  [STATUS, 'status'],
  [OCS_PROVIDER, 'ocs-provider'],
  [OCM_PROVIDER, 'ocm-provider'],
  [SHARE_INFO, 'shareinfo'],
] as const;

/** `path` is the request path below the peer's base (facade prefix removed), without the query. */
export function classifyFacadeCall(path: string): FacadeCall {
  for (const [pattern, kind] of DOCUMENTS) {
    const match = pattern.exec(path);
    if (match !== null) return { kind, basePath: match[1] ?? '' };
  }
  const ocm = OCM_CALL.exec(path);
  if (ocm !== null) {
    const basePath = ocm[1] ?? '';
    return ocm[2] === 'shares'
      ? { kind: 'ocm-shares', basePath }
      : { kind: 'ocm-notifications', basePath };
  }
  const ocs = matchOcsSharePath(path);
  if (ocs === undefined) return { kind: 'other' };
  const common = { basePath: ocs.basePath, version: ocs.version, flavour: ocs.flavour };
  if (ocs.id === undefined || ocs.action === undefined) return { kind: 'ocs-create', ...common };
  return { kind: 'ocs-action', ...common, id: ocs.id, action: ocs.action };
}

/** The methods each call answers; anything else is 405. */
export function facadeCallMethods(call: FacadeCall): readonly string[] {
  switch (call.kind) {
    case 'status':
    case 'ocs-provider':
    case 'ocm-provider':
      return ['GET', 'HEAD'];
    case 'shareinfo':
      // ownCloud's ajax/shareinfo.php reads `t` from the query for GET and POST alike.
      return ['POST', 'GET'];
    case 'other':
      return [];
    case 'ocs-create':
    case 'ocs-action':
    case 'ocm-shares':
    case 'ocm-notifications':
      return ['POST'];
  }
}
