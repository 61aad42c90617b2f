/**
 * One entry point for signing an outgoing OCM request in whatever scheme the peer understands:
 * RFC 9421 (OCM 1.2.2+ / I-D-05, `http-sig`), draft-cavage (OCM 1.2.x, Nextcloud 31+), or none
 * for peers that know neither (legacy OCS, OCM ≤ 1.1).
 */
import { GatewayError } from '../errors/gateway-error.ts';
import { signCavage, type CavageSigningOptions } from './cavage-signer.ts';
import { signRfc9421 } from './rfc9421-signer.ts';
import type { SignableRequest } from './signable-request.ts';
import type { SigningKey } from './signing-key.ts';

export type OutgoingSignatureScheme = 'rfc9421' | 'cavage' | 'unsigned';

export interface SignRequestOptions {
  readonly cavage?: CavageSigningOptions;
}

/**
 * The headers to add to (and replace on) the request before sending it with exactly this method,
 * URI and body. `now` is epoch milliseconds. Throws a GatewayError only for a programming error
 * (missing key, key of the wrong family), never because of peer input.
 */
export function signRequest(
  scheme: OutgoingSignatureScheme,
  key: SigningKey | undefined,
  request: SignableRequest,
  now: number,
  options: SignRequestOptions = {},
): Record<string, string> {
  if (scheme === 'unsigned') return {};
  if (key === undefined) {
    throw new GatewayError('INTERNAL', `No signing key is available for ${scheme} signatures.`);
  }
  return scheme === 'rfc9421'
    ? signRfc9421(key, request, now)
    : signCavage(key, request, now, options.cavage);
}
