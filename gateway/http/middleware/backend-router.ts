/**
 * The public listener of an organisation edge (issue 8 item 1): hands each request to the app of
 * the backend its Host header (and public-URL path) names. On a host several backends share, an
 * OCM share is routed by its recipient's address; a notification, a token request and a peer's
 * WebDAV read go to the backend whose ledger holds the share they name (share-clue.ts); a clue only
 * chooses, the chosen backend's app authenticates as always. A body is read here, within its
 * endpoint's limit, and kept for the backend's app (bodyLimit does not read it twice). A host no backend answers to gets 421 Misdirected Request, never a guess.
 */
import type { Request, RequestHandler } from 'express';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import {
  backendForRecipient,
  backendsFor,
  type RoutableBackend,
} from '../../core/routing/backend-routing.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { Logger } from '../../ports/logger.ts';
import type { IpNetwork } from '../../core/network/cidr.ts';
import type { ShareClue, ShareOwnerCheck } from '../../services/share-owner-check.ts';
import { bodyLimit, rawBodyOf } from './body-limit.ts';
import { callerOf } from './peer-policy-caller.ts';
import { jsonObjectOf, notificationClue, tokenClue, webdavClue } from './share-clue.ts';

export interface RoutedBackend extends RoutableBackend {
  /** The backend's own public app (mounted embedded: no second request log). */
  readonly handler: RequestHandler;
  /** Its OCM share, notifications and token endpoint paths, e.g. `/ocm/shares`. */
  readonly sharesPath: string;
  readonly notificationsPath: string;
  readonly tokenPath: string;
  /** Where peers read its shares over WebDAV (path prefixes). */
  readonly peerWebdavPaths: readonly string[];
  /** Whether its ledger holds the share a request names. */
  readonly ownsShare: ShareOwnerCheck;
}

export interface BackendRouterOptions {
  readonly backends: readonly RoutedBackend[];
  /** `limits.sharesBodyBytes`, `notificationsBodyBytes`, `otherFederationBodyBytes`, read per request. */
  readonly sharesBodyLimitBytes: () => number;
  readonly notificationsBodyLimitBytes: () => number;
  readonly otherBodyLimitBytes: () => number;
  /** Whose X-Forwarded-For is believed (the claimed signer host does not depend on it). */
  readonly trustedProxies: readonly IpNetwork[];
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

type Routed = 'share' | 'notification' | 'token' | 'webdav' | 'other';

function routedKind(req: Request, candidates: readonly RoutedBackend[]): Routed {
  const first = candidates[0];
  if (first === undefined || candidates.length === 1) return 'other';
  const post = req.method === 'POST';
  if (post && req.path === first.sharesPath) return 'share';
  if (post && req.path === first.notificationsPath) return 'notification';
  if (post && req.path === first.tokenPath) return 'token';
  const under = (prefix: string) => req.path === prefix || req.path.startsWith(`${prefix}/`);
  return candidates.some((c) => c.peerWebdavPaths.some(under)) ? 'webdav' : 'other';
}

export function backendRouter(options: BackendRouterOptions): RequestHandler {
  const { logger, metrics } = options;
  const readers = {
    share: bodyLimit(options.sharesBodyLimitBytes),
    notification: bodyLimit(options.notificationsBodyLimitBytes),
    token: bodyLimit(options.otherBodyLimitBytes),
  };
  return (req, res, next) => {
    const candidates = backendsFor(options.backends, req.headers.host, req.path);
    const first = candidates[0];
    if (first === undefined) {
      res.locals.route = 'misdirected';
      metrics.requestsRefused.inc({ guard: 'backend-router', reason: 'unknown-host' });
      logger.info('no backend for this host', {
        requestId: res.locals.requestId as unknown,
        host: req.headers.host,
      });
      next(new GatewayError('MISDIRECTED', 'No backend behind this gateway serves this host.'));
      return;
    }
    const hand = (chosen: RoutedBackend) => {
      res.locals.backend = chosen.id;
      chosen.handler(req, res, next);
    };
    const byClue = (clue: ShareClue | undefined) => {
      ownerOf(candidates, clue).then(
        (owner) => {
          hand(owner ?? first);
        },
        (lookup: unknown) => {
          // A ledger that cannot answer: the first backend's app answers (and reports) it.
          logger.warn('could not tell which backend a request is for', { error: lookup });
          hand(first);
        },
      );
    };
    const kind = routedKind(req, candidates);
    if (kind === 'other') {
      hand(first);
      return;
    }
    if (kind === 'webdav') {
      byClue(webdavClue(req.headers.authorization));
      return;
    }
    readers[kind](req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      const body = rawBodyOf(req);
      if (kind === 'share') {
        hand(backendForRecipient(candidates, jsonObjectOf(body)?.shareWith) ?? first);
      } else if (kind === 'notification') {
        byClue(notificationClue(jsonObjectOf(body), callerOf(req, options.trustedProxies).host));
      } else {
        byClue(tokenClue(body, req.headers['content-type']));
      }
    });
  };
}

/** The first candidate whose ledger holds the share (asked in config order). */
async function ownerOf(
  candidates: readonly RoutedBackend[],
  clue: ShareClue | undefined,
): Promise<RoutedBackend | undefined> {
  if (clue === undefined) return undefined;
  for (const candidate of candidates) {
    if (await candidate.ownsShare(clue)) return candidate;
  }
  return undefined;
}
