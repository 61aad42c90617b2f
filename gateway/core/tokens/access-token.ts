/**
 * Access tokens handed out by the token endpoint (ocm-versions §8): JWTs (HS256, RFC 9068 `at+jwt`)
 * bound to one ledger share (`sub`) and one peer (`client_id`), for our public URL only (`aud`).
 * Time is an argument: nothing here reads a clock.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export interface AccessTokenClaims {
  /** Ledger record id of the share the token opens. */
  readonly shareId: string;
  /** Host of the peer it was issued to (the token request's `client_id`). */
  readonly clientId: string;
  /** Epoch seconds. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Unique per token (`jti`). */
  readonly tokenId: string;
}

export interface AccessTokenGrant {
  readonly shareId: string;
  readonly clientId: string;
  /** Epoch ms. */
  readonly now: number;
  readonly lifetimeSeconds: number;
  readonly tokenId: string;
}

export type AccessTokenCheck =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

const TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';

export function accessTokenClaims(grant: AccessTokenGrant): AccessTokenClaims {
  const issuedAt = Math.floor(grant.now / 1000);
  return {
    shareId: grant.shareId,
    clientId: grant.clientId,
    issuedAt,
    expiresAt: issuedAt + grant.lifetimeSeconds,
    tokenId: grant.tokenId,
  };
}

/** `audience` is our public URL; it is the issuer too. */
export async function signAccessToken(
  claims: AccessTokenClaims,
  key: Uint8Array,
  audience: string,
): Promise<string> {
  return new SignJWT({ client_id: claims.clientId })
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
    .setIssuer(audience)
    .setAudience(audience)
    .setSubject(claims.shareId)
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.expiresAt)
    .setJti(claims.tokenId)
    .sign(key);
}

/** Signature, algorithm, type, issuer, audience and expiry at `now` (epoch ms), no leeway. */
export async function verifyAccessToken(
  token: string,
  key: Uint8Array,
  options: { readonly audience: string; readonly now: number },
): Promise<AccessTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      typ: TOKEN_TYPE,
      issuer: options.audience,
      audience: options.audience,
      currentDate: new Date(options.now),
      requiredClaims: ['sub', 'jti', 'iat', 'exp', 'client_id'],
    });
    const { sub, jti, iat, exp, client_id: clientId } = payload;
    if (
      typeof sub !== 'string' ||
      typeof jti !== 'string' ||
      typeof clientId !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    ) {
      return { ok: false, reason: 'invalid' };
    }
    return {
      ok: true,
      claims: { shareId: sub, clientId, issuedAt: iat, expiresAt: exp, tokenId: jti },
    };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** Three base64url segments: worth a JWT check; anything else is a shared secret. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}
