/** What the parts of a simulated OCM peer share: traits, state, keys, outgoing client, options. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { OutgoingClient } from '../common/outgoing-http.ts';
import type { OcmPeerTraits, OcmVersion } from './ocm-peer-versions.ts';
import type { OcmPeerState } from './ocm-peer-state.ts';

export interface OcmPeerOptions {
  version: OcmVersion;
  /** Advertised criteria, e.g. ['must-use-http-sig', 'must-exchange-token'] (1.3) or
   * ['http-request-signatures'] (1.2). They also switch the matching strictness on. */
  criteria?: string[];
  /** Replaces the version's default capabilities. */
  capabilities?: string[];
  users?: Record<string, string>;
  /** Scheme order when looking a remote host up (default ['https', 'http']). */
  schemes?: string[];
  proxy?: string;
  ca?: string | string[];
  timeoutMs?: number;
  /** The origin the peer claims (scheme://host:port, no path); defaults to its loopback origin. */
  publicUrl?: string;
  /** Signature algorithm for 1.2 peers: spec rsa-sha256 (default) or Nextcloud 31's rsa-sha512. */
  cavageAlgorithm?: 'rsa-sha256' | 'rsa-sha512';
  /** 1.3 signing key type: ed25519 (default) or ecdsa-p256-sha256. */
  keyType?: 'ed25519' | 'ecdsa-p256-sha256';
  /** Signature freshness window in seconds (default 300). */
  signatureMaxAgeSeconds?: number;
  /** Refuse a signature value seen before within the freshness window. */
  rejectReplays?: boolean;
  /** Clock in ms (default Date.now), for freshness checks and signing. */
  clock?: () => number;
  /** Lifetime of exchanged access tokens (default 300 s). */
  tokenTtlSeconds?: number;
}

export interface OwnKeys {
  /** 1.2: RSA key published as discovery `publicKey`. */
  cavage?: { keyId: string; privateKey: KeyObject; publicKeyPem: string };
  /** 1.3: key published in /.well-known/jwks.json. */
  jwk?: { kid: string; privateKey: KeyObject; publicJwk: Record<string, unknown> };
}

export interface OcmPeerContext {
  traits: OcmPeerTraits;
  state: OcmPeerState;
  client: OutgoingClient;
  options: OcmPeerOptions;
  keys: OwnKeys;
  /** scheme://host:port without trailing slash. */
  origin(): string;
  /** host:port, the FQDN part of this peer's OCM addresses. */
  host(): string;
  endPoint(): string;
  now(): number;
  criteria(): string[];
  capabilities(): string[];
  /** Signature values already seen (replay protection), value → expiry ms. */
  seenSignatures: Map<string, number>;
  /** Remote public keys by keyId / kid. */
  keyCache: Map<string, KeyObject>;
}

export function makeOwnKeys(
  traits: OcmPeerTraits,
  origin: string,
  host: string,
  keyType: OcmPeerOptions['keyType'],
): OwnKeys {
  if (traits.signing === 'cavage') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      cavage: {
        keyId: `${origin}/ocm#signature`,
        privateKey,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    };
  }
  if (traits.signing === 'rfc9421') {
    const pair =
      keyType === 'ecdsa-p256-sha256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
    const kid = `${host}#key1`;
    const jwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    return { jwk: { kid, privateKey: pair.privateKey, publicJwk: { ...jwk, kid } } };
  }
  return {};
}

/** Does this peer insist on signed requests? */
export function requiresSignatures(ctx: OcmPeerContext): boolean {
  const c = ctx.criteria();
  return c.includes('must-use-http-sig') || c.includes('http-request-signatures');
}
