/**
 * Token exchange (DESIGN §3 flow 6, ocm-versions §8): a peer trades the `sharedSecret` of a share
 * the backend gave it for a short-lived access token. Serves the pre-1.2 JSON form
 * (`ocm_authorization_code`, answered `token_type: "bearer"`) and the 1.2.2+/I-D-05 form-encoded
 * one (`authorization_code`, answered `"Bearer"`), with RFC 6749 §5.2 errors for both.
 */
import { randomUUID } from 'node:crypto';
import { codecFor } from '../core/dialects/dialect-registry.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { OAuthErrorCode } from '../core/model/canonical-token.ts';
import type { JsonObject } from '../core/model/json-value.ts';
import { claimedHostFor } from '../core/signatures/claimed-host.ts';
import { accessTokenClaims, signAccessToken } from '../core/tokens/access-token.ts';
import { isSharePeer, usableShareFor } from '../core/tokens/usable-share.ts';
import type { Clock } from '../ports/clock.ts';
import type { ShareLedger } from '../ports/ledger.ts';
import type { IncomingSignedRequest, PeerAuthenticator } from '../ports/peer-authenticator.ts';

export interface TokenExchangeDeps {
  readonly shares: Pick<ShareLedger, 'findBySecret'>;
  readonly authenticator: PeerAuthenticator;
  /** `deriveAccessTokenKey(ledgerKey)`. */
  readonly tokenKey: Uint8Array;
  /** Our public URL: issuer and audience of every token. */
  readonly audience: string;
  /** `ocm.accessTokenSeconds`. */
  readonly lifetimeSeconds: number;
  readonly clock: Clock;
  /** Default: a random UUID. */
  readonly newTokenId?: () => string;
}

/** `json`: pre-1.2 `<endPoint>/token`; `form`: 1.2.2+ `tokenEndPoint`; undefined: neither type. */
export type TokenRequestForm = 'json' | 'form';

export interface TokenExchangeRequest {
  readonly form: TokenRequestForm | undefined;
  /** The body as received, decoded as UTF-8. */
  readonly text: string;
  /** For the caller's signature (its `body` is the same bytes). */
  readonly signed: IncomingSignedRequest;
}

export type TokenExchangeOutcome =
  | { readonly ok: true; readonly body: JsonObject }
  | {
      readonly ok: false;
      readonly status: 400 | 401 | 503;
      readonly error: OAuthErrorCode | 'temporarily_unavailable';
      readonly description: string;
      readonly retryAfterSeconds?: number;
    };

const GRANT_TYPES: ReadonlySet<string> = new Set(['authorization_code', 'ocm_authorization_code']);
const SINGLE_PARAMETERS = ['grant_type', 'client_id', 'code'] as const;

function refuse(
  error: OAuthErrorCode,
  description: string,
): Extract<TokenExchangeOutcome, { ok: false }> {
  return { ok: false, status: error === 'invalid_client' ? 401 : 400, error, description };
}

export function createTokenExchange(
  deps: TokenExchangeDeps,
): (request: TokenExchangeRequest) => Promise<TokenExchangeOutcome> {
  const newTokenId = deps.newTokenId ?? randomUUID;
  return async (request) => {
    const decoded = decodeBody(request);
    if (!decoded.ok) return refuse('invalid_request', decoded.description);
    const grantType = decoded.body.grant_type;
    if (typeof grantType !== 'string' || grantType === '') {
      return refuse('invalid_request', 'grant_type is required');
    }
    if (!GRANT_TYPES.has(grantType)) {
      return refuse('unsupported_grant_type', 'grant_type must be authorization_code');
    }
    // Both forms carry the same three fields; the codec of each form names what is wrong.
    const codec = codecFor(request.form === 'form' ? 'ocm-1.3' : 'ocm-1.2');
    const parsed = codec?.tokenRequest?.parse(decoded.body);
    if (parsed === undefined || !parsed.ok) {
      const issues = parsed?.ok === false ? parsed.issues : [];
      return refuse('invalid_request', issues.map((i) => `${i.field} ${i.message}`).join('; '));
    }
    const claimed = claimedHostFor('token', { client_id: parsed.value.clientId }, undefined);
    if (claimed === undefined) {
      return refuse('invalid_request', "client_id must be the receiving server's host name");
    }

    try {
      const auth = await deps.authenticator.authenticate(request.signed, claimed.host);
      if (auth.verified && auth.host.toLowerCase() !== claimed.host) {
        return refuse('invalid_client', 'the request is signed by another server than client_id');
      }
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      if (error.code === 'UNAUTHENTICATED') {
        return refuse('invalid_client', 'the request signature is missing or not valid');
      }
      if (error.code === 'FORBIDDEN') {
        return refuse('unauthorized_client', 'this server may not exchange tokens here');
      }
      if (error.code === 'UNAVAILABLE') {
        return {
          ok: false,
          status: 503,
          error: 'temporarily_unavailable',
          description: "the caller's keys cannot be checked right now",
          retryAfterSeconds: error.retryAfterSeconds ?? 30,
        };
      }
      throw error;
    }

    const record = usableShareFor(await deps.shares.findBySecret(parsed.value.code));
    if (record === undefined) {
      return refuse('invalid_grant', 'the code is unknown or its share has ended');
    }
    // RFC 6749 §10.5: a code is bound to the client it was issued to.
    if (!isSharePeer(record, claimed.host)) {
      return refuse('invalid_grant', 'the code was issued to another server');
    }

    const now = deps.clock();
    const claims = accessTokenClaims({
      shareId: record.id,
      clientId: claimed.host,
      now,
      lifetimeSeconds: deps.lifetimeSeconds,
      tokenId: newTokenId(),
    });
    const accessToken = await signAccessToken(claims, deps.tokenKey, deps.audience);
    const written = codec?.tokenResponse?.serialise({
      accessToken,
      tokenType: request.form === 'form' ? 'Bearer' : 'bearer',
      expiresIn: deps.lifetimeSeconds,
    });
    if (written === undefined || !written.ok) {
      throw new GatewayError('INTERNAL', 'Cannot write the token response.');
    }
    return { ok: true, body: written.value as JsonObject };
  };
}

type Decoded =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly description: string };

function decodeBody(request: TokenExchangeRequest): Decoded {
  if (request.form === undefined) {
    return {
      ok: false,
      description: 'Content-Type must be application/x-www-form-urlencoded or application/json',
    };
  }
  if (request.form === 'form') {
    const params = new URLSearchParams(request.text);
    // RFC 6749 §3.2: parameters MUST NOT be included more than once.
    for (const name of SINGLE_PARAMETERS) {
      if (params.getAll(name).length > 1) {
        return { ok: false, description: `${name} is given more than once` };
      }
    }
    return { ok: true, body: Object.fromEntries(params) };
  }
  let value: unknown;
  try {
    value = JSON.parse(request.text);
  } catch {
    return { ok: false, description: 'the body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, description: 'the body must be a JSON object' };
  }
  return { ok: true, body: value as Record<string, unknown> };
}
