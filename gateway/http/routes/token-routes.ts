/**
 * The token endpoint (DESIGN §3 flow 6, ocm-versions §8): `POST <endPoint>/token`, JSON (pre-1.2)
 * or form-encoded (1.2.2+ / I-D-05 `tokenEndPoint`, advertised at the same URL). RFC 6749 §5.1:
 * answers are never cached. The body is read raw, bounded, and only here: the caller's signature
 * covers its exact bytes.
 */
import express, {
  Router,
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
} from 'express';
import type {
  TokenExchangeOutcome,
  TokenExchangeRequest,
  TokenRequestForm,
} from '../../services/exchange-token.ts';
import type { IpNetwork } from '../../core/network/cidr.ts';
import type { RateLimitSetting } from '../../core/policy/peer-policy.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ShortLivedStore } from '../../ports/short-lived-store.ts';
import { rawBodyOf } from '../middleware/body-limit.ts';
import { callerOf } from '../middleware/peer-policy-caller.ts';
import { hitRateBucket } from '../../services/hit-rate-bucket.ts';

export interface TokenRoutesOptions {
  /** Request paths, e.g. `['/ocm/token']` (public URL prefix + `ocm.endPointPath` + `/token`). */
  readonly paths: readonly string[];
  /** GATEWAY_PUBLIC_URL: the signature's `@target-uri` is its origin + the request path. */
  readonly publicUrl: string;
  /** E.g. `limits.otherFederationBodyBytes`. */
  readonly bodyLimitBytes: number;
  /** `createTokenExchange(deps)`. */
  readonly exchange: (request: TokenExchangeRequest) => Promise<TokenExchangeOutcome>;
  /**
   * Every request verifies a signature and reads the ledger: each client address gets the
   * per-peer rate limit here, answered in OAuth's own error shape.
   */
  readonly rateLimit?: TokenRateLimit;
}

export interface TokenRateLimit {
  readonly store: Pick<ShortLivedStore, 'hit'>;
  /** Read per request (a reload may change it): `policy.perPeerRateLimit`. */
  readonly setting: () => RateLimitSetting;
  readonly trustedProxies: readonly IpNetwork[];
  readonly logger: Logger;
}

export function createTokenRoutes(options: TokenRoutesOptions): Router {
  const router = Router();
  const origin = new URL(options.publicUrl).origin;
  const rawBody = express.raw({ type: () => true, limit: options.bodyLimitBytes });

  const handler: RequestHandler = async (req, res) => {
    res.locals.route = 'token';
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const waitMs = await overLimit(options.rateLimit, req);
    if (waitMs !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
      res.status(429).json({
        error: 'temporarily_unavailable',
        error_description: 'too many token requests from this address; retry later',
      });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await options.exchange({
      form: formOf(req),
      text: body.toString('utf8'),
      signed: {
        method: req.method,
        targetUri: `${origin}${req.originalUrl}`,
        headers: req.headers,
        body: new Uint8Array(body),
      },
    });
    if (outcome.ok) {
      res.status(200).json(outcome.body);
      return;
    }
    if (outcome.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(outcome.retryAfterSeconds))));
    }
    res
      .status(outcome.status)
      .json({ error: outcome.error, error_description: outcome.description });
  };

  // An organisation edge may have read the body already to choose the backend (backend-router.ts);
  // express.raw then finds the stream finished and leaves req.body alone.
  const adopt: RequestHandler = (req, _res, next) => {
    const read = rawBodyOf(req);
    if (read !== undefined) req.body = read;
    next();
  };
  router.post([...options.paths], adopt, rawBody, handler);
  // Unreadable or oversized bodies still get an RFC 6749 answer, not the OCM error body.
  const unreadable: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) {
      next(error);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(status === 413 ? 413 : 400).json({
      error: 'invalid_request',
      error_description: status === 413 ? 'the body is too large' : 'the body cannot be read',
    });
  };
  router.use([...options.paths], unreadable);
  router.all([...options.paths], (_req, res) => {
    res.locals.route = 'token';
    res.setHeader('Allow', 'POST');
    res.status(405).json({ message: 'METHOD_NOT_ALLOWED' });
  });
  return router;
}

function formOf(req: Request): TokenRequestForm | undefined {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  return undefined;
}

/** Milliseconds to wait when this address is over its limit; undefined when it may go on. */
async function overLimit(
  limit: TokenRateLimit | undefined,
  req: Request,
): Promise<number | undefined> {
  if (limit === undefined) return undefined;
  const address = callerOf(req, limit.trustedProxies).address ?? 'unknown';
  try {
    const decision = await hitRateBucket(limit.store, `rate:token:${address}`, limit.setting());
    return decision.allowed ? undefined : decision.retryAfterMs;
  } catch (error) {
    // A store outage must not stop token exchange, which the signature check still guards.
    limit.logger.warn('token rate limit not applied: the short-lived store failed', { error });
    return undefined;
  }
}
