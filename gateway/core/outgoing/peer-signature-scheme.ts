/**
 * How to sign what the gateway sends a peer (ocm-versions §9–§10, legacy-protocols §3.4):
 * RFC 9421 for peers that publish `http-sig` / `publicKeys[]` / a JWKS (1.2.2+, I-D-05),
 * draft-cavage for 1.2-era peers that publish a `publicKey`, nothing for legacy and ≤ 1.1 peers.
 * A peer that demands signatures (`must-use-http-sig`) is signed whatever else it says.
 */
import type { OutgoingSignatureScheme } from '../signatures/sign-request.ts';

/** The parts of a peer's capabilities the choice reads (PeerCapabilities has them all). */
export interface SigningPeer {
  readonly family: 'ocm' | 'legacy';
  readonly capabilities: readonly string[];
  readonly criteria: readonly string[];
  readonly keys: {
    readonly cavage?: unknown;
    readonly publicKeys: readonly unknown[];
    readonly jwks?: readonly unknown[];
  };
}

export function signatureSchemeFor(peer: SigningPeer, dialect: string): OutgoingSignatureScheme {
  if (peer.family === 'legacy') return 'unsigned';
  const rfc9421 =
    peer.capabilities.includes('http-sig') ||
    peer.keys.publicKeys.length > 0 ||
    (peer.keys.jwks?.length ?? 0) > 0;
  if (rfc9421) return 'rfc9421';
  if (peer.keys.cavage !== undefined) return 'cavage';
  if (peer.criteria.includes('must-use-http-sig')) {
    // Without any key published, the dialect says which scheme the peer can verify.
    return dialect === 'ocm-1.2' || dialect === 'ocm-proposal1' ? 'cavage' : 'rfc9421';
  }
  return 'unsigned';
}
