/**
 * What verifying an incoming request's signature yields: never a throw, either the verified signer
 * or one typed reason a peer's admin can act on.
 */
import { GatewayError } from '../errors/gateway-error.ts';

export type SignatureScheme = 'rfc9421' | 'cavage';

export type VerificationFailureReason =
  /** No signature at all (or no `ocm`-labelled one): the caller's policy decides. */
  | 'missing'
  /** Unparsable header, missing parameter, unsupported component. */
  | 'malformed'
  /** Two signatures labelled `ocm` (I-D-05 Appendix B: reject the whole message). */
  | 'duplicate-label'
  /** The signature does not cover the components OCM requires. */
  | 'missing-components'
  | 'unsupported-algorithm'
  /** HMAC and other shared-secret algorithms are refused outright (I-D-05 Appendix B). */
  | 'symmetric-algorithm'
  /** The key resolved for `keyid` is of another type than the declared algorithm. */
  | 'key-algorithm-mismatch'
  | 'unknown-key'
  /** Looking the key up failed (peer unreachable): worth a retry, unlike `unknown-key`. */
  | 'key-unavailable'
  | 'bad-content-length'
  | 'bad-digest'
  /** One recognised digest algorithm matches the body while another does not (RFC 9530). */
  | 'digest-algorithm-mismatch'
  /** The cavage `host` header names another server than the one that received the request. */
  | 'wrong-host'
  | 'stale'
  | 'future'
  | 'bad-signature'
  /** The signature was already used once within its freshness window. */
  | 'replayed'
  /** The signer's host is not the host the body claims to come from. */
  | 'host-mismatch';

export interface VerificationFailure {
  readonly ok: false;
  readonly reason: VerificationFailureReason;
  /** Names the header or parameter and why; never contains key material or shared secrets. */
  readonly message: string;
  readonly scheme?: SignatureScheme;
  readonly keyId?: string;
}

export interface VerifiedSignature {
  readonly ok: true;
  readonly scheme: SignatureScheme;
  readonly keyId: string;
  /** Lower-case host[:port] the key id belongs to (`sender.example.org#key1` → `sender.example.org`). */
  readonly signerHost: string;
  /** Epoch seconds the signer claims (RFC 9421 `created`, else the cavage `Date`). */
  readonly createdAt: number;
  /** A short digest of the signature value, for replay detection: the same signature, the same key. */
  readonly replayKey: string;
}

export type VerificationResult = VerifiedSignature | VerificationFailure;

export function verificationFailure(
  reason: VerificationFailureReason,
  message: string,
  context: { scheme?: SignatureScheme; keyId?: string } = {},
): VerificationFailure {
  return { ok: false, reason, message, ...context };
}

/**
 * The error an HTTP responder renders: 503 when the key could not be fetched (the peer retries
 * later), 401 for everything else.
 */
export function verificationFailureToError(failure: VerificationFailure): GatewayError {
  const message = `Request signature refused (${failure.reason}): ${failure.message}`;
  if (failure.reason === 'key-unavailable') {
    return new GatewayError('UNAVAILABLE', message, { retryAfterSeconds: 30 });
  }
  return new GatewayError('UNAUTHENTICATED', message);
}
