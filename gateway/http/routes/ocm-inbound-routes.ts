/**
 * The inbound OCM endpoints (DESIGN §3 flow 1, issue 7 items 3–4): `POST <endPoint>/shares` and
 * `POST <endPoint>/notifications` from any OCM version, mounted as guarded federation routes (peer
 * policy, rate limit and body limit run first). Bodies are read raw: signatures cover their bytes.
 *
 * Which dialect? Bodies are parsed by the newest codec in lenient mode (it accepts the older
 * spellings), falling back through older codecs; replies are written in the dialect discovery
 * shows the peer speaks, or the ocm-proposal1 compat variant (both spellings) when it is unknown.
 */
import type { Request, RequestHandler, Response } from 'express';
import { codecFor } from '../../core/dialects/dialect-registry.ts';
import { GatewayError, toGatewayError } from '../../core/errors/gateway-error.ts';
import { ocmErrorStyleFor, type OcmErrorStyle } from '../../core/errors/ocm-error-body.ts';
import type { DialectId } from '../../core/model/dialect-id.ts';
import { claimedHostFor } from '../../core/signatures/claimed-host.ts';
import type { Logger } from '../../ports/logger.ts';
import type { PeerAuthenticator } from '../../ports/peer-authenticator.ts';
import type { ReceiveOcmNotification } from '../../services/receive-ocm-notification.ts';
import type { ReceiveOcmShare } from '../../services/receive-ocm-share.ts';
import type { GuardedFederationRoute } from '../create-public-app.ts';
import { confirmPeerHost, peerVerdictOf } from '../middleware/peer-policy.ts';
import { sendOcmError } from '../ocm-error-responder.ts';
import { parseInbound, signedRequestOf } from './ocm-inbound-body.ts';

export interface OcmInboundRoutesDeps {
  /** Request path of the served `endPoint`, e.g. `/ocm` (public URL path + `ocm.endPointPath`). */
  readonly endPointPath: string;
  /** GATEWAY_PUBLIC_URL: the signature's `@target-uri` is its origin + the request target. */
  readonly publicUrl: string;
  /** `limits.sharesBodyBytes`. */
  readonly sharesBodyLimitBytes: number;
  /** `limits.otherFederationBodyBytes`. */
  readonly notificationsBodyLimitBytes: number;
  readonly authenticator: PeerAuthenticator;
  readonly receiveShare: ReceiveOcmShare;
  readonly receiveNotification: ReceiveOcmNotification;
  /** The dialect to answer a peer in (resolver.resolve(host).dialect); undefined or a rejection: unknown. */
  readonly peerDialect: (host: string) => Promise<DialectId | undefined>;
  readonly logger: Logger;
}

/** Unknown peers get both spellings of early OCM (sender + sharedBy, …). */
const FALLBACK_DIALECT: DialectId = 'ocm-proposal1';

export function createOcmInboundRoutes(deps: OcmInboundRoutesDeps): GuardedFederationRoute[] {
  const base = deps.endPointPath.replace(/\/+$/, '');
  const origin = new URL(deps.publicUrl).origin;

  async function dialectOf(host: string | undefined): Promise<DialectId> {
    if (host === undefined) return FALLBACK_DIALECT;
    try {
      return (await deps.peerDialect(host)) ?? FALLBACK_DIALECT;
    } catch {
      return FALLBACK_DIALECT;
    }
  }

  const shares = async (req: Request, res: Response): Promise<void> => {
    const parsed = parseInbound(req, 'shareCreate');
    const share = parsed.value;
    const claimed = claimedHostFor('share', share, undefined)?.host;
    if (claimed === undefined) {
      throw new GatewayError('INVALID_REQUEST', 'The share names no sending server.', {
        issues: [{ field: 'sender', message: 'must be a cloud ID naming the sending server' }],
      });
    }
    const auth = await deps.authenticator.authenticate(signedRequestOf(req, origin), claimed);
    const peerHost = auth.verified ? auth.host : claimed;
    confirmPeerHost(req, peerHost);
    const peerDialect = await dialectOf(peerHost);
    answerIn(res, peerDialect);
    const result = await deps.receiveShare({ share, peerHost, peerDialect });
    const codec = codecFor(peerDialect);
    const body = codec?.shareCreated?.serialise({
      recipientDisplayName: result.recipientDisplayName,
    });
    res
      .status(201)
      .json(body?.ok === true ? body.value : { recipientDisplayName: result.recipientDisplayName });
  };

  const notifications = async (req: Request, res: Response): Promise<void> => {
    const parsed = parseInbound(req, 'notification');
    // A notification names no sender: only a signature tells who sent it (claimed-host.ts).
    const authentication = await deps.authenticator.authenticate(
      signedRequestOf(req, origin),
      undefined,
    );
    const signer = authentication.verified ? authentication.host : undefined;
    if (signer !== undefined) confirmPeerHost(req, signer);
    else if (peerVerdictOf(req)?.kind === 'needs-host') {
      // The policy admits named hosts only, and an unsigned notification cannot name one.
      throw new GatewayError('FORBIDDEN', 'Unsigned notifications are not accepted here.');
    }
    const peerDialect = await dialectOf(signer);
    if (signer !== undefined) answerIn(res, peerDialect);
    const result = await deps
      .receiveNotification({ notification: parsed.value, authentication, peerDialect })
      .catch((raw: unknown) => {
        // An unauthenticated caller must not learn which share ids exist: "no such share" and
        // "not yours" read alike to it.
        const error = toGatewayError(raw);
        if (!authentication.verified && error.code === 'NOT_FOUND') {
          throw new GatewayError('FORBIDDEN', 'Not allowed to notify about this share.');
        }
        throw error;
      });
    const body = codecFor(peerDialect)?.notificationReply?.serialise(result.reply);
    res.status(201).json(body?.ok === true ? body.value : {});
  };

  return [
    route(`${base}/shares`, 'ocm-shares', deps.sharesBodyLimitBytes, shares, deps.logger),
    route(
      `${base}/notifications`,
      'ocm-notifications',
      deps.notificationsBodyLimitBytes,
      notifications,
      deps.logger,
    ),
  ];
}

/** Errors from here on are written in the dialect the peer speaks (ocm-error-body.ts). */
function answerIn(res: Response, dialect: DialectId): void {
  res.locals.ocmErrorStyle = ocmErrorStyleFor(dialect, false);
}

function route(
  path: string,
  label: string,
  bodyLimitBytes: number,
  serve: (req: Request, res: Response) => Promise<void>,
  logger: Logger,
): GuardedFederationRoute {
  const handler: RequestHandler = (req, res, next) => {
    // Mounted with app.use: only the path itself is ours, not what lies below it.
    if (req.path !== '/' && req.path !== '') {
      next();
      return;
    }
    res.locals.route = label;
    const signed =
      req.headers.signature !== undefined || req.headers['signature-input'] !== undefined;
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendOcmError(
        res,
        new GatewayError('METHOD_NOT_ALLOWED', `${req.method} is not allowed.`),
        ocmErrorStyleFor(undefined, signed),
      );
      return;
    }
    serve(req, res).catch((raw: unknown) => {
      const error = toGatewayError(raw);
      if (error.status >= 500) logger.error(error.message, { route: label, cause: error.cause });
      else logger.info(`refused: ${error.message}`, { route: label, code: error.code });
      const style =
        (res.locals.ocmErrorStyle as OcmErrorStyle | undefined) ??
        ocmErrorStyleFor(undefined, signed);
      sendOcmError(res, error, style);
    });
  };
  return { path, handler, bodyLimitBytes };
}
