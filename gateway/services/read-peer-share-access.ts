/**
 * Sends one WebDAV request to a peer with the credentials its share demands (ocm-versions §5, §8,
 * §13 item 12): legacy Basic (secret as user, empty password; on 401 the v1.0 form secret:secret,
 * and the one that worked is remembered), `Bearer <secret>`, or an exchanged token (cached;
 * exchanged again after a 401 on a cached token; the secret as fallback only where allowed).
 * A request is sent twice only when its body is in memory.
 */
import { createHash } from 'node:crypto';
import { writePublicWebdavAuth } from '../core/dialects/ocs-common/public-webdav-auth.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { ShareAccess } from '../core/peer-webdav/choose-share-access.ts';
import type { ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerCapabilities } from '../ports/peer-discovery.ts';
import type { PeerStreamResponse } from '../ports/peer-http.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';
import { TokenExchangeFailure, type PeerShareTokens } from './read-peer-share-token.ts';

/** Sends the prepared request with this Authorization value. */
export type SendToPeer = (authorization: string) => Promise<PeerStreamResponse>;

export interface AccessContext {
  readonly record: ShareRecord;
  readonly access: Exclude<ShareAccess, { kind: 'refuse' }>;
  readonly peer: PeerCapabilities;
  /** The body can be sent again (none, or held in memory). */
  readonly replayable: boolean;
  readonly send: SendToPeer;
}

export interface AccessDeps {
  readonly tokens: PeerShareTokens;
  readonly store: ShortLivedStore;
  readonly logger: Logger;
}

type BasicVariant = 'empty' | 'same';

/** Remembered for a day: the variant is a property of the peer's software, not of the moment. */
const BASIC_VARIANT_TTL_MS = 86_400_000;

function basicVariantKey(record: ShareRecord): string {
  return `peer-webdav:basic:${createHash('sha256').update(record.id).digest('base64url')}`;
}

function discard(response: PeerStreamResponse): void {
  response.body.resume();
}

export function exchangeFailureError(failure: TokenExchangeFailure): GatewayError {
  return failure.kind === 'refused'
    ? new GatewayError('UNAUTHENTICATED', 'The peer did not grant an access token for this share.')
    : new GatewayError('UNAVAILABLE', 'The peer token endpoint is unavailable; retry later.', {
        retryAfterSeconds: 30,
      });
}

export async function sendWithShareAccess(
  deps: AccessDeps,
  context: AccessContext,
): Promise<PeerStreamResponse> {
  const { access, record } = context;
  switch (access.kind) {
    case 'basic':
      return sendBasic(deps, context);
    case 'bearer-secret':
      return context.send(`Bearer ${record.sharedSecret}`);
    case 'exchange':
      return sendExchanged(deps, context, access);
  }
}

async function sendBasic(deps: AccessDeps, context: AccessContext): Promise<PeerStreamResponse> {
  const { record } = context;
  const key = basicVariantKey(record);
  const remembered = await deps.store.getToken(key).catch(() => undefined);
  const order: BasicVariant[] = remembered === 'same' ? ['same', 'empty'] : ['empty', 'same'];
  const header = (variant: BasicVariant): string =>
    writePublicWebdavAuth({
      token: record.sharedSecret,
      password: variant === 'same' ? record.sharedSecret : '',
    });
  const [first = 'empty', second = 'same'] = order;
  const response = await context.send(header(first));
  if (response.status !== 401 || !context.replayable) return response;
  discard(response);
  const retried = await context.send(header(second));
  if (retried.status !== 401) {
    await deps.store.setToken(key, second, BASIC_VARIANT_TTL_MS).catch(() => undefined);
    deps.logger.debug('peer accepted the other Basic form', { shareId: record.id, form: second });
  }
  return retried;
}

async function sendExchanged(
  deps: AccessDeps,
  context: AccessContext,
  access: Extract<ShareAccess, { kind: 'exchange' }>,
): Promise<PeerStreamResponse> {
  const { record, peer } = context;
  const mayFallBack = access.fallback === 'bearer-secret';
  const withSecret = (): Promise<PeerStreamResponse> =>
    context.send(`Bearer ${record.sharedSecret}`);
  if (mayFallBack && (await deps.tokens.optionalExchangeFailedRecently(record))) {
    return withSecret();
  }
  const onFailure = async (error: unknown): Promise<PeerStreamResponse> => {
    if (!(error instanceof TokenExchangeFailure)) throw error;
    deps.logger.warn('token exchange with the peer failed', {
      shareId: record.id,
      peerHost: record.peerHost,
      reason: error.message,
      status: error.status,
      fallback: mayFallBack ? 'secret' : 'none',
    });
    if (!mayFallBack) throw exchangeFailureError(error);
    await deps.tokens.rememberOptionalExchangeFailed(record);
    return withSecret();
  };
  let token;
  try {
    token = await deps.tokens.get(record, access.exchange, peer);
  } catch (error) {
    return onFailure(error);
  }
  const response = await context.send(`Bearer ${token.token}`);
  if (response.status !== 401) return response;
  // Rejected: never reuse it. A cached one may just have been revoked or expired early.
  await deps.tokens.forget(record);
  if (!token.cached || !context.replayable) return response;
  discard(response);
  let fresh: string;
  try {
    fresh = await deps.tokens.exchange(record, access.exchange, peer);
  } catch (error) {
    return onFailure(error);
  }
  return context.send(`Bearer ${fresh}`);
}
