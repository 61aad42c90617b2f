/**
 * How the gateway's keys are named and published: RFC 9421 key ids `host#kid` with the JWKS at
 * `/.well-known/jwks.json` (I-D-05 Appendix B), discovery `publicKeys[]` (OCM 1.2.2+ spec.yaml) and
 * the cavage `publicKey` `{keyId, publicKeyPem}` with keyId `https://host/ocm#signature`
 * (Nextcloud 31+). Only public members are ever copied out of a key.
 */
import { GatewayError } from '../errors/gateway-error.ts';
import { activeKey, publishedKeys, type KeyRecord, type KeySet } from './key-set.ts';
import type { SigningKey } from './signing-key.ts';

export interface PublicJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly n?: string;
  readonly e?: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: 'sig';
}

export interface Jwks {
  readonly keys: readonly PublicJwk[];
}

export interface DiscoveryKeyFields {
  /** OCM 1.2.2+: every published RFC 9421 key. */
  readonly publicKeys: readonly { keyId: string; publicKeyPem: string; algorithm: string }[];
  /** OCM 1.2.x / Nextcloud: the one cavage key (only one can be advertised). */
  readonly publicKey?: { readonly keyId: string; readonly publicKeyPem: string };
}

export function rfc9421KeyId(publicUrl: string, kid: string): string {
  return `${parsePublicUrl(publicUrl).host}#${kid}`;
}

/** Nextcloud's form, including a sub-path install: `https://host/nextcloud/ocm#signature`. */
export function cavageKeyId(publicUrl: string): string {
  const url = parsePublicUrl(publicUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/ocm#signature`;
}

export function buildJwks(set: KeySet, publicUrl: string, now: number): Jwks {
  return {
    keys: publishedKeys(set, 'ed25519', now).map((key) => ({
      ...publicMembers(key),
      kid: rfc9421KeyId(publicUrl, key.kid),
      alg: 'EdDSA',
      use: 'sig',
    })),
  };
}

export function discoveryKeyFields(
  set: KeySet,
  publicUrl: string,
  now: number,
): DiscoveryKeyFields {
  const publicKeys = publishedKeys(set, 'ed25519', now).map((key) => ({
    keyId: rfc9421KeyId(publicUrl, key.kid),
    publicKeyPem: publicPem(key),
    algorithm: 'ed25519',
  }));
  const rsa = activeKey(set, 'rsa');
  if (rsa === undefined) return { publicKeys };
  return { publicKeys, publicKey: { keyId: cavageKeyId(publicUrl), publicKeyPem: publicPem(rsa) } };
}

/** The key to sign with in a scheme, with the key id peers will look it up by. */
export function signingKeyFor(
  set: KeySet,
  scheme: 'rfc9421' | 'cavage',
  publicUrl: string,
): SigningKey | undefined {
  const key = activeKey(set, scheme === 'rfc9421' ? 'ed25519' : 'rsa');
  if (key === undefined) return undefined;
  const keyId = scheme === 'rfc9421' ? rfc9421KeyId(publicUrl, key.kid) : cavageKeyId(publicUrl);
  return { keyId, family: key.family, privateKey: key.privateKey };
}

function publicMembers(key: KeyRecord): Pick<PublicJwk, 'kty' | 'crv' | 'x' | 'n' | 'e'> {
  // Export from the public half only, then copy an allow-list: no private member can slip through.
  const jwk = key.publicKey.export({ format: 'jwk' });
  const kty = jwk.kty ?? '';
  if (kty === 'OKP') return { kty, crv: jwk.crv ?? '', x: jwk.x ?? '' };
  if (kty === 'RSA') return { kty, n: jwk.n ?? '', e: jwk.e ?? '' };
  throw new GatewayError('INTERNAL', `Cannot publish a ${kty} key.`);
}

function publicPem(key: KeyRecord): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function parsePublicUrl(publicUrl: string): URL {
  try {
    return new URL(publicUrl);
  } catch (cause) {
    throw new GatewayError('INTERNAL', 'The public URL is not an absolute URL.', { cause });
  }
}
