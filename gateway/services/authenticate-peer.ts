/**
 * The PeerAuthenticator (issue 7 item 7): verifies an inbound federation request's RFC 9421 or
 * draft-cavage signature with the keys the signer's discovery publishes, binds the signer to the
 * host the body claims, refuses replays and applies the signature policy per peer.
 */
import type { KeyObject } from 'node:crypto';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { peerSettingsFor } from '../core/policy/peer-overrides.ts';
import type { PeerPolicy, SignatureMode } from '../core/policy/peer-policy.ts';
import { checkHostBinding } from '../core/signatures/claimed-host.ts';
import { keyFromDiscovery, keyFromJwks } from '../core/signatures/peer-public-key.ts';
import { ReplayGuard, type NonceStore } from '../core/signatures/replay-guard.ts';
import {
  verificationFailureToError,
  type SignatureScheme,
} from '../core/signatures/verification-result.ts';
import { verifyRequest } from '../core/signatures/verify-request.ts';
import type { Clock } from '../ports/clock.ts';
import type {
  IncomingSignedRequest,
  PeerAuthentication,
  PeerAuthenticator,
} from '../ports/peer-authenticator.ts';
import type { PeerCapabilities } from '../ports/peer-discovery.ts';
import { knownToSign, peerOfKeyId } from './authenticate-peer-keys.ts';

/** Structurally PeerCapabilitiesResolver.resolve: rejects with a GatewayError when unknowable. */
export interface PeerKeySource {
  resolve(peer: string): Promise<{ readonly capabilities: PeerCapabilities }>;
}

export interface AuthenticatePeerDeps {
  /** The peer resolver (capability cache + discovery): where published keys come from. */
  readonly resolver: PeerKeySource;
  /** The short-lived store, for replay nonces shared by all replicas. */
  readonly replayStore: NonceStore;
  /** Global `policy.signatures` and the per-peer `peers[].signatures` overrides. */
  readonly policy: PeerPolicy;
  /** `ocm.mustUseHttpSig`: every peer must sign, whatever the policy says. */
  readonly mustUseHttpSig?: boolean;
  readonly clock: Clock;
  /** How old a signature may be. Default 300 s. */
  readonly freshnessSeconds?: number;
}

export function createPeerAuthenticator(deps: AuthenticatePeerDeps): PeerAuthenticator {
  const freshness =
    deps.freshnessSeconds === undefined ? {} : { freshnessSeconds: deps.freshnessSeconds };
  const guard = new ReplayGuard(deps.replayStore, freshness);

  async function resolveKey(
    keyId: string,
    scheme: SignatureScheme,
  ): Promise<KeyObject | undefined> {
    const peer = peerOfKeyId(keyId);
    if (peer === undefined) return undefined;
    const { capabilities } = await deps.resolver.resolve(peer);
    const keys = capabilities.keys;
    if (scheme === 'cavage') return keyFromDiscovery({ publicKey: keys.cavage }, keyId, 'cavage');
    return (
      keyFromJwks({ keys: keys.jwks ?? [] }, keyId) ??
      keyFromDiscovery({ publicKeys: keys.publicKeys }, keyId, 'rfc9421')
    );
  }

  function modeFor(host: string | undefined): SignatureMode {
    if (deps.mustUseHttpSig === true) return 'require';
    return peerSettingsFor(host, deps.policy).signatures;
  }

  /**
   * 'prefer' keeps Nextcloud's stickiness: a peer whose discovery publishes signing keys (or
   * advertises http-sig) always signs, so an unsigned request claiming to come from it is forged.
   * When its discovery cannot be read we cannot know, and 'prefer' lets the request in.
   */
  async function unsignedAllowed(host: string | undefined): Promise<boolean> {
    if (host === undefined) return true;
    try {
      const { capabilities } = await deps.resolver.resolve(host);
      return !knownToSign(capabilities);
    } catch {
      return true;
    }
  }

  return {
    async authenticate(
      request: IncomingSignedRequest,
      claimedHost: string | undefined,
    ): Promise<PeerAuthentication> {
      const claimed = claimedHost === undefined ? undefined : canonicalHost(claimedHost);
      const mode = modeFor(claimed);
      if (mode === 'ignore') return { verified: false };
      const result = await verifyRequest(request, {
        now: deps.clock(),
        resolveKey,
        ...freshness,
      });
      if (!result.ok) {
        if (result.reason !== 'missing') throw verificationFailureToError(result);
        if (mode === 'require') {
          throw new GatewayError('UNAUTHENTICATED', 'This server requires signed requests.');
        }
        if (await unsignedAllowed(claimed)) return { verified: false };
        throw new GatewayError(
          'UNAUTHENTICATED',
          `${claimed ?? 'the peer'} publishes signing keys, so its requests must be signed.`,
        );
      }
      // Without a claimed host (notifications) the caller binds the signer to the share instead.
      if (claimed !== undefined) {
        const bound = checkHostBinding(result, { host: claimed, from: 'sender' });
        if (!bound.ok) {
          throw new GatewayError('FORBIDDEN', `Request signature refused: ${bound.message}`);
        }
      }
      const admitted = await guard.admit(result);
      if (!admitted.ok) throw verificationFailureToError(admitted);
      return {
        verified: true,
        host: result.signerHost,
        scheme: result.scheme,
        keyId: result.keyId,
      };
    },
  };
}

/** Lower-case host[:port] with the https default port dropped, as signer hosts are written. */
function canonicalHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith(':443') ? lower.slice(0, -4) : lower;
}
