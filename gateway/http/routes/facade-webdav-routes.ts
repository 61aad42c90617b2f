/**
 * Flow 3's two doors (DESIGN §3): the facade `/peers/<host>[/sub]/public.php/webdav/…` on the internal
 * listener, and the forward proxy's intercepted `https://<peer>[/sub]/public.php/webdav/…` of
 * early-OCM backends (legacy-protocols §1.10). Both hand the request to the same reader and
 * stream its answer; errors are sabre/dav XML, 401 with a Basic challenge.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import { GatewayError, toGatewayError } from '../../core/errors/gateway-error.ts';
import { matchFacadePath } from '../../core/facade/facade-url.ts';
import { webdavErrorBody } from '../../core/peer-webdav/webdav-error-body.ts';
import type { Logger } from '../../ports/logger.ts';
import { UnknownShareError, type ReadPeerShare } from '../../services/read-peer-share.ts';
import type { FederationHandler, FederationTarget } from '../forward-proxy/federation-handler.ts';

export const FACADE_WEBDAV_MOUNT = '/peers/:host/public.php/webdav';
const PUBLIC_WEBDAV = '/public.php/webdav';

export interface FacadeWebdavOptions {
  /** `createPeerShareReader(deps)`. */
  readonly read: ReadPeerShare;
  readonly logger: Logger;
}

export interface PeerShareHandlerOptions extends FacadeWebdavOptions {
  /** Called instead of answering 401 when no share has the token (its body is still unread). */
  readonly onUnknownShare?: () => void | Promise<void>;
}

/** Where one request goes: the peer, the raw path below the mount, and the mount as addressed. */
export interface PeerShareTarget {
  readonly peerHost: string;
  /** Raw path below the mount: `''`, `/` or `/dir/file`. */
  readonly path: string;
  /** The raw path prefix the backend used (hrefs are rewritten under it). */
  readonly mountPath: string;
  /** `''` or `?…`. */
  readonly query?: string;
}

export type PeerShareHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  target: PeerShareTarget,
) => Promise<void>;

function queryOf(url: string | undefined): string {
  const at = (url ?? '').indexOf('?');
  return at < 0 ? '' : (url ?? '').slice(at);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function sendError(res: ServerResponse, error: unknown, realm: string, logger: Logger): void {
  const failure = toGatewayError(error);
  if (failure.status >= 500) {
    logger.warn('peer share request failed', { code: failure.code, message: failure.message });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/xml; charset=utf-8',
    'Cache-Control': 'no-store',
  };
  if (failure.status === 401)
    headers['WWW-Authenticate'] = `Basic realm="${realm}", charset="UTF-8"`;
  if (failure.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(failure.retryAfterSeconds);
  }
  // INTERNAL errors carry a generic message already; nothing else in these names a secret.
  res.writeHead(failure.status, headers).end(webdavErrorBody(failure.status, failure.message));
}

/** The shared code of both doors. */
export function createPeerShareHandler(options: PeerShareHandlerOptions): PeerShareHandler {
  return async (req, res, target) => {
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    const length = req.headers['content-length'];
    try {
      const answer = await options.read({
        peerHost: target.peerHost,
        method: req.method ?? 'GET',
        path: target.path,
        query: target.query ?? queryOf(req.url),
        headers: req.headers,
        body: hasBody(req) ? req : undefined,
        bodyLength: length === undefined ? undefined : Number(length),
        mountPath: target.mountPath,
        signal: controller.signal,
      });
      res.writeHead(answer.status, answer.headers);
      pipeline(answer.body, res, (error) => {
        if (error) {
          options.logger.debug('peer share stream ended early', { reason: error.message });
        }
      });
    } catch (error) {
      if (error instanceof UnknownShareError && options.onUnknownShare !== undefined) {
        res.off('close', onClose);
        await options.onUnknownShare();
        return;
      }
      // An unread body would otherwise stall a keep-alive connection.
      if (!req.readableEnded) req.resume();
      sendError(res, error, target.peerHost, options.logger);
    }
  };
}

/** The facade router: mount it in the internal app's `routes`. */
export function createFacadeWebdavRoutes(
  options: FacadeWebdavOptions & { readonly mountPath?: string },
): Router {
  const handle = createPeerShareHandler(options);
  const router = Router();
  if (options.mountPath !== undefined) {
    router.use(options.mountPath, (req: Request, res: Response) => {
      res.locals.route = 'facade-webdav';
      const host = req.params.host;
      // Raw, as sent: `/peers/h/public.php/webdav` and `…/webdav/` differ for the peer too.
      const rawPath = req.originalUrl.split('?')[0] ?? '';
      void handle(req, res, {
        peerHost: typeof host === 'string' ? host : '',
        path: rawPath.slice(req.baseUrl.length),
        mountPath: req.baseUrl,
      });
    });
    return router;
  }
  // `/peers/<host>[/<install sub-path>]/public.php/webdav[/…]`: a peer installed in a sub-path
  // (`carol@<facade>/peers/host/nextcloud`) is mounted below it by the backend.
  router.use((req: Request, res: Response, next) => {
    const rawPath = req.originalUrl.split('?')[0] ?? '';
    const matched = matchFacadePath(rawPath);
    const split = matched === undefined ? undefined : splitPublicWebdavPath(matched.rest);
    if (matched === undefined || split === undefined) {
      next();
      return;
    }
    res.locals.route = 'facade-webdav';
    void handle(req, res, {
      peerHost: matched.peerHost,
      path: split.rest,
      mountPath: rawPath.slice(0, rawPath.length - split.rest.length),
    });
  });
  return router;
}

/** Splits a proxied path at `/public.php/webdav` (after an optional install sub-path). */
export function splitPublicWebdavPath(
  path: string,
): { mountPath: string; rest: string } | undefined {
  const at = path.indexOf(PUBLIC_WEBDAV);
  if (at < 0) return undefined;
  const end = at + PUBLIC_WEBDAV.length;
  const rest = path.slice(end);
  if (rest !== '' && !rest.startsWith('/')) return undefined;
  return { mountPath: path.slice(0, end), rest };
}

/**
 * For the forward proxy: a backend's call to `https://<peer>/…/public.php/webdav/…`. A token the
 * ledger does not know goes to `fallback` when given (e.g. a share made before the gateway, to be
 * passed to the peer untouched), else is answered 401 like the facade does.
 */
export function createProxiedPeerWebdavHandler(
  options: FacadeWebdavOptions & { readonly fallback?: FederationHandler },
): FederationHandler {
  const fallback = options.fallback;
  return async (req: Request, res: Response, target: FederationTarget) => {
    const split = splitPublicWebdavPath(req.url.split('?')[0] ?? target.path);
    if (split === undefined) {
      if (fallback !== undefined) return fallback(req, res, target);
      sendError(
        res,
        new GatewayError('NOT_FOUND', 'Not a public WebDAV path.'),
        target.peerHost,
        options.logger,
      );
      return;
    }
    res.locals.route = 'proxied-peer-webdav';
    const handle = createPeerShareHandler({
      ...options,
      ...(fallback !== undefined && {
        onUnknownShare: () => fallback(req, res, target),
      }),
    });
    await handle(req, res, {
      peerHost: target.peerHost,
      path: split.rest,
      mountPath: split.mountPath,
    });
  };
}
