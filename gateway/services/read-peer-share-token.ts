/**
 * Access tokens for incoming shares (flow 3, ocm-versions §8): exchanged at the peer's token
 * endpoint in a signed request with `client_id` = our public host, cached in the short-lived
 * store (shared by replicas) under a hash of the share id until shortly before `expires_in`,
 * one exchange at a time per share in this process. Tokens and secrets are never logged.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../core/errors/gateway-error.ts';
import {
  tokenCacheTtlMs,
  type TokenExchangePlan,
} from '../core/peer-webdav/choose-share-access.ts';
import { isPeerOwnHost } from '../core/peer-webdav/share-location.ts';
import {
  buildTokenRequestBody,
  describeIssues,
  parseTokenResponse,
  tokenSignatureScheme,
} from '../core/peer-webdav/token-request.ts';
import type { KeySet } from '../core/signatures/key-set.ts';
import { signingKeyFor } from '../core/signatures/key-publication.ts';
import { signRequest } from '../core/signatures/sign-request.ts';
import type { Clock } from '../ports/clock.ts';
import type { ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerCapabilities } from '../ports/peer-discovery.ts';
import type { PeerHttpClient } from '../ports/peer-http.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';

export interface PeerShareTokenDeps {
  readonly client: PeerHttpClient;
  readonly store: ShortLivedStore;
  /** The gateway's current key set (rotation is picked up on the next exchange). */
  readonly keySet: () => KeySet | Promise<KeySet>;
  /** GATEWAY_PUBLIC_URL: its host is our `client_id`, and it names our keys. */
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ShareToken {
  readonly token: string;
  /** True when it came from the cache (a 401 then means: exchange again). */
  readonly cached: boolean;
}

/**
 * Why an exchange failed: `refused` (the peer answered 4xx or nonsense: the credentials are not
 * accepted) or `unavailable` (network, timeout, 5xx: try again later).
 */
export class TokenExchangeFailure extends Error {
  readonly kind: 'refused' | 'unavailable';
  readonly status: number | undefined;

  constructor(kind: 'refused' | 'unavailable', message: string, status?: number) {
    super(message);
    this.name = 'TokenExchangeFailure';
    this.kind = kind;
    this.status = status;
  }
}

function shareKeyHash(record: ShareRecord): string {
  return createHash('sha256').update(record.id).digest('base64url');
}

export class PeerShareTokens {
  readonly #deps: PeerShareTokenDeps;
  readonly #flights = new Map<string, Promise<string>>();

  constructor(deps: PeerShareTokenDeps) {
    this.#deps = deps;
  }

  static tokenKey(record: ShareRecord): string {
    return `peer-webdav:token:${shareKeyHash(record)}`;
  }

  static noExchangeKey(record: ShareRecord): string {
    return `peer-webdav:no-exchange:${shareKeyHash(record)}`;
  }

  /** The cached token, or a new exchange (single-flighted per share in this process). */
  async get(
    record: ShareRecord,
    plan: TokenExchangePlan,
    peer: PeerCapabilities,
  ): Promise<ShareToken> {
    const cached = await this.#read(PeerShareTokens.tokenKey(record));
    if (cached !== undefined) return { token: cached, cached: true };
    return { token: await this.exchange(record, plan, peer), cached: false };
  }

