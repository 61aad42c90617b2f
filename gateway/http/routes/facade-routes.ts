/**
 * The facade (DESIGN §3, issue 9): on the internal listener each peer looks to the backend like a
 * legacy server of the backend's own kind under `<facade base>/peers/<host[:port]>/`, and the
 * forward proxy hands the backend's federation calls to a peer's REAL host to the same code
 * (`federationHandler`). Paths the facade does not serve (public WebDAV) go on: to the next
 * route on the facade door, to `otherwise` on the proxy door.
 */
import { Router, type Request, type Response } from 'express';
import { classifyFacadeCall } from '../../core/facade/facade-call.ts';
import { facadeUrlFor, matchFacadePath } from '../../core/facade/facade-url.ts';
import { normalisePeerHost } from '../../core/facade/peer-host.ts';
import type { FederationHandler, FederationTarget } from '../forward-proxy/federation-handler.ts';
import type { FacadeServices } from './facade-context.ts';
import { sendOcmFailure } from './facade-reply.ts';
import { serveFacadeCall } from './facade-serve.ts';
import { GatewayError } from '../../core/errors/gateway-error.ts';

export interface FacadeRoutesOptions extends FacadeServices {
  /** How the backend reaches the internal listener (`defaultFacadeBaseUrl(...)`). */
  readonly facadeBaseUrl: string;
  /** The proxy door's handler for calls the facade does not serve (flow 3's WebDAV). */
  readonly otherwise?: FederationHandler;
}

export interface FacadeRoutes {
  /** Mount on the internal app; it only answers `/peers/<host>/` calls it knows. */
  readonly router: Router;
  /** For `createGatewayForwardProxy({ federationHandler })`. */
  readonly federationHandler: FederationHandler;
}

function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

export function createFacadeRoutes(options: FacadeRoutesOptions): FacadeRoutes {
  const basePath = new URL(options.facadeBaseUrl).pathname.replace(/\/+$/, '');
  const router = Router();

  router.use(async (req, res, next) => {
    const matched = matchFacadePath(req.path, basePath);
    if (matched === undefined) {
      next();
      return;
    }
    const call = classifyFacadeCall(matched.rest);
    const base = facadeUrlFor(matched.peerHost, options.facadeBaseUrl);
    if (call.kind === 'other' || !base.ok) {
      next();
      return;
    }
    await serveFacadeCall(options, req, res, {
      peerHost: matched.peerHost,
      // A peer installed in a sub-path (`carol@<facade>/peers/host/nextcloud`) is discovered and
      // called there; the ledger keys it by host alone, as the proxy door does.
      peer: `${matched.peerHost}${call.basePath}`,
      path: matched.rest,
      query: queryOf(req.url),
      base: base.value.replace(/\/+$/, ''),
      call,
    });
  });

  const federationHandler: FederationHandler = async (
    req: Request,
    res: Response,
    target: FederationTarget,
  ) => {
    const call = classifyFacadeCall(target.path);
    const host = normalisePeerHost(target.peerHost);
    if (call.kind === 'other' || !host.ok) {
      if (options.otherwise !== undefined) {
        await options.otherwise(req, res, target);
        return;
      }
      sendOcmFailure(res, new GatewayError('NOT_FOUND', 'Not a call the gateway serves.'));
      return;
    }
    await serveFacadeCall(options, req, res, {
      peerHost: host.value,
      peer: `${target.scheme}://${host.value}${call.basePath}`,
      path: target.path,
      query: queryOf(req.url),
      base: `${target.scheme}://${host.value}`,
      call,
    });
  };

  return { router, federationHandler };
}
