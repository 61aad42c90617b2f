/**
 * Backend dialect detection as a pure decision over the probe answers (legacy-protocols §2.1–2.4,
 * §7): an enabled `/ocm-provider/` means early OCM (ownCloud 10.1+ or Nextcloud 14+); otherwise
 * `/ocs-provider/` and `/status.php` tell which OCS server and version it is. A forced dialect
 * (GATEWAY_BACKEND_DIALECT) wins, keeping whatever the probes still tell about the server.
 */
import { matchOcsSharePath, OCS_DEFAULT_WEBDAV_PATH } from '../dialects/ocs-common/index.ts';
import type { CanonicalDiscovery } from '../model/canonical-discovery.ts';
import { isOcmDialect, type DialectId, type OcsDialectId } from '../model/dialect-id.ts';
import type { BackendProbeResults } from './backend-probe.ts';
import type { BackendActions, BackendProduct, BackendProfile } from './backend-profile.ts';
import { backendProductOf, productAtLeast, UNKNOWN_PRODUCT } from './backend-product.ts';
import {
  actionsVia,
  BASIC_ACTIONS,
  COMPAT_OCM_ACTIONS,
  legacyActionsOf,
  NEXTCLOUD_OCM_ACTIONS,
  OWNCLOUD10_OCM_ACTIONS,
  SPEC_OCM_ACTIONS,
} from './legacy-backend-actions.ts';
import {
  ocmDialectOfApiVersion,
  readOcmProvider,
  readOcsProvider,
  readStatusPhp,
  type ProbedDocument,
} from './backend-documents.ts';
import { rebaseOnBackend } from './rebase-on-backend.ts';

export interface BackendDecisionInput {
  readonly probes: BackendProbeResults;
  /** GATEWAY_BACKEND_URL. */
  readonly backendUrl: string;
  /** GATEWAY_BACKEND_DIALECT when it is not `auto`. */
  readonly forced?: DialectId | undefined;
  readonly now: number;
}

export interface BackendDecision {
  readonly profile: BackendProfile;
  /** At least one probe got an HTTP answer. */
  readonly reachable: boolean;
}

interface Evidence {
  readonly ocm: ProbedDocument<CanonicalDiscovery> | undefined;
  readonly ocsWebdav: string | undefined;
  readonly ocsDecidedBy: string | undefined;
  readonly pydio: boolean;
  readonly product: BackendProduct;
  readonly backendUrl: string;
  readonly now: number;
  readonly notes: string[];
}

type Base = Omit<BackendProfile, 'dialect' | 'status' | 'source' | 'actions' | 'ocsDialect'>;

function base(e: Evidence, webdavPath?: string): Base {
  return {
    checkedAt: e.now,
    product: e.product,
    webdavPath: webdavPath ?? e.ocsWebdav ?? OCS_DEFAULT_WEBDAV_PATH,
    resourceTypes: ['file', 'folder'],
    shareTypes: ['user'],
    notes: e.notes,
  };
}

function proposal1Variant(e: Evidence, doc?: CanonicalDiscovery): string {
  if (e.product.name === 'ownCloud' || doc?.resourceTypesKey === 'shareTypes') return 'owncloud10';
  if (e.product.name === 'Nextcloud') return 'nextcloud';
  return 'compat';
}

const PROPOSAL1_ACTIONS: Readonly<Record<string, BackendActions>> = {
  nextcloud: NEXTCLOUD_OCM_ACTIONS,
  owncloud10: OWNCLOUD10_OCM_ACTIONS,
  compat: COMPAT_OCM_ACTIONS,
};

function ocmProfile(
  e: Evidence,
  dialect: DialectId,
  endPoint: { advertised: string; url: string },
  doc: CanonicalDiscovery | undefined,
): Omit<BackendProfile, 'status' | 'source'> {
  const file = doc?.resourceTypes.find((r) => r.name === 'file');
  const webdav = file?.protocols.webdav;
  const variant = dialect === 'ocm-proposal1' ? proposal1Variant(e, doc) : undefined;
  const names = doc?.resourceTypes.map((r) => r.name) ?? [];
  return {
    ...base(e, typeof webdav === 'string' ? webdav : undefined),
    dialect,
    ...(variant === undefined ? {} : { variant }),
    ocsDialect: 'ocs-v2',
    resourceTypes: names.length > 0 ? names : ['file'],
    shareTypes: file !== undefined && file.shareTypes.length > 0 ? file.shareTypes : ['user'],
    actions: variant === undefined ? SPEC_OCM_ACTIONS : (PROPOSAL1_ACTIONS[variant] ?? {}),
    ocmEndPoint: endPoint,
  };
}

function ocsProfile(e: Evidence, dialect: OcsDialectId): Omit<BackendProfile, 'status' | 'source'> {
  const pydio = e.pydio && dialect === 'ocs-v2';
  const known = e.product.name !== 'unknown';
  if (!known && !e.pydio)
    e.notes.push('status.php did not name the product: only accept/decline/unshare are used');
  return {
    ...base(e),
    dialect,
    ...(pydio ? { variant: 'pydio8' } : {}),
    ocsDialect: dialect,
    ...(pydio ? { ocsVariant: 'pydio8' } : {}),
    actions: actionsVia(pydio || !known ? BASIC_ACTIONS : legacyActionsOf(e.product), 'ocs'),
  };
}