  async forget(record: ShareRecord): Promise<void> {
    await this.#deps.store.deleteToken(PeerShareTokens.tokenKey(record)).catch((error: unknown) => {
      this.#deps.logger.debug('could not drop a cached peer token', { shareId: record.id, error });
    });
  }

  exchange(record: ShareRecord, plan: TokenExchangePlan, peer: PeerCapabilities): Promise<string> {
    const running = this.#flights.get(record.id);
    if (running !== undefined) return running;
    const flight = this.#exchange(record, plan, peer).finally(() =>
      this.#flights.delete(record.id),
    );
    this.#flights.set(record.id, flight);
    return flight;
  }

  /** An optional exchange that failed is not retried on every request (5 minutes). */
  async optionalExchangeFailedRecently(record: ShareRecord): Promise<boolean> {
    return (await this.#read(PeerShareTokens.noExchangeKey(record))) !== undefined;
  }

  async rememberOptionalExchangeFailed(record: ShareRecord): Promise<void> {
    await this.#deps.store
      .setToken(PeerShareTokens.noExchangeKey(record), '1', 300_000)
      .catch(() => undefined);
  }

  async #read(key: string): Promise<string | undefined> {
    try {
      return await this.#deps.store.getToken(key);
    } catch (error) {
      // A store outage costs an exchange, not the request.
      this.#deps.logger.debug('short-lived store unavailable for peer tokens', { error });
      return undefined;
    }
  }

  async #exchange(
    record: ShareRecord,
    plan: TokenExchangePlan,
    peer: PeerCapabilities,
  ): Promise<string> {
    const deps = this.#deps;
    const url = asUrl(plan.url);
    if (url === undefined || !isPeerOwnHost(url, record.peerHost, [peer.baseUrl, peer.endPoint])) {
      throw new TokenExchangeFailure('refused', 'the token endpoint is not on the peer');
    }
    const code = plan.code === 'share-code' ? record.protocol?.code : record.sharedSecret;
    if (code === undefined) throw new TokenExchangeFailure('refused', 'the share has no code');
    const clientId = new URL(deps.publicUrl).host;
    const built = buildTokenRequestBody(plan.form, clientId, code);
    if (!built.ok) {
      throw new GatewayError(
        'INTERNAL',
        `token request not built: ${describeIssues(built.issues)}`,
      );
    }
    const { body, contentType } = built.value;
    const scheme = tokenSignatureScheme(plan.form, {
      hasRfc9421Keys: (peer.keys.jwks?.length ?? 0) > 0 || peer.keys.publicKeys.length > 0,
      hasCavageKey: peer.keys.cavage !== undefined,
      capabilities: peer.capabilities,
    });
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      Accept: 'application/json',
    };
    const bytes = Buffer.from(body, 'utf8');
    const now = deps.clock();
    const key =
      scheme === 'unsigned'
        ? undefined
        : signingKeyFor(await deps.keySet(), scheme, deps.publicUrl);
    const signed = signRequest(
      scheme,
      key,
      { method: 'POST', targetUri: url.href, headers, body: bytes },
      now,
    );
    let response;
    try {
      response = await deps.client.request({
        method: 'POST',
        url,
        headers: { ...headers, ...signed },
        body: bytes,
        expect: 'json',
        maxBytes: 64 * 1024,
        followRedirects: false,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'request failed';
      throw new TokenExchangeFailure('unavailable', `token endpoint unreachable: ${reason}`);
    }
    if (response.status >= 500 || response.status === 429) {
      throw new TokenExchangeFailure('unavailable', 'the token endpoint failed', response.status);
    }
    if (response.status !== 200) {
      throw new TokenExchangeFailure('refused', 'the token endpoint refused', response.status);
    }
    const parsed = parseTokenResponse(plan.form, response.json);
    if (!parsed.ok) {
      throw new TokenExchangeFailure(
        'refused',
        `the token answer is unusable: ${describeIssues(parsed.issues)}`,
        response.status,
      );
    }
    const ttl = tokenCacheTtlMs(parsed.value.expiresIn);
    if (ttl > 0) {
      await deps.store
        .setToken(PeerShareTokens.tokenKey(record), parsed.value.accessToken, ttl)
        .catch((error: unknown) => {
          deps.logger.debug('could not cache a peer token', { shareId: record.id, error });
        });
    }
    deps.logger.debug('peer token exchanged', {
      shareId: record.id,
      peerHost: record.peerHost,
      form: plan.form,
      signature: scheme,
      ttlMs: ttl,
    });
    return parsed.value.accessToken;
  }
}

function asUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
