/**
 * The canonical discovery document / peer capabilities (`/.well-known/ocm`, `/ocm-provider`):
 * I-D-05 fields plus what older documents carry (cavage `publicKey`, `publicKeys[]`, NC `version`).
 */
import type { JsonObject, JsonValue } from './json-value.ts';

/** Capability names as of I-D-05 (plus `webdav-uri` from 1.2.x); older spellings are normalised to these. */
export const CANONICAL_CAPABILITIES = [
  'enforce-mfa',
  'exchange-token',
  'http-sig',
  'invites',
  'invite-wayf',
  'notifications',
  'protocol-object',
  'webdav-uri',
] as const;

/** Criteria names as of I-D-05. */
export const CANONICAL_CRITERIA = [
  'must-use-http-sig',
  'must-exchange-token',
  'must-invite',
  'denylist',
  'allowlist',
] as const;

export interface ResourceTypeDescriptor {
  readonly name: string;
  /** `user`, `group`, `federation`; empty when the document had none (ownCloud 10). */
  readonly shareTypes: readonly string[];
  /**
   * Protocol key → path/URI (`webdav: "/public.php/webdav/"`) or object (I-D-05
   * `webapp: {}`, `webdav-receive: {uri:"relative"}`), verbatim.
   */
  readonly protocols: Readonly<Record<string, string | JsonObject>>;
}

/** draft-cavage key (pre-1.2 `{id, publicKeyPem}`, 1.2.2+/Nextcloud `{keyId, publicKeyPem}`). */
export interface CavagePublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

/** 1.2.2+ `publicKeys[]` entry (RFC 9421 keys published in discovery). */
export interface DiscoveryPublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
  /** IANA name, e.g. `ed25519`. */
  readonly algorithm?: string;
}

export interface CanonicalDiscovery {
  readonly enabled: boolean;
  /** As advertised (`1.0-proposal1`, `1.1.0`, `1.2.2`…); never use it for feature detection. */
  readonly apiVersion: string;
  /** Nextcloud's non-spec "real" version. */
  readonly version?: string;
  readonly endPoint: string;
  readonly provider?: string;
  readonly resourceTypes: readonly ResourceTypeDescriptor[];
  /** Which key the resource list came under: ownCloud 10 says `shareTypes`. */
  readonly resourceTypesKey?: 'resourceTypes' | 'shareTypes';
  /** Normalised to CANONICAL_CAPABILITIES names where known; unknown ones kept (slash stripped). */
  readonly capabilities: readonly string[];
  /** The list exactly as advertised, when one was. */
  readonly capabilitiesRaw?: readonly string[];
  /** Normalised to CANONICAL_CRITERIA names where known. */
  readonly criteria: readonly string[];
  readonly criteriaRaw?: readonly string[];
  readonly publicKey?: CavagePublicKey;
  readonly publicKeys: readonly DiscoveryPublicKey[];
  /** Non-spec Nextcloud pointer to its JWKS; I-D-05 peers use `/.well-known/jwks.json`. */
  readonly jwksUri?: string;
  readonly tokenEndPoint?: string;
  readonly inviteAcceptDialog?: string;
  /** Top-level keys no dialect defines, verbatim. */
  readonly extra?: Readonly<Record<string, JsonValue>>;
}
