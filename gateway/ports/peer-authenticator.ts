/**
 * Who is calling: checks an incoming federation request's HTTP signature (RFC 9421 or draft-cavage)
 * against the caller's published keys, applies the signature policy (require / prefer / ignore,
 * globally and per peer, honouring peers known to sign) and the replay guard.
 */

export interface IncomingSignedRequest {
  readonly method: string;
  /** Absolute URI as the peer addressed it: GATEWAY_PUBLIC_URL + the original path and query. */
  readonly targetUri: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body bytes exactly as received (digests are computed over them). */
  readonly body: Uint8Array;
}

export type PeerAuthentication =
  | {
      readonly verified: true;
      /** Host of the key that signed (compared with the host the body claims). */
      readonly host: string;
      readonly scheme: 'rfc9421' | 'cavage';
      readonly keyId: string;
    }
  | {
      /** Unsigned, and the policy for this peer allows unsigned requests. */
      readonly verified: false;
    };

export interface PeerAuthenticator {
  /**
   * Resolves when policy lets the request in; rejects with a GatewayError (401 bad or missing
   * signature where required, 403 host mismatch, 503 + Retry-After when keys cannot be fetched).
   * `claimedHost` is the host the body names (sender/owner, client_id, recipientProvider), if any.
   */
  authenticate(
    request: IncomingSignedRequest,
    claimedHost: string | undefined,
  ): Promise<PeerAuthentication>;
}
