/**
 * How the gateway authenticates to a peer's WebDAV for one incoming share: the I-D-05 decision
 * table (ocm-versions §8) plus the older forms (§5): legacy `options` shares use Basic with the
 * secret as user; 1.1+ shares `Bearer <secret>`; `must-exchange-token` (or a pre-1.2 `code`)
 * means only an exchanged token; otherwise an offered exchange is tried, falling back to the secret.
 */

export interface TokenExchangePlan {
  /** `json`: pre-1.2 `<endPoint>/token`, `ocm_authorization_code`; `form`: 1.2.2+/I-D-05. */
  readonly form: 'json' | 'form';
  readonly url: string;
  /** What goes in `code`: the shared secret (1.2.2+) or the share's pre-1.2 `code`. */
  readonly code: 'secret' | 'share-code';
}

export type ShareAccess =
  | { readonly kind: 'basic' }
  | { readonly kind: 'bearer-secret' }
  | {
      readonly kind: 'exchange';
      readonly exchange: TokenExchangePlan;
      /** `bearer-secret` only where the spec allows it (requirement absent, no `code`). */
      readonly fallback: 'none' | 'bearer-secret';
    }
  | { readonly kind: 'refuse'; readonly reason: string };

export interface ShareAccessInput {
  readonly style: 'legacy' | 'uri';
  /** Normalised requirement names of the share. */
  readonly requirements: readonly string[];
  readonly hasCode: boolean;
  /** A token endpoint recorded with the share (overrides discovery). */
  readonly recordTokenEndPoint: string | undefined;
  /** Normalised capability names from discovery. */
  readonly peerCapabilities: readonly string[];
  readonly peerTokenEndPoint: string | undefined;
  /** The peer's OCM `endPoint` (absolute). */
  readonly peerEndPoint: string;
  /** Operator switch: try an offered, optional exchange (default on). */
  readonly tryOptionalExchange: boolean;
}

export const MUST_EXCHANGE_TOKEN = 'must-exchange-token';

export function chooseShareAccess(input: ShareAccessInput): ShareAccess {
  if (input.hasCode) {
    const url = input.recordTokenEndPoint ?? `${input.peerEndPoint.replace(/\/+$/, '')}/token`;
    return {
      kind: 'exchange',
      exchange: { form: 'json', url, code: 'share-code' },
      fallback: 'none',
    };
  }
  const tokenEndPoint = input.recordTokenEndPoint ?? input.peerTokenEndPoint;
  if (input.requirements.includes(MUST_EXCHANGE_TOKEN)) {
    if (tokenEndPoint === undefined) {
      return {
        kind: 'refuse',
        reason: 'the share requires must-exchange-token but the peer advertises no tokenEndPoint',
      };
    }
    return {
      kind: 'exchange',
      exchange: { form: 'form', url: tokenEndPoint, code: 'secret' },
      fallback: 'none',
    };
  }
  if (input.style === 'legacy') return { kind: 'basic' };
  if (
    input.tryOptionalExchange &&
    tokenEndPoint !== undefined &&
    input.peerCapabilities.includes('exchange-token')
  ) {
    return {
      kind: 'exchange',
      exchange: { form: 'form', url: tokenEndPoint, code: 'secret' },
      fallback: 'bearer-secret',
    };
  }
  return { kind: 'bearer-secret' };
}

/**
 * How long an exchanged token is reused: until shortly before `expires_in` (10 % of its life,
 * between 1 s and 30 s early). No `expires_in` (allowed before 1.2): 5 minutes, and a 401
 * triggers a new exchange anyway. 0 means do not cache.
 */
export function tokenCacheTtlMs(expiresInSeconds: number | undefined): number {
  const lifetimeMs = (expiresInSeconds ?? 300) * 1000;
  const margin = Math.min(30_000, Math.max(1_000, lifetimeMs / 10));
  return Math.max(0, Math.floor(lifetimeMs - margin));
}
