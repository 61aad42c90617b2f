/**
 * Everything one backend needs (issue 8 item 1): its pass-through, its flows (a translated backend:
 * dialect detection, facade, forward proxy, served discovery under its public URL) or, for a modern
 * OCM backend, only policing in front of the pass-through; its public app and its internal app.
 * start-gateway makes one per backend and puts the public apps behind a Host router.
 */
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import type { BackendConfig, GatewayConfig } from '../../config/gateway-config.ts';
import { createStores, type Stores } from '../../adapters/create-stores.ts';
import type { ReadinessCheck } from '../http/create-admin-app.ts';
import type { IpNetwork } from '../core/network/cidr.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import type { Logger } from '../ports/logger.ts';
import { createPassthrough } from '../http/passthrough/create-passthrough.ts';
import { createPublicApp, type GuardedFederationRoute } from '../http/create-public-app.ts';
import { createInternalApp } from '../http/create-internal-app.ts';
import { policeFederation } from '../http/middleware/police-federation.ts';
import {
  createGatewayForwardProxy,
  type GatewayForwardProxy,
  type GatewayForwardProxyOptions,
} from '../http/forward-proxy/index.ts';
import { createFlows, type Flows } from './create-flows.ts';
import type { LiveSettings } from './live-settings.ts';
import type { ShareOwnerCheck } from '../services/share-owner-check.ts';
import { nativeOcmPaths } from './native-ocm-paths.ts';
import { joinedPathList } from '../http/middleware/federation-path-test.ts';
import { oneBackendChooser, type LaneChooser } from '../http/passthrough-lane.ts';

type Express = ReturnType<typeof createPublicApp>;

export interface BackendUnitOptions {
  /** The config the gateway started with. */
  readonly config: GatewayConfig;
  readonly backend: BackendConfig;
  readonly live: LiveSettings;
  /** Capability cache and short-lived store (shared by every backend); the ledger in single mode. */
  readonly stores: Stores;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly ledgerKey: string;
  readonly trustedProxies: readonly IpNetwork[];
  /** Behind the Host router (multi-backend): no hardening/request log of its own. */
  readonly embedded: boolean;
  /** The public listener's handler, for requests the backend sends to a public URL via the proxy. */
  readonly publicHandler: RequestListener;
  readonly forwardProxy?: Pick<GatewayForwardProxyOptions, 'federationHandler' | 'peerHttp'>;
}

export interface BackendUnit {
  readonly backend: BackendConfig;
  readonly publicApp: Express;
  /** Which requests its public app would only pass through, for the public listener's lane. */
  readonly laneChooser: LaneChooser;
  /** Its internal listener's app and CONNECT handler; undefined for a modern backend. */
  readonly internal:
    | {
        readonly app: Express;
        readonly forwardProxy: GatewayForwardProxy;
      }
    | undefined;
  readonly flows: Flows | undefined;
  /** Its own ledger's readiness (multi-backend), named `ledger:<id>`. */
  readonly checks: readonly ReadinessCheck[];
  /** OCM share endpoint path on the public listener. */
  readonly sharesPath: string;
  /** Paths of its OCM notifications and token endpoints and peer WebDAV on the public listener. */
  readonly notificationsPath: string;
  readonly tokenPath: string;
  readonly peerWebdavPaths: readonly string[];
  /** Whether its ledger holds the share a request names (routing on a shared host). */
  readonly ownsShare: ShareOwnerCheck;
  start(): void;
  stop(): Promise<void>;
}

