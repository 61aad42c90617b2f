/**
 * Legacy discovery (legacy-protocols §2.1, §2.2, §2.4): `/ocs-provider/` gives the OCS share and
 * WebDAV paths, `/status.php` the product and version. Either alone identifies an OCS peer.
 */
import {
  matchOcsSharePath,
  OCS_DEFAULT_WEBDAV_PATH,
  ocsSharePath,
  statusVersionAtLeast,
  type OcsProviderDocument,
  type StatusPhp,
} from '../../gateway/core/dialects/ocs-common/index.ts';
import type { OcsDialectId } from '../../gateway/core/model/dialect-id.ts';
import type {
  LegacyPeerDetails,
  PeerCapabilities,
  PeerReference,
} from '../../gateway/ports/peer-discovery.ts';
import { webdavUrl } from './peer-urls.ts';

export interface LegacyEvidence {
  readonly peer: PeerReference;
  readonly baseUrl: string;
  readonly provider?: { readonly url: string; readonly document: OcsProviderDocument };
  readonly status?: { readonly url: string; readonly document: StatusPhp };
  readonly warnings: readonly string[];
}

/** Servers that advertise v2 answer v1 too; without /ocs-provider/ the status decides. */
function dialectsOf(evidence: LegacyEvidence): {
  dialects: OcsDialectId[];
  variant?: string;
  advertisedShare?: string;
} {
  const share = evidence.provider?.document.federatedSharing?.share;
  const match = share === undefined ? undefined : matchOcsSharePath(share);
  if (share !== undefined && match !== undefined) {
    if (match.flavour === 'pydio8')
      return { dialects: ['ocs-v2'], variant: 'pydio8', advertisedShare: share };
    return {
      dialects: match.version === 2 ? ['ocs-v1', 'ocs-v2'] : ['ocs-v1'],
      advertisedShare: share,
    };
  }
  const status = evidence.status?.document;
  const speaksV2 =
    status !== undefined &&
    ((status.productName ?? status.product ?? '').toLowerCase() === 'nextcloud' ||
      statusVersionAtLeast(status.version, '9.1.0'));
  return { dialects: speaksV2 ? ['ocs-v1', 'ocs-v2'] : ['ocs-v1'] };
}

export function normaliseLegacyEvidence(evidence: LegacyEvidence): PeerCapabilities {
  const { baseUrl } = evidence;
  const warnings = [...evidence.warnings];
  const sources: Record<string, string> = {};
  const { dialects, variant, advertisedShare } = dialectsOf(evidence);
  const providerUrl = evidence.provider?.url;
  const statusUrl = evidence.status?.url;
  const decidedBy = providerUrl ?? statusUrl;
  if (decidedBy !== undefined) sources.dialects = decidedBy;

  const sharePath =
    advertisedShare ??
    ocsSharePath(dialects.includes('ocs-v2') ? 2 : 1, variant === 'pydio8' ? 'pydio8' : 'standard');
  if (advertisedShare !== undefined && providerUrl !== undefined) {
    sources['legacy.sharePath'] = providerUrl;
    sources.endPoint = providerUrl;
  } else {
    warnings.push(`no usable share path advertised; ${sharePath} assumed`);
  }
  const advertisedWebdav = evidence.provider?.document.federatedSharing?.webdav;
  const webdavPath = advertisedWebdav ?? `${OCS_DEFAULT_WEBDAV_PATH}/`;
  if (advertisedWebdav !== undefined && providerUrl !== undefined) {
    sources['legacy.webdavPath'] = providerUrl;
    sources.webdavPath = providerUrl;
  }
  const status = evidence.status?.document;
  const product = status?.productName ?? status?.product;
  const legacy: LegacyPeerDetails = {
    sharePath,
    webdavPath,
    ...(variant !== undefined && { variant }),
    ...(product !== undefined && product !== '' && { product }),
    ...(status !== undefined && status.version !== '' && { version: status.version }),
  };
  let provider: string | undefined;
  if (status !== undefined && statusUrl !== undefined) {
    sources['legacy.version'] = statusUrl;
    const name = product === undefined || product === '' ? 'ownCloud-compatible' : product;
    provider = `${name} ${status.versionString || status.version}`.trim();
    sources.provider = statusUrl;
  }
  const resolvedWebdav = webdavUrl(webdavPath, baseUrl);
  return {
    peer: evidence.peer.key,
    baseUrl,
    family: 'legacy',
    dialects,
    ...(status !== undefined && status.version !== '' && { version: status.version }),
    ...(provider !== undefined && { provider }),
    endPoint: `${baseUrl}${sharePath}`,
    webdavPath,
    ...(resolvedWebdav !== undefined && { webdavUrl: resolvedWebdav }),
    resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: webdavPath } }],
    capabilities: [],
    criteria: [],
    keys: { publicKeys: [] },
    legacy,
    sources,
    warnings,
  };
}
