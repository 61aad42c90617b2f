/**
 * Encryption at rest for ledger secrets (DESIGN §4): JWE compact, `dir` + `A256GCM`, with keys
 * derived by HKDF-SHA256 from the configured ledger key. Also the keyed hash (HMAC-SHA256) that
 * lets the ledger find a record by secret without storing the secret in clear.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';

const SALT = 'ocm-gateway/ledger';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function derive(secretKey: string, info: string, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretKey, SALT, info, length));
}

export class SecretBox {
  readonly #encryptionKey: Uint8Array;
  readonly #indexKey: Uint8Array;
  /** Names the key in each JWE header, so a later key rotation can tell old from new. */
  readonly #kid: string;

  /** `secretKey` is the configured ledger key, at least 32 characters. */
  constructor(secretKey: string) {
    if (secretKey.length < 32) {
      throw new RangeError('the ledger secret key must be at least 32 characters');
    }
    this.#encryptionKey = derive(secretKey, 'jwe dir A256GCM v1', 32);
    this.#indexKey = derive(secretKey, 'index hmac-sha256 v1', 32);
    this.#kid = Buffer.from(derive(secretKey, 'key id v1', 9)).toString('base64url');
  }

  seal(plaintext: string): Promise<string> {
    return new CompactEncrypt(encoder.encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: this.#kid })
      .encrypt(this.#encryptionKey);
  }

  /** Rejects with INTERNAL (no detail to callers) if the value was not sealed with this key. */
  async open(sealed: string): Promise<string> {
    try {
      const { plaintext } = await compactDecrypt(sealed, this.#encryptionKey, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      return decoder.decode(plaintext);
    } catch (error) {
      throw new GatewayError(
        'INTERNAL',
        'A ledger secret could not be decrypted: is the ledger key the one it was written with?',
        { cause: error },
      );
    }
  }

  /**
   * Keyed hash of `value` for lookups. `purpose` separates the index spaces (share secrets,
   * invite tokens), so equal values in two spaces do not hash alike.
   */
  index(purpose: string, value: string): string {
    return createHmac('sha256', this.#indexKey).update(`${purpose}\u0000${value}`).digest('hex');
  }
}
