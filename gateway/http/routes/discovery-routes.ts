/**
 * Discovery served for the backend (DESIGN §3 flow 7; ocm-versions §2, §9.2; legacy-protocols
 * §2.3): `/.well-known/ocm`, `/ocm-provider[/][index.php]` and the RFC 7517 `/.well-known/jwks.json`.
 * The shape per path is decided in core/discovery/serialise-served-discovery.ts.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { buildServedDiscovery } from '../../core/discovery/build-served-discovery.ts';
import type { ServedBackendInfo } from '../../core/discovery/served-backend-info.ts';
import {
  serialiseServedDiscovery,
  type DiscoveryPath,
} from '../../core/discovery/serialise-served-discovery.ts';
import { buildJwks, discoveryKeyFields } from '../../core/signatures/key-publication.ts';
import type { KeySet } from '../../core/signatures/key-set.ts';
import type { Clock } from '../../ports/clock.ts';

export interface DiscoveryRoutesOptions {
  /** GATEWAY_PUBLIC_URL. */
  readonly publicUrl: string;
  /** `ocm.endPointPath`. */
  readonly endPointPath: string;
  /** `provider` branding name. */
  readonly provider: string;
  /** Read per request: the backend's dialect and profile may be re-probed while running. */
  readonly backend: () => ServedBackendInfo;
  /** E.g. `(now) => keyStore.load(now)`; reused for `keysReuseMs` so a rotation shows up soon. */
  readonly loadKeys: (now: number) => Promise<KeySet>;
  readonly clock: Clock;
  readonly advertiseInvites: boolean;
  readonly mustUseHttpSig: boolean;
  /** `Cache-Control: max-age`; default 300 (short: a key rotation must reach peers quickly). */
  readonly maxAgeSeconds?: number;
  /** Default 60 000. */
  readonly keysReuseMs?: number;
}

const WELL_KNOWN_PATHS = ['/.well-known/ocm'];
const PROVIDER_PATHS = ['/ocm-provider', '/ocm-provider/', '/ocm-provider/index.php'];
const JWKS_PATH = '/.well-known/jwks.json';

/** `paths` at the root and under the public URL's path. */
function servedAt(publicUrl: string, paths: readonly string[]): string[] {
  const prefixes = [...new Set(['', new URL(publicUrl).pathname.replace(/\/+$/, '')])];
  return prefixes.flatMap((prefix) => paths.map((path) => `${prefix}${path}`));
}

/** Every path the discovery routes answer. */
export function discoveryPaths(publicUrl: string): string[] {
  return [
    ...servedAt(publicUrl, WELL_KNOWN_PATHS),
    ...servedAt(publicUrl, PROVIDER_PATHS),
    JWKS_PATH,
  ];
}

/** Mount before the pass-through: these paths must never reach the backend's own discovery. */
export function createDiscoveryRoutes(options: DiscoveryRoutesOptions): Router {
  const router = Router();
  const maxAge = options.maxAgeSeconds ?? 300;
  const keys = reusedKeys(options.loadKeys, options.keysReuseMs ?? 60_000);

  const discovery =
    (path: DiscoveryPath): RequestHandler =>
    async (_req, res) => {
      const now = options.clock();
      const doc = buildServedDiscovery({
        publicUrl: options.publicUrl,
        endPointPath: options.endPointPath,
        provider: options.provider,
        backend: options.backend(),
        keys: discoveryKeyFields(await keys(now), options.publicUrl, now),
        advertiseInvites: options.advertiseInvites,
        mustUseHttpSig: options.mustUseHttpSig,
      });
      // Nextcloud 28+ marks its routed /ocm-provider/ so; its own setup check looks for it.
      if (path === 'ocm-provider') res.setHeader('X-NEXTCLOUD-OCM-PROVIDERS', 'true');
      sendPublicJson(res, serialiseServedDiscovery(doc, path, options.publicUrl), maxAge);
    };

  const jwks: RequestHandler = async (_req, res) => {
    const now = options.clock();
    sendPublicJson(res, buildJwks(await keys(now), options.publicUrl, now), maxAge);
  };

  router.all(
    servedAt(options.publicUrl, WELL_KNOWN_PATHS),
    readOnly('discovery', discovery('well-known')),
  );
  router.all(
    servedAt(options.publicUrl, PROVIDER_PATHS),
    readOnly('discovery', discovery('ocm-provider')),
  );
  router.all(JWKS_PATH, readOnly('jwks', jwks));
  return router;
}

function readOnly(route: string, handler: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next) => {
    res.locals.route = route;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      res.status(405).json({ message: 'METHOD_NOT_ALLOWED' });
      return;
    }
    // express 5 forwards a rejected promise to the error responder.
    return handler(req, res, next);
  };
}

function sendPublicJson(res: Response, body: unknown, maxAgeSeconds: number): void {
  res.setHeader('Cache-Control', `public, max-age=${maxAgeSeconds}`);
  res.status(200).json(body);
}

/** One load at a time, reused while fresh; a failed load is not kept. */
function reusedKeys(
  load: (now: number) => Promise<KeySet>,
  reuseMs: number,
): (now: number) => Promise<KeySet> {
  let cached: { readonly at: number; readonly set: Promise<KeySet> } | undefined;
  return (now) => {
    if (cached !== undefined && now - cached.at < reuseMs && now >= cached.at) return cached.set;
    const set = load(now);
    const entry = { at: now, set };
    cached = entry;
    set.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return set;
  };
}
