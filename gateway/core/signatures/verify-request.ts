/**
 * One entry point for verifying an incoming request's signature: RFC 9421 when it carries
 * `Signature-Input`, draft-cavage when it carries a cavage `Signature` (or `Authorization:
 * Signature`), `missing` otherwise. Never throws; the policy (is unsigned acceptable from this
 * peer?) is the caller's.
 */
import { cavageSignatureText, verifyCavage } from './cavage-verifier.ts';
import { verifyRfc9421 } from './rfc9421-verifier.ts';
import { readHeader, type SignableRequest } from './signable-request.ts';
import type { VerifyOptions } from './verify-options.ts';
import { verificationFailure, type VerificationResult } from './verification-result.ts';

export async function verifyRequest(
  request: SignableRequest,
  options: VerifyOptions,
): Promise<VerificationResult> {
  try {
    if (readHeader(request.headers, 'signature-input') !== undefined) {
      return await verifyRfc9421(request, options);
    }
    const cavage = cavageSignatureText(request);
    if (cavage !== undefined) {
      // An RFC 9421 `Signature` (`label=:…:`) without its `Signature-Input` cannot be checked.
      if (/^\s*[a-z*][a-z0-9_.*-]*=:/.test(cavage)) {
        return verificationFailure('malformed', 'Signature without Signature-Input', {
          scheme: 'rfc9421',
        });
      }
      return await verifyCavage(request, options);
    }
    return verificationFailure('missing', 'the request is not signed');
  } catch {
    // Defence in depth: a verifier bug must read as a refusal, never as an accepted request.
    return verificationFailure('malformed', 'the signature could not be processed');
  }
}
