/**
 * The public WebDAV of shares the backend gave to peers (DESIGN §3 flow 5, ocm-versions §5,
 * legacy-protocols §1.10): Bearer credentials are checked and swapped for the backend's Basic
 * token, then the request streams through the pass-through like any other; everything else
 * (legacy Basic, anonymous) continues to the pass-through untouched.
 */
import { Router, type RequestHandler } from 'express';
import type { PeerWebdavDecision } from '../../services/authorise-peer-webdav.ts';

export interface PeerWebdavRoutesOptions {
  /** Path prefixes without trailing slash, e.g. `peerWebdavMountPaths(publicUrl, webdavPath)`. */
  readonly paths: readonly string[];
  /** `createPeerWebdavAuthoriser(deps)`. */
  readonly authorise: (authorization: string | undefined) => Promise<PeerWebdavDecision>;
  /** The pass-through handler (`createPassthrough(…).handler`): it maps and streams the request. */
  readonly passthrough: RequestHandler;
}

export function createPeerWebdavRoutes(options: PeerWebdavRoutesOptions): Router {
  const router = Router();
  const handler: RequestHandler = async (req, res, next) => {
    const decision = await options.authorise(req.headers.authorization);
    switch (decision.kind) {
      case 'pass':
        next();
        return;
      case 'refuse':
        res.locals.route = 'peer-webdav';
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader(
          'WWW-Authenticate',
          `Bearer error="invalid_token", error_description="${decision.description}"`,
        );
        res.status(401).json({ message: 'UNAUTHENTICATED', detail: decision.description });
        return;
      case 'forward':
        res.locals.route = 'peer-webdav';
        req.headers.authorization = decision.authorization;
        options.passthrough(req, res, next);
        return;
    }
  };
  router.use([...options.paths], handler);
  return router;
}
