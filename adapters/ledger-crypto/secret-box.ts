/**
 * Encryption at rest for ledger secrets (DESIGN §4): JWE compact, `dir` + `A256GCM`, with keys
 * derived by HKDF-SHA256 from the configured ledger key. Also the keyed hash (HMAC-SHA256) that
 * lets the ledger find a record by secret without storing the secret in clear.
 *
 * Key rotation: the box holds the current ledger key and any previous ones. It seals and indexes
 * with the current key only; it opens whatever any of its keys sealed (the JWE header's `kid`
 * names the key), and `indexes` gives a value's keyed hash under every key, current first, so
 * records written before a rotation are still found. The ledger's `rewrap` moves them to the
 * current key, after which the previous keys can be dropped.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';

const SALT = 'ocm-gateway/ledger';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function derive(secretKey: string, info: string, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretKey, SALT, info, length));
}

interface DerivedKey {
  readonly encryption: Uint8Array;
  readonly index: Uint8Array;
  /** Names the key in each JWE header, so that a rotation can tell old from new. */
  readonly kid: string;
}

function deriveAll(secretKey: string): DerivedKey {
  if (secretKey.length < 32) {
    throw new RangeError('the ledger secret key must be at least 32 characters');
  }
  return {
    encryption: derive(secretKey, 'jwe dir A256GCM v1', 32),
    index: derive(secretKey, 'index hmac-sha256 v1', 32),
    kid: Buffer.from(derive(secretKey, 'key id v1', 9)).toString('base64url'),
  };
}

export class SecretBox {
  readonly #current: DerivedKey;
  /** Every key, current first. */
  readonly #keys: readonly DerivedKey[];

  /**
   * `secretKey` is the configured ledger key, `previousKeys` the ones it replaced (each at least
   * 32 characters); a previous key equal to the current one is ignored.
   */
  constructor(secretKey: string, previousKeys: readonly string[] = []) {
    this.#current = deriveAll(secretKey);
    const previous = previousKeys
      .filter((key) => key !== secretKey)
      .map(deriveAll)
      .filter((key, i, all) => all.findIndex((other) => other.kid === key.kid) === i);
    this.#keys = [this.#current, ...previous];
  }

  /** Whether the box holds keys other than the current one (records may need a rewrap). */
  get rotating(): boolean {
    return this.#keys.length > 1;
  }

  seal(plaintext: string): Promise<string> {
    return new CompactEncrypt(encoder.encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: this.#current.kid })
      .encrypt(this.#current.encryption);
  }

  /** Whether `sealed` was sealed with the current key (a rewrap leaves it alone). */
  sealedWithCurrent(sealed: string): boolean {
    return kidOf(sealed) === this.#current.kid;
  }

  /** `sealed` sealed with the current key: itself when it already is, else opened and sealed again. */
  async reseal(sealed: string): Promise<string> {
    return this.sealedWithCurrent(sealed) ? sealed : this.seal(await this.open(sealed));
  }

  /** Rejects with INTERNAL (no detail to callers) if none of the box's keys sealed the value. */
  async open(sealed: string): Promise<string> {
    let failure: unknown;
    for (const key of this.#keysFor(sealed)) {
      try {
        const { plaintext } = await compactDecrypt(sealed, key.encryption, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        });
        return decoder.decode(plaintext);
      } catch (error) {
        failure = error;
      }
    }
    throw new GatewayError(
      'INTERNAL',
      'A ledger secret could not be decrypted: is the ledger key the one it was written with?',
      { cause: failure },
    );
  }

  /** The key the JWE header names, or every key; one key needs no header read (the usual case). */
  #keysFor(sealed: string): readonly DerivedKey[] {
    if (this.#keys.length === 1) return this.#keys;
    const kid = kidOf(sealed);
    const named = this.#keys.find((key) => key.kid === kid);
    return named === undefined ? this.#keys : [named];
  }

  /**
   * Keyed hash of `value` under the current key, for writes. `purpose` separates the index spaces
   * (share secrets, invite tokens), so equal values in two spaces do not hash alike.
   */
  index(purpose: string, value: string): string {
    return indexWith(this.#current, purpose, value);
  }

  /** The keyed hash of `value` under every key, current first: what lookups must try. */
  indexes(purpose: string, value: string): readonly string[] {
    return this.#keys.map((key) => indexWith(key, purpose, value));
  }
}

function indexWith(key: DerivedKey, purpose: string, value: string): string {
  return createHmac('sha256', key.index).update(`${purpose}\u0000${value}`).digest('hex');
}

function kidOf(sealed: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(sealed);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}
