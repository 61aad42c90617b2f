/** A PeerAuthenticator whose verdict the test sets; records what it was asked. */
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import type {
  IncomingSignedRequest,
  PeerAuthentication,
  PeerAuthenticator,
} from '../../../gateway/ports/peer-authenticator.ts';

export type FakeVerdict =
  /** A valid signature from the host the body claims. */
  | { readonly kind: 'signed-as-claimed' }
  /** A valid signature from this host, whatever the body claims. */
  | { readonly kind: 'signed-by'; readonly host: string }
  /** Unsigned, and policy lets it in. */
  | { readonly kind: 'unsigned' }
  | {
      readonly kind: 'throw';
      readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNAVAILABLE';
    };

export class FakePeerAuthenticator implements PeerAuthenticator {
  verdict: FakeVerdict = { kind: 'signed-as-claimed' };
  readonly calls: { request: IncomingSignedRequest; claimedHost: string | undefined }[] = [];

  authenticate(
    request: IncomingSignedRequest,
    claimedHost: string | undefined,
  ): Promise<PeerAuthentication> {
    this.calls.push({ request, claimedHost });
    const verdict = this.verdict;
    switch (verdict.kind) {
      case 'signed-as-claimed':
        return Promise.resolve({
          verified: true,
          host: claimedHost ?? '',
          scheme: 'rfc9421',
          keyId: `${claimedHost ?? ''}#key1`,
        });
      case 'signed-by':
        return Promise.resolve({
          verified: true,
          host: verdict.host,
          scheme: 'rfc9421',
          keyId: `${verdict.host}#key1`,
        });
      case 'unsigned':
        return Promise.resolve({ verified: false });
      case 'throw':
        return Promise.reject(
          new GatewayError(verdict.code, 'fake authenticator refused', {
            ...(verdict.code === 'UNAVAILABLE' && { retryAfterSeconds: 7 }),
          }),
        );
    }
  }
}
