/** What differs between the simulated legacy servers (legacy-protocols.md §1, §2.4, §7). One row
 * per flavour; `nextcloud-ocm` takes a major version 14–30 and derives its quirks from it. */

export type LegacyFlavour = 'owncloud9' | 'nextcloud13' | 'owncloud10' | 'nextcloud-ocm';
export type LegacyAction =
  'accept' | 'decline' | 'unshare' | 'reshare' | 'permissions' | 'revoke' | 'move';

export interface LegacyTraits {
  flavour: LegacyFlavour;
  product: 'ownCloud' | 'Nextcloud';
  /** Major version (9, 10, 13, 14…30). */
  major: number;
  status: Record<string, unknown>;
  /** meta.message on OCS success: ownCloud null, Nextcloud "OK". */
  successMessage: string | null;
  actions: ReadonlySet<LegacyAction>;
  /** Error wording family for createShare / accept / decline. */
  errorStyle: 'classic' | 'oc10';
  /** The receiver reads fields from $_POST only (JSON bodies are invisible). */
  formOnly: boolean;
  /** Which legacy createShare fields this server sends. */
  sendFields: 'base' | 'federated' | 'oc10-bug' | 'federated+shareType';
  /** Legacy share path used when /ocs-provider/ discovery fails. */
  defaultSharePath: string;
  /** Advertised discovery paths are accepted only when they match this (ownCloud forbids '-'/'_'). */
  discoveryPathPattern: RegExp;
  /** Default scheme order for scheme-less remotes. */
  defaultSchemes: readonly string[];
  /** Sender strips the scheme of a remote and tries every scheme (OC family, NC ≤ 13). */
  stripsRemoteScheme: boolean;
  /** Which early-OCM dialect this server receives at <endPoint> and answers at /ocm-provider/. */
  ocmServer: 'none' | 'owncloud10' | 'nextcloud';
  /** Decides whether a discovered /ocm-provider/ document is used for sending. */
  ocmSender: 'none' | 'enabled-true' | 'proposal1-only' | 'up-to-1.1';
  ocmEndpointPath: string;
  /** NC 28+: /ocm-provider/ is a routed controller adding X-NEXTCLOUD-OCM-PROVIDERS: true. */
  ocmRouted: boolean;
  /** OC 10.8+ / NC 28+ take the WebDAV mount point from OCM discovery (OCS discovery as fallback). */
  mountFromOcm: boolean;
  /** NC 14+: a 2xx legacy createShare answer without an `ocs` object counts as success. */
  acceptsNonOcsSuccess: boolean;
}

const OC_PATH = /^[/.A-Za-z0-9]+$/;
const NC_PATH = /^[/.\-A-Za-z0-9]+$/;
const BASIC: LegacyAction[] = ['accept', 'decline', 'unshare'];
const FLAT: LegacyAction[] = [...BASIC, 'reshare', 'permissions', 'revoke'];

function ncStatus(major: number, minor = '0.0'): Record<string, unknown> {
  return {
    installed: true,
    maintenance: false,
    needsDbUpgrade: false,
    version: `${major}.${minor}.1`,
    versionstring: `${major}.${minor}`,
    edition: '',
    productname: 'Nextcloud',
    extendedSupport: false,
  };
}

/** ownCloud 9.0 semantics (not 9.1): no reshare/permissions/revoke routes, base six create fields. */
const owncloud9: LegacyTraits = {
  flavour: 'owncloud9',
  product: 'ownCloud',
  major: 9,
  status: {
    installed: true,
    maintenance: false,
    version: '9.0.0.19',
    versionstring: '9.0.0',
    edition: '',
  },
  successMessage: null,
  actions: new Set(BASIC),
  errorStyle: 'classic',
  formOnly: true,
  sendFields: 'base',
  defaultSharePath: '/ocs/v1.php/cloud/shares',
  discoveryPathPattern: OC_PATH,
  defaultSchemes: ['https', 'http'],
  stripsRemoteScheme: true,
  ocmServer: 'none',
  ocmSender: 'none',
  ocmEndpointPath: '',
  ocmRouted: false,
  mountFromOcm: false,
  acceptsNonOcsSuccess: false,
};

