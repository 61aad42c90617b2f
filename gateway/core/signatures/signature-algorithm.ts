/**
 * Which signature algorithms a verifier accepts, and whether a resolved key fits the declared one.
 * Asymmetric only: a shared-secret MAC proves nothing to a third party (I-D-05 Appendix B).
 * Names are the RFC 9421 §6.2 registry plus the draft-cavage `rsa-sha256` / `rsa-sha512`.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import type { VerificationFailureReason } from './verification-result.ts';

const RFC9421_ALGORITHMS = [
  'ed25519',
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
] as const;
const CAVAGE_ALGORITHMS = ['rsa-sha256', 'rsa-sha512'] as const;

export type SignatureAlgorithm =
  (typeof RFC9421_ALGORITHMS)[number] | (typeof CAVAGE_ALGORITHMS)[number];

export type AlgorithmCheck =
  | { readonly ok: true; readonly algorithm: SignatureAlgorithm }
  | {
      readonly ok: false;
      readonly reason: Extract<
        VerificationFailureReason,
        'unsupported-algorithm' | 'symmetric-algorithm' | 'key-algorithm-mismatch'
      >;
      readonly message: string;
    };

/** Refuses MACs and unknown names before any key is fetched. */
export function checkAlgorithmName(
  scheme: 'rfc9421' | 'cavage',
  name: string | undefined,
): AlgorithmCheck | undefined {
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  if (lower.startsWith('hmac') || lower.startsWith('hs256') || lower === 'none') {
    return { ok: false, reason: 'symmetric-algorithm', message: `algorithm "${name}" is refused` };
  }
  const known: readonly string[] = scheme === 'rfc9421' ? RFC9421_ALGORITHMS : CAVAGE_ALGORITHMS;
  if (!known.includes(lower)) {
    return {
      ok: false,
      reason: 'unsupported-algorithm',
      message: `algorithm "${name}" is not supported (use ${known.join(', ')})`,
    };
  }
  return { ok: true, algorithm: lower as SignatureAlgorithm };
}

/** The algorithm to verify with: the declared one if the key fits it, else inferred from the key. */
export function algorithmForKey(
  scheme: 'rfc9421' | 'cavage',
  declared: string | undefined,
  key: KeyObject,
): AlgorithmCheck {
  if (key.type !== 'public') {
    return {
      ok: false,
      reason: key.type === 'secret' ? 'symmetric-algorithm' : 'key-algorithm-mismatch',
      message: 'the resolved key is not a public key',
    };
  }
  const byName = checkAlgorithmName(scheme, declared);
  if (byName !== undefined && !byName.ok) return byName;
  const algorithm = byName?.algorithm ?? inferred(key);
  if (algorithm === undefined) {
    return {
      ok: false,
      reason: 'unsupported-algorithm',
      message: 'no algorithm declared and none can be inferred from the key',
    };
  }
  if (!fits(algorithm, key)) {
    return {
      ok: false,
      reason: 'key-algorithm-mismatch',
      message: `the key for this key id is not a ${algorithm} key`,
    };
  }
  return { ok: true, algorithm };
}

export function verifySignatureBytes(
  algorithm: SignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    switch (algorithm) {
      case 'ed25519':
        return verify(null, data, key, signature);
      case 'ecdsa-p256-sha256':
        return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'ecdsa-p384-sha384':
        return verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'rsa-pss-sha512':
        return verify(
          'sha512',
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 },
          signature,
        );
      case 'rsa-v1_5-sha256':
      case 'rsa-sha256':
        return verify('sha256', data, key, signature);
      case 'rsa-sha512':
        return verify('sha512', data, key, signature);
    }
  } catch {
    return false;
  }
}

function inferred(key: KeyObject): SignatureAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ecdsa-p256-sha256';
    if (curve === 'secp384r1') return 'ecdsa-p384-sha384';
  }
  // RSA alone is ambiguous (PSS or v1.5, which hash): the signer must say.
  return undefined;
}

function fits(algorithm: SignatureAlgorithm, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  switch (algorithm) {
    case 'ed25519':
      return type === 'ed25519';
    case 'ecdsa-p256-sha256':
      return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'ecdsa-p384-sha384':
      return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
    case 'rsa-pss-sha512':
      return type === 'rsa' || type === 'rsa-pss';
    case 'rsa-v1_5-sha256':
    case 'rsa-sha256':
    case 'rsa-sha512':
      return type === 'rsa';
  }
}
