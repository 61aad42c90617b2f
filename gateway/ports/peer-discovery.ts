/**
 * Discovery of a peer (`/.well-known/ocm`, `/ocm-provider[/]`, `/ocs-provider/`, `/status.php`)
 * and the normalised capabilities it yields; the value the capability cache keeps per peer.
 */
import type { ErrorCode } from '../core/errors/error-catalog.ts';
import type {
  CavagePublicKey,
  DiscoveryPublicKey,
  ResourceTypeDescriptor,
} from '../core/model/canonical-discovery.ts';
import type { DialectId } from '../core/model/dialect-id.ts';
import type { JsonObject } from '../core/model/json-value.ts';

/** A peer as the gateway addresses it, whatever form it was given in (address, cloud ID, URL). */
export interface PeerReference {
  /** Cache and lock key: `host[:port][/sub-path]`, host lower-case, no scheme. */
  readonly key: string;
  /** Lower-case host, IPv6 in brackets. */
  readonly host: string;
  readonly port: number | undefined;
  /** `''` or an installation sub-path such as `/nextcloud` (no trailing slash). */
  readonly path: string;
  /** The scheme the input named; undefined means https first, then http where allowed. */
  readonly scheme: 'https' | 'http' | undefined;
}

export interface PeerSigningKeys {
  /** draft-cavage `publicKey` (1.2.x, Nextcloud 31+). */
  readonly cavage?: CavagePublicKey;
  /** RFC 9421 keys listed in discovery (1.2.2+). */
  readonly publicKeys: readonly DiscoveryPublicKey[];
  /** Public JWKs from the peer's JWKS (I-D-05), private members never kept. */
  readonly jwks?: readonly JsonObject[];
  /** Where the JWKS was read. */
  readonly jwksUri?: string;
}

/** What a legacy (OCS) peer advertised; absent for OCM peers. */
export interface LegacyPeerDetails {
  /** createShare path below the base URL, e.g. `/ocs/v2.php/cloud/shares`. */
  readonly sharePath: string;
  readonly webdavPath: string;
  /** `pydio8` for Pydio's `/ocs/v2/shares`. */
  readonly variant?: string;
  /** From `/status.php`. */
  readonly product?: string;
  readonly version?: string;
}

export interface PeerCapabilities {
  /** The PeerReference key. */
  readonly peer: string;
  /** `scheme://host[:port][/path]` that answered. */
  readonly baseUrl: string;
  readonly family: 'ocm' | 'legacy';
  /** Dialects the documents show the peer speaks, oldest first. */
  readonly dialects: readonly DialectId[];
  /** As advertised; never used for feature detection. */
  readonly apiVersion?: string;
  /** Nextcloud's non-spec `version`, or status.php's version for legacy peers. */
  readonly version?: string;
  readonly provider?: string;
  /** Absolute: OCM `endPoint`, or the OCS createShare URL of a legacy peer. */
  readonly endPoint: string;
  /** The `file` resource's WebDAV protocol value as advertised, and resolved to an absolute URL. */
  readonly webdavPath?: string;
  readonly webdavUrl?: string;
  readonly resourceTypes: readonly ResourceTypeDescriptor[];
  /** Normalised (I-D-05 names); the raw lists when the peer sent one. */
  readonly capabilities: readonly string[];
  readonly criteria: readonly string[];
  readonly capabilitiesRaw?: readonly string[];
  readonly criteriaRaw?: readonly string[];
  readonly keys: PeerSigningKeys;
  readonly tokenEndPoint?: string;
  readonly inviteAcceptDialog?: string;
  readonly legacy?: LegacyPeerDetails;
  /** Which URL supplied each field (`endPoint`, `keys.jwks`, `legacy.version`, …). */
  readonly sources: Readonly<Record<string, string>>;
  /** Quirks met and tolerated, for the operator. */
  readonly warnings: readonly string[];
}

/** One URL tried during discovery and what came of it. */
export interface DiscoveryAttempt {
  readonly url: string;
  readonly outcome:
    'document' | 'http-error' | 'not-a-document' | 'disabled' | 'failed' | 'ignored';
  readonly status?: number;
  /** Short reason; never a body, header or token. */
  readonly detail?: string;
}

export type DiscoveryFailureReason =
  'refused' | 'unreachable' | 'timeout' | 'no-document' | 'disabled' | 'invalid-input';

export interface DiscoveryFailure {
  readonly reason: DiscoveryFailureReason;
  readonly code: ErrorCode;
  /** One line for logs and operators; names the peer, never secrets. */
  readonly message: string;
}

export type DiscoveryOutcome =
  | {
      readonly ok: true;
      readonly capabilities: PeerCapabilities;
      /** The peer's `Cache-Control: max-age` (0 for no-store / no-cache), undefined if none. */
      readonly maxAgeSeconds: number | undefined;
      readonly attempts: readonly DiscoveryAttempt[];
    }
  | {
      readonly ok: false;
      readonly failure: DiscoveryFailure;
      readonly attempts: readonly DiscoveryAttempt[];
    };

export interface PeerDiscovery {
  /** Never rejects: every failure is an outcome. */
  discover(peer: PeerReference, options?: { signal?: AbortSignal }): Promise<DiscoveryOutcome>;
}

export type CacheLookupResult = 'hit' | 'stale' | 'miss' | 'negative';
export type DiscoveryResultLabel = 'ocm' | 'legacy' | DiscoveryFailureReason;

/** Counted by the resolving service; implemented over prom-client by the composition root. */
export interface PeerDiscoveryMetrics {
  discovered(result: DiscoveryResultLabel, seconds: number): void;
  cacheLookup(result: CacheLookupResult): void;
}