const nextcloud13: LegacyTraits = {
  ...owncloud9,
  flavour: 'nextcloud13',
  product: 'Nextcloud',
  major: 13,
  status: ncStatus(13, '0.12'),
  successMessage: 'OK',
  actions: new Set([...FLAT, 'move']),
  sendFields: 'federated',
  defaultSharePath: '/ocs/v2.php/cloud/shares',
  discoveryPathPattern: NC_PATH,
};

/** ownCloud 10.1+ (10.16 status): OCM 1.0-proposal1 first, legacy fallback, https only by default. */
const owncloud10: LegacyTraits = {
  ...owncloud9,
  flavour: 'owncloud10',
  major: 10,
  status: {
    installed: true,
    maintenance: false,
    needsDbUpgrade: false,
    version: '10.16.0.0',
    versionstring: '10.16.0',
    edition: 'Community',
    productname: 'ownCloud',
    product: 'ownCloud',
  },
  actions: new Set(FLAT),
  errorStyle: 'oc10',
  formOnly: false,
  sendFields: 'oc10-bug',
  defaultSchemes: ['https'],
  ocmServer: 'owncloud10',
  ocmSender: 'enabled-true',
  ocmEndpointPath: '/index.php/apps/federatedfilesharing',
  mountFromOcm: true,
};

function nextcloudOcm(major: number): LegacyTraits {
  if (!Number.isInteger(major) || major < 14 || major > 30) {
    throw new Error(`nextcloud-ocm simulates Nextcloud 14–30, not ${major}`);
  }
  return {
    ...nextcloud13,
    flavour: 'nextcloud-ocm',
    major,
    status: ncStatus(major),
    // Nextcloud up to at least 14 reads $_POST; later releases use the parameter bag (form or JSON).
    formOnly: major <= 14,
    sendFields: 'federated+shareType',
    defaultSchemes: ['https'],
    stripsRemoteScheme: false,
    ocmServer: 'nextcloud',
    ocmSender: major >= 28 ? 'up-to-1.1' : 'proposal1-only',
    ocmEndpointPath: '/index.php/ocm',
    ocmRouted: major >= 28,
    mountFromOcm: major >= 28,
    acceptsNonOcsSuccess: true,
  };
}

export function legacyTraits(flavour: LegacyFlavour, nextcloudVersion = 27): LegacyTraits {
  switch (flavour) {
    case 'owncloud9':
      return owncloud9;
    case 'nextcloud13':
      return nextcloud13;
    case 'owncloud10':
      return owncloud10;
    case 'nextcloud-ocm':
      return nextcloudOcm(nextcloudVersion);
  }
}

/** Does this server's OCM sender accept a peer's /ocm-provider/ document? (§2.4) */
export function acceptsOcmDiscovery(traits: LegacyTraits, doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  const endPoint = typeof d.endPoint === 'string' ? d.endPoint : '';
  const apiVersion = typeof d.apiVersion === 'string' ? d.apiVersion : '';
  switch (traits.ocmSender) {
    case 'none':
      return false;
    case 'enabled-true':
      return d.enabled === true;
    case 'proposal1-only':
      return endPoint !== '' && apiVersion === '1.0-proposal1';
    case 'up-to-1.1': {
      if (endPoint === '' || apiVersion === '') return false;
      if (apiVersion === '1.0-proposal1') return true;
      const majorMinor = /^(\d+)\.(\d+)/.exec(apiVersion);
      return majorMinor !== null && ['1.0', '1.1'].includes(`${majorMinor[1]}.${majorMinor[2]}`);
    }
  }
}
