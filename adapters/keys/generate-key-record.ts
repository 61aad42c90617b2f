/**
 * Makes one new signing key: Ed25519 for RFC 9421, RSA-2048 for draft-cavage peers (Nextcloud
 * generates RSA 2048 too). The kid is the key's RFC 7638 JWK thumbprint, shortened: unique,
 * filename-safe, and checkable against the key itself.
 */
import { generateKeyPair as generateNodeKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { KeyRecord, KeyState } from '../../gateway/core/signatures/key-set.ts';
import type { KeyFamily } from '../../gateway/core/signatures/signing-key.ts';

const generate = promisify(generateNodeKeyPair);

/** 16 base64url characters of the thumbprint (96 bits): collisions are not a practical concern. */
export async function kidFor(publicKey: KeyObject): Promise<string> {
  return (await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256')).slice(0, 16);
}

export async function generateKeyRecord(
  family: KeyFamily,
  state: KeyState,
  now: number,
): Promise<KeyRecord> {
  const { privateKey, publicKey } =
    family === 'ed25519'
      ? await generate('ed25519')
      : await generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return { kid: await kidFor(publicKey), family, state, createdAt: now, privateKey, publicKey };
}
