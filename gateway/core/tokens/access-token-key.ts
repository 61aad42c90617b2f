/**
 * The key exchanged access tokens are signed with (DESIGN §4, ocm-versions §8): HKDF-SHA256 of the
 * ledger key, so every replica that can read the ledger can also verify any replica's tokens.
 */
import { hkdfSync } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.ts';

// A label of its own: the same ledger key also seals secrets at rest, and the two derived keys
// must never coincide.
const SALT = 'ocm-gateway access tokens';
const INFO = 'HS256 access-token key v1';

/** 32 bytes for HS256 (RFC 7518 §3.2: a key at least as long as the hash). */
export function deriveAccessTokenKey(ledgerKey: string): Uint8Array {
  if (ledgerKey.length < 32) {
    throw new GatewayError('INTERNAL', 'The ledger key is shorter than 32 characters.');
  }
  return new Uint8Array(hkdfSync('sha256', ledgerKey, SALT, INFO, 32));
}