/** The OCM dialect an advertised document stands for; Nextcloud's 1.0/1.1 receiver is its 14+ one. */
function ocmDialectOf(e: Evidence, doc: CanonicalDiscovery): DialectId {
  const advertised = ocmDialectOfApiVersion(doc.apiVersion);
  if (advertised === undefined) {
    e.notes.push(`apiVersion "${doc.apiVersion.slice(0, 40)}" is unknown: spoken as 1.0-proposal1`);
    return 'ocm-proposal1';
  }
  if (e.product.name === 'Nextcloud' && (advertised === 'ocm-1.0' || advertised === 'ocm-1.1')) {
    e.notes.push(
      `Nextcloud ${e.product.version} advertises ${doc.apiVersion}; its receiver is the Nextcloud 14+ one, spoken as 1.0-proposal1`,
    );
    return 'ocm-proposal1';
  }
  return advertised;
}

function detect(e: Evidence): Omit<BackendProfile, 'status' | 'source'> | undefined {
  if (e.ocm !== undefined) {
    const doc = e.ocm.document;
    const url = rebaseOnBackend(doc.endPoint, e.backendUrl);
    if (url !== undefined) {
      const profile = ocmProfile(e, ocmDialectOf(e, doc), { advertised: doc.endPoint, url }, doc);
      return { ...profile, decidedBy: e.ocm.url };
    }
    e.notes.push('the advertised OCM endPoint is not a usable URL: OCM ignored');
  }
  if (e.ocsDecidedBy === undefined) return undefined;
  const oldOwncloud = e.product.name === 'ownCloud' && !productAtLeast(e.product, 9, 1);
  return { ...ocsProfile(e, oldOwncloud ? 'ocs-v1' : 'ocs-v2'), decidedBy: e.ocsDecidedBy };
}

/** A forced OCM dialect without an advertised endPoint: the product's usual one is assumed. */
function assumedEndPoint(e: Evidence): { advertised: string; url: string } {
  const path =
    e.product.name === 'ownCloud' ? '/index.php/apps/federatedfilesharing' : '/index.php/ocm';
  const url = `${e.backendUrl.replace(/\/+$/, '')}${path}`;
  e.notes.push(`the backend advertises no OCM endPoint: ${path} assumed`);
  return { advertised: url, url };
}

function forcedProfile(e: Evidence, forced: DialectId): Omit<BackendProfile, 'status' | 'source'> {
  if (!isOcmDialect(forced)) return ocsProfile(e, forced);
  const doc = e.ocm?.document;
  const url = doc === undefined ? undefined : rebaseOnBackend(doc.endPoint, e.backendUrl);
  const endPoint =
    doc !== undefined && url !== undefined ? { advertised: doc.endPoint, url } : assumedEndPoint(e);
  return ocmProfile(e, forced, endPoint, url === undefined ? undefined : doc);
}

export function decideBackendProfile(input: BackendDecisionInput): BackendDecision {
  const { probes } = input;
  const reachable = [probes.ocmProvider, probes.ocsProvider, probes.statusPhp].some(
    (p) => p.kind === 'answer',
  );
  const status = readStatusPhp(probes.statusPhp);
  const ocs = readOcsProvider(probes.ocsProvider);
  const share = ocs?.document.federatedSharing?.share;
  const pydio = share !== undefined && matchOcsSharePath(share)?.flavour === 'pydio8';
  const notes: string[] = [];
  if (status?.document.maintenance === true) notes.push('status.php reports maintenance mode');
  const evidence: Evidence = {
    ocm: readOcmProvider(probes.ocmProvider),
    ocsWebdav: ocs?.document.federatedSharing?.webdav,
    ocsDecidedBy: status?.url ?? ocs?.url,
    pydio,
    product: pydio ? { ...UNKNOWN_PRODUCT, name: 'Pydio' } : backendProductOf(status?.document),
    backendUrl: input.backendUrl,
    now: input.now,
    notes,
  };
  const detected = detect(evidence);
  if (input.forced !== undefined) {
    const profile =
      detected?.dialect === input.forced ? detected : forcedProfile(evidence, input.forced);
    return {
      profile: { ...profile, status: detected ? 'known' : 'unknown', source: 'config' },
      reachable,
    };
  }
  if (detected !== undefined)
    return { profile: { ...detected, status: 'known', source: 'probe' }, reachable };
  notes.push(
    reachable
      ? 'the backend answered, but not as an ownCloud/Nextcloud/Pydio server: ocs-v2 assumed'
      : 'the backend could not be reached: ocs-v2 assumed until a probe succeeds',
  );
  return {
    profile: { ...ocsProfile(evidence, 'ocs-v2'), status: 'unknown', source: 'default' },
    reachable,
  };
}
