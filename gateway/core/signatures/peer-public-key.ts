/**
 * Turns what a peer publishes into a verification key, for the `resolveKey` callback: a JWKS
 * (`/.well-known/jwks.json`, I-D-05), discovery `publicKeys[]` (OCM 1.2.2+) or the cavage
 * `publicKey` (OCM 1.2.x, Nextcloud). Only public asymmetric keys come out: a published JWK
 * carrying private members or a shared secret (`oct`) is ignored, never used.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SignatureScheme } from './verification-result.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

export function publicKeyFromJwk(jwk: unknown): KeyObject | undefined {
  if (!isRecord(jwk) || typeof jwk.kty !== 'string' || jwk.kty === 'oct') return undefined;
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) return undefined;
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export function publicKeyFromPem(pem: unknown): KeyObject | undefined {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN PUBLIC KEY-----')) return undefined;
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}

/** The key whose `kid` is exactly the signature's keyid (I-D-05 Appendix B step 4). */
export function keyFromJwks(jwks: unknown, keyId: string): KeyObject | undefined {
  if (!isRecord(jwks) || !Array.isArray(jwks.keys)) return undefined;
  const match = (jwks.keys as unknown[]).filter((jwk) => isRecord(jwk) && jwk.kid === keyId);
  // Two keys under one kid: which one signed is ambiguous, so neither is trusted.
  return match.length === 1 ? publicKeyFromJwk(match[0]) : undefined;
}

/**
 * The key a discovery document publishes for `keyId`: `publicKeys[]` for RFC 9421, `publicKey`
 * (`keyId`, or `id` in the pre-1.2 text) for cavage. The caller must have fetched the document
 * from the key id's own host (the spec ties the key id host to the discovery host).
 */
export function keyFromDiscovery(
  discovery: unknown,
  keyId: string,
  scheme: SignatureScheme,
): KeyObject | undefined {
  if (!isRecord(discovery)) return undefined;
  if (scheme === 'rfc9421') {
    const list = Array.isArray(discovery.publicKeys) ? (discovery.publicKeys as unknown[]) : [];
    const match = list.filter((entry) => isRecord(entry) && entry.keyId === keyId);
    return match.length === 1 && isRecord(match[0])
      ? publicKeyFromPem(match[0].publicKeyPem)
      : undefined;
  }
  const single = discovery.publicKey;
  if (!isRecord(single) || (single.keyId ?? single.id) !== keyId) return undefined;
  return publicKeyFromPem(single.publicKeyPem);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
