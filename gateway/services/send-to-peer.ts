/**
 * Every POST the gateway makes to a peer on the backend's behalf (flows 2 and 4): checked for
 * internal addresses first (issue 9 item 5), signed in the peer's scheme (RFC 9421, draft-cavage
 * or none), then sent through the guarded peer client.
 */
import { GatewayError } from '../core/errors/gateway-error.ts';
import { findInternalAuthority } from '../core/outgoing/internal-leak.ts';
import { signingKeyFor } from '../core/signatures/key-publication.ts';
import type { KeySet } from '../core/signatures/key-set.ts';
import { signRequest, type OutgoingSignatureScheme } from '../core/signatures/sign-request.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerHttpClient, PeerJsonResponse } from '../ports/peer-http.ts';

export interface PeerSenderDeps {
  readonly client: PeerHttpClient;
  /** E.g. `(now) => keyStore.load(now)`. */
  readonly loadKeys: (now: number) => Promise<KeySet>;
  /** GATEWAY_PUBLIC_URL: key ids are built on it. */
  readonly publicUrl: string;
  readonly clock: Clock;
  /** `internalAuthorities([backendUrl, facadeBaseUrl, …], publicUrl)`: never sent to a peer. */
  readonly internalAuthorities: readonly string[];
  readonly logger: Logger;
}

export interface PeerPost {
  readonly url: string;
  readonly body: string;
  readonly contentType: string;
  readonly scheme: OutgoingSignatureScheme;
}

export interface PeerSender {
  /** Rejects with a GatewayError when the call itself fails; any HTTP status is a response. */
  post(post: PeerPost): Promise<PeerJsonResponse>;
}

export function createPeerSender(deps: PeerSenderDeps): PeerSender {
  return {
    async post(post) {
      const leaked =
        findInternalAuthority(post.url, deps.internalAuthorities) ??
        findInternalAuthority(post.body, deps.internalAuthorities);
      if (leaked !== undefined) {
        deps.logger.error('refused to send an internal address to a peer', {
          authority: leaked,
          target: new URL(post.url).host,
        });
        throw new GatewayError('INTERNAL', 'The message for the peer names an internal server.');
      }
      const body = Buffer.from(post.body, 'utf8');
      const headers: Record<string, string> = { 'Content-Type': post.contentType };
      const now = deps.clock();
      let signed: Record<string, string> = {};
      if (post.scheme !== 'unsigned') {
        const key = signingKeyFor(await deps.loadKeys(now), post.scheme, deps.publicUrl);
        signed = signRequest(
          post.scheme,
          key,
          { method: 'POST', targetUri: post.url, headers, body },
          now,
        );
      }
      return deps.client.request({
        method: 'POST',
        url: post.url,
        headers: { ...headers, ...signed, Accept: 'application/json' },
        body,
        expect: 'json',
        // A redirect would carry a signature made for another target.
        followRedirects: false,
      });
    },
  };
}
