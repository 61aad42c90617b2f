/** The canonical token exchange (pre-1.2 `<endPoint>/token` JSON; 1.2.2+/I-D-05 `tokenEndPoint` form, RFC 6749). */

/** `authorization_code` (1.2.2+) or `ocm_authorization_code` (pre-1.2), kept as sent. */
export type GrantType = 'authorization_code' | 'ocm_authorization_code' | (string & {});

export interface CanonicalTokenRequest {
  readonly grantType: GrantType;
  /** FQDN of the receiving server. */
  readonly clientId: string;
  /** pre-1.2: the share's `code`; 1.2.2+: the share's `sharedSecret`. */
  readonly code: string;
}

export interface CanonicalTokenResponse {
  readonly accessToken: string;
  /** `bearer` before 1.2, `Bearer` after; compare case-insensitively. */
  readonly tokenType: string;
  /** Seconds; RFC 6749 only recommends it, so old peers may leave it out. */
  readonly expiresIn?: number;
  /** pre-1.2 only; I-D-05 has no refresh token. */
  readonly refreshToken?: string;
}

export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** I-D-05 token endpoint error (RFC 6749 §5.2). */
export interface CanonicalOAuthError {
  readonly error: OAuthErrorCode | (string & {});
  readonly errorDescription?: string;
}
