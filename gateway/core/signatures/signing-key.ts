/** A private key ready to sign with, and the key id peers look it up by. */
import type { KeyObject } from 'node:crypto';

/** `ed25519` signs RFC 9421 requests; `rsa` (2048 bits) signs draft-cavage requests. */
export type KeyFamily = 'ed25519' | 'rsa';

export interface SigningKey {
  /** As published: `host#kid` (RFC 9421, JWKS `kid`) or `https://host/ocm#signature` (cavage). */
  readonly keyId: string;
  readonly family: KeyFamily;
  readonly privateKey: KeyObject;
}
