/** What an OCM peer of each spec version serves, sends and insists on (ocm-versions.md §2–§9, §11). */

export type OcmVersion = '1.0' | '1.1' | '1.2' | '1.3';

export interface OcmPeerTraits {
  version: OcmVersion;
  apiVersion: string;
  /** Discovery paths this peer serves. */
  servesDiscovery: string[];
  /** Discovery paths this peer tries, in order, when it looks a remote up. */
  discoveryOrder: string[];
  signing: 'none' | 'cavage' | 'rfc9421';
  /** /invite-accepted exists (1.1+) and how recipientProvider is spelt. */
  invites: 'none' | 'url' | 'fqdn';
  token: 'none' | 'json' | 'form';
  /** `sender` required in shares (1.1+). */
  senderRequired: boolean;
  /** `providerId` required in notifications (1.2+). */
  notificationProviderIdRequired: boolean;
  /** Only the legacy `{name:"webdav", options}` protocol form is understood (1.0). */
  legacyProtocolOnly: boolean;
  /** `webdav.uri` and `webdav.sharedSecret` required when `webdav` is given (1.3). */
  webdavUriAndSecretRequired: boolean;
  /** The `requirements` vocabulary this version understands. */
  knownRequirements: string[];
  /** Capabilities advertised by default. */
  capabilities: string[];
}

const base: OcmPeerTraits = {
  version: '1.0',
  apiVersion: '1.0.0',
  servesDiscovery: ['/ocm-provider', '/ocm-provider/'],
  discoveryOrder: ['/ocm-provider/', '/ocm-provider'],
  signing: 'none',
  invites: 'none',
  token: 'none',
  senderRequired: false,
  notificationProviderIdRequired: false,
  legacyProtocolOnly: true,
  webdavUriAndSecretRequired: false,
  knownRequirements: [],
  capabilities: [],
};

const TRAITS: Record<OcmVersion, OcmPeerTraits> = {
  '1.0': base,
  '1.1': {
    ...base,
    version: '1.1',
    apiVersion: '1.1.0',
    discoveryOrder: ['/ocm-provider', '/ocm-provider/'],
    invites: 'url',
    senderRequired: true,
    legacyProtocolOnly: false,
    capabilities: ['/notifications', '/invite-accepted'],
  },
  '1.2': {
    ...base,
    version: '1.2',
    apiVersion: '1.2.0',
    servesDiscovery: ['/.well-known/ocm', '/ocm-provider', '/ocm-provider/'],
    discoveryOrder: ['/.well-known/ocm', '/ocm-provider'],
    signing: 'cavage',
    invites: 'fqdn',
    token: 'json',
    senderRequired: true,
    notificationProviderIdRequired: true,
    legacyProtocolOnly: false,
    knownRequirements: ['mfa-enforced'],
    capabilities: ['/notifications', '/invite-accepted'],
  },
  '1.3': {
    ...base,
    version: '1.3',
    apiVersion: '1.3.0',
    servesDiscovery: ['/.well-known/ocm'],
    discoveryOrder: ['/.well-known/ocm'],
    signing: 'rfc9421',
    invites: 'fqdn',
    token: 'form',
    senderRequired: true,
    notificationProviderIdRequired: true,
    legacyProtocolOnly: false,
    webdavUriAndSecretRequired: true,
    knownRequirements: ['must-exchange-token', 'must-use-mfa'],
    capabilities: ['exchange-token', 'http-sig', 'invites', 'notifications', 'protocol-object'],
  },
};

export function ocmPeerTraits(version: OcmVersion): OcmPeerTraits {
  return TRAITS[version];
}

export const PERMISSION_BITS: Record<string, number> = { read: 1, write: 2 | 4 | 8, share: 16 };

export function permissionNames(bits: number): string[] {
  return Object.entries(PERMISSION_BITS)
    .filter(([, b]) => (bits & b) !== 0)
    .map(([n]) => n);
}

export function permissionBits(names: unknown): number {
  if (!Array.isArray(names)) return 1;
  return (names as unknown[]).reduce<number>(
    (acc, n) => acc | (PERMISSION_BITS[String(n)] ?? 0),
    0,
  );
}