export async function createBackendUnit(options: BackendUnitOptions): Promise<BackendUnit> {
  const { config, backend, live, metrics, logger } = options;
  const publicPath = new URL(backend.publicUrl).pathname.replace(/\/+$/, '');
  const endPoint = `${publicPath}${config.ocm.endPointPath}`;
  const passthrough = createPassthrough({
    backendUrl: new URL(backend.url),
    publicUrl: new URL(backend.publicUrl),
    connectTimeoutMs: config.timeouts.backendConnectMs,
    responseTimeoutMs: config.timeouts.backendResponseMs,
    onEvent: (event) => {
      metrics.upstreamErrors.inc({ listener: 'public', kind: event.kind });
      logger.warn('backend call failed', { ...event, backend: backend.id });
    },
  });
  const guards = { policy: live.policy, trustedProxies: options.trustedProxies };

  if (backend.modern) {
    const publicApp = createPublicApp({
      logger,
      metrics,
      embedded: options.embedded,
      federationRoutes: [
        policeFederation({
          paths: [endPoint],
          ...guards,
          store: options.stores.shortLived,
          logger,
          metrics,
        }),
      ],
      passthrough: passthrough.handler,
    });
    return {
      backend,
      publicApp,
      laneChooser: oneBackendChooser([endPoint], passthrough),
      internal: undefined,
      flows: undefined,
      checks: [],
      sharesPath: `${endPoint}/shares`,
      notificationsPath: `${endPoint}/notifications`,
      tokenPath: `${endPoint}/token`,
      peerWebdavPaths: [],
      // A modern backend keeps its own shares: the router cannot tell, so never claims one.
      ownsShare: () => Promise.resolve(false),
      start: () => undefined,
      stop: () => {
        passthrough.close();
        return Promise.resolve();
      },
    };
  }

  // Several backends: each keeps its own ledger (share ids, aliases, outbox), so one backend's
  // notifications are never sent with another's identity.
  let own: Stores | undefined;
  const cleanup: (() => Promise<void> | void)[] = [() => passthrough.close()];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    if (config.multiBackend) {
      own = await createStores({
        redis: config.state.kind === 'redis' ? config.state.connection : undefined,
        keyPrefix: `${config.state.kind === 'redis' ? config.state.keyPrefix : 'ocmgw:'}b:${backend.id}:`,
        ledgerDurability: config.state.kind === 'redis' ? config.state.ledgerDurability : undefined,
        dataDir: join(config.state.dataDir, 'backends', backend.id),
        secretKey: options.ledgerKey,
        onError: (store, operation, error) => {
          metrics.storeErrors.inc({ store, operation });
          logger.warn('state store failure', { store, operation, error, backend: backend.id });
        },
      });
      const ownStores = own;
      cleanup.push(() => ownStores.close());
    }
    const view = live.view({
      ...config,
      publicUrl: backend.publicUrl,
      backendUrl: backend.url,
      backendDialect: backend.dialect,
      listeners: { ...config.listeners, internalPort: backend.internalPort },
      facade: backend.facadeBaseUrl === undefined ? {} : { baseUrl: backend.facadeBaseUrl },
    });
    const flows = await createFlows({
      config: view,
      stores: own === undefined ? options.stores : { ...options.stores, ledger: own.ledger },
      metrics,
      logger,
      ledgerKey: options.ledgerKey,
      passthrough: passthrough.handler,
      policy: live.policy,
      trustedProxies: options.trustedProxies,
    });
    cleanup.push(() => flows.stop());
    const nativeOcm = nativeOcmPaths(() => flows.backendProfile.current(), endPoint);
    const federationPaths = joinedPathList(flows.publicPaths, nativeOcm);
    const publicApp = createPublicApp({
      logger,
      metrics,
      embedded: options.embedded,
      federation: {
        routes: flows.guardedRoutes.map((route) => liveLimit(route, live)),
        store: options.stores.shortLived,
        ...guards,
      },
      federationRoutes: [
        policeFederation({
          paths: nativeOcm,
          ...guards,
          store: options.stores.shortLived,
          logger,
          metrics,
        }),
        ...flows.publicRoutes,
      ],
      federationPaths,
      passthrough: passthrough.handler,
    });
    const forwardProxy = await createGatewayForwardProxy({
      config: view,
      logger,
      publicHandler: options.publicHandler,
      federationHandler: flows.federationHandler,
      ...options.forwardProxy,
    });
    cleanup.push(() => {
      forwardProxy.close();
    });
    const internalApp = createInternalApp({
      logger,
      metrics,
      forwardProxy: forwardProxy.middleware,
      routes: flows.internalRoutes,
    });
    const ownChecks = (own?.checks ?? [])
      .filter((check) => check.name === 'ledger')
      .map((check) => ({ name: `ledger:${backend.id}`, health: () => check.health() }));
    return {
      backend,
      publicApp,
      laneChooser: oneBackendChooser(federationPaths, passthrough),
      internal: { app: internalApp, forwardProxy },
      flows,
      checks: ownChecks,
      sharesPath: `${endPoint}/shares`,
      notificationsPath: `${endPoint}/notifications`,
      tokenPath: flows.tokenPath,
      peerWebdavPaths: flows.peerWebdavPaths,
      ownsShare: flows.ownsShare,
      start: () => {
        flows.start();
      },
      stop: undo,
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** Share and notification body limits are read per request, so a reload changes them live. */
function liveLimit(route: GuardedFederationRoute, live: LiveSettings): GuardedFederationRoute {
  if (route.path.endsWith('/shares')) {
    return { ...route, bodyLimitBytes: () => live.current().limits.sharesBodyBytes };
  }
  if (route.path.endsWith('/notifications')) {
    return { ...route, bodyLimitBytes: () => live.current().limits.notificationsBodyBytes };
  }
  return route;
}
