/**
 * Which URLs discovery tries for a peer, in order (ocm-versions §2.1, legacy-protocols §2):
 * `/.well-known/ocm` at the origin root (RFC 8615), then below the installation's base path
 * `/ocm-provider`, `/ocm-provider/`, `/ocs-provider/`, `/status.php`. https first; plain http
 * only when the peer is allowed it.
 */
import type { PeerReference } from '../../gateway/ports/peer-discovery.ts';

export type DiscoveryStep =
  'well-known' | 'ocm-provider' | 'ocm-provider-slash' | 'ocs-provider' | 'status';

export const DISCOVERY_STEPS: readonly DiscoveryStep[] = [
  'well-known',
  'ocm-provider',
  'ocm-provider-slash',
  'ocs-provider',
  'status',
];

export const OCM_STEPS: ReadonlySet<DiscoveryStep> = new Set([
  'well-known',
  'ocm-provider',
  'ocm-provider-slash',
]);

const STEP_PATHS: Readonly<Record<DiscoveryStep, string>> = {
  'well-known': '/.well-known/ocm',
  'ocm-provider': '/ocm-provider',
  'ocm-provider-slash': '/ocm-provider/',
  'ocs-provider': '/ocs-provider/',
  status: '/status.php',
};

export interface SchemePlan {
  readonly scheme: 'https' | 'http';
  /** `scheme://host[:port]`. */
  readonly origin: string;
  /** Origin plus the installation sub-path, no trailing slash. */
  readonly baseUrl: string;
  readonly steps: readonly { readonly step: DiscoveryStep; readonly url: string }[];
}

/** Schemes in the order tried: an explicit https stays https; http only where allowed. */
export function discoverySchemes(
  peer: PeerReference,
  httpAllowed: boolean,
): readonly ('https' | 'http')[] {
  if (peer.scheme === 'http' && httpAllowed) return ['http'];
  if (peer.scheme === 'https' || !httpAllowed) return ['https'];
  return ['https', 'http'];
}

export function schemePlan(peer: PeerReference, scheme: 'https' | 'http'): SchemePlan {
  const origin = `${scheme}://${peer.port === undefined ? peer.host : `${peer.host}:${peer.port}`}`;
  const baseUrl = `${origin}${peer.path}`;
  return {
    scheme,
    origin,
    baseUrl,
    steps: DISCOVERY_STEPS.map((step) => ({
      step,
      url: step === 'well-known' ? `${origin}${STEP_PATHS[step]}` : `${baseUrl}${STEP_PATHS[step]}`,
    })),
  };
}
