/** The state of one peer's discovery walk, shared by the OCM and legacy steps. */
import type {
  DiscoveryAttempt,
  DiscoveryFailure,
  DiscoveryOutcome,
  PeerReference,
} from '../../gateway/ports/peer-discovery.ts';
import type { PeerHttpClient, PeerJsonResponse } from '../../gateway/ports/peer-http.ts';
import { maxAgeSeconds } from './cache-control.ts';

export type Found = Extract<DiscoveryOutcome, { ok: true }>;

export interface Walk {
  readonly peer: PeerReference;
  readonly client: PeerHttpClient;
  readonly maxBytes: number;
  readonly signal: AbortSignal;
  readonly attempts: DiscoveryAttempt[];
  /** Attempts that ended in the per-call timeout (a slow peer, not an absent one). */
  timeouts: number;
}

/** How one scheme's walk ended. */
export type SchemeEnd =
  | { readonly kind: 'found'; readonly outcome: Found }
  | { readonly kind: 'fatal'; readonly failure: DiscoveryFailure }
  /** Nothing answered on this scheme: the next scheme may. */
  | { readonly kind: 'unreachable' }
  /** The peer answered on this scheme but gave no usable document. */
  | { readonly kind: 'exhausted'; readonly disabled: boolean; readonly maintenance: boolean };

/** The success outcome; the peer's max-age is taken from the document that decided. */
export function found(
  walk: Walk,
  capabilities: Found['capabilities'],
  res: PeerJsonResponse,
): Found {
  return {
    ok: true,
    capabilities,
    maxAgeSeconds: maxAgeSeconds(res.headers['cache-control']),
    attempts: walk.attempts,
  };
}
