/** Builds the stores, the apps of every backend and their listeners from a config; returns a handle that reloads and stops them cleanly. */
import type { RequestListener } from 'node:http';
import type { GatewayConfig } from '../config/gateway-config.ts';
import { createStores } from '../adapters/create-stores.ts';
import type { Logger } from './ports/logger.ts';
import { createMetrics, type GatewayMetrics } from './observability/create-metrics.ts';
import { stateStoreOptions } from './bootstrap/state-store-options.ts';
import { ensureLedgerKey } from './bootstrap/ensure-ledger-key.ts';
import { createPublicRouterApp, PUBLIC_LISTENER_OPTIONS } from './http/create-public-app.ts';
import { createAdminApp } from './http/create-admin-app.ts';
import { startListener, type RunningListener } from './http/start-listener.ts';
import { passthroughLane } from './http/passthrough-lane.ts';
import { backendsLaneChooser } from './http/backends-lane-chooser.ts';
import { websocketUpgrade } from './http/websocket-upgrade.ts';
import { compileGuards } from './bootstrap/compile-guards.ts';
import { createBackendUnit, type BackendUnit } from './bootstrap/create-backend-unit.ts';
import { createLiveSettings } from './bootstrap/live-settings.ts';
import { reloadConfig, type ReloadReport } from './bootstrap/reload-config.ts';
import type { GatewayForwardProxyOptions } from './http/forward-proxy/index.ts';
import { deploymentWarnings } from './bootstrap/deployment-warnings.ts';

export type { ReloadReport } from './bootstrap/reload-config.ts';

export interface StartGatewayOptions {
  readonly logger: Logger;
  /** Tests pass their own to avoid default process metrics; main uses a fresh one. */
  readonly metrics?: GatewayMetrics;
  /** The facade's federation handler and peer-client overrides for the forward proxy. */
  readonly forwardProxy?: Pick<GatewayForwardProxyOptions, 'federationHandler' | 'peerHttp'>;
}

export interface RunningGateway {
  readonly publicUrl: string;
  /** The internal listener of the first backend (the only one outside multi-backend mode). */
  readonly internalUrl: string;
  /** Each translated backend's internal listener, by backend id. */
  readonly internalUrls: Readonly<Record<string, string>>;
  readonly adminUrl: string;
  readonly metrics: GatewayMetrics;
  /** The configuration in force (after reloads). */
  config(): GatewayConfig;
  /**
   * Reads the configuration again (`load`, e.g. loadConfigFromProcess) and applies what can change
   * live; never throws: a bad config is reported and the running one kept.
   */
  reload(load: () => GatewayConfig): ReloadReport;
  stop(): Promise<{ cutRequests: number }>;
}

export async function startGateway(
  config: GatewayConfig,
  options: StartGatewayOptions,
): Promise<RunningGateway> {
  const { logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const guards = compileGuards(config);
  const live = createLiveSettings(config, guards.policy);
  for (const warning of deploymentWarnings(config)) logger.warn(warning.message, warning.fields);
  const ledgerKey = ensureLedgerKey(config.ledgerKey, config.state.dataDir);
  if (ledgerKey.source === 'generated') {
    logger.warn('generated a ledger key in the data dir; back it up with the ledger', {
      dataDir: config.state.dataDir,
    });
  }

  if (config.ledgerPreviousKeys.length > 0) {
    logger.warn(
      'previous ledger keys configured: run `ocm-gateway ledger rewrap` once, then remove them',
      { previousKeys: config.ledgerPreviousKeys.length },
    );
  }

  const stores = await createStores({
    ...stateStoreOptions(config),
    secretKey: ledgerKey.key,
    capabilityCacheMaxEntries: config.capabilityCache.maxEntries,
    capabilityCacheL1Ms: config.capabilityCache.l1Seconds * 1000,
    onError: (store, operation, error) => {
      metrics.storeErrors.inc({ store, operation });
      logger.warn('state store failure', { store, operation, error });
    },
  });

  // The forward proxies serve the backend's calls to a public URL in-process, through the
  // public listener's handler, which exists once every backend is built.
  const publicHandler: { current?: RequestListener } = {};
  const units: BackendUnit[] = [];
  const stopUnits = async () => {
    for (const unit of [...units].reverse()) await unit.stop();
  };
  try {
    for (const backend of config.backends) {
      units.push(
        await createBackendUnit({
          config,
          backend,
          live,
          stores,
          metrics,
          logger,
          ledgerKey: ledgerKey.key,
          trustedProxies: guards.trustedProxies,
          embedded: config.multiBackend,
          publicHandler: (req, res) => {
            publicHandler.current?.(req, res);
          },
          ...(options.forwardProxy !== undefined && { forwardProxy: options.forwardProxy }),
        }),
      );
    }
  } catch (error) {
    await stopUnits();
    await stores.close();
    throw error;
  }
  const [first] = units;
  if (first === undefined) throw new Error('startGateway: the config names no backend');

  const routable = (unit: BackendUnit) => ({
    id: unit.backend.id,
    publicHosts: unit.backend.publicHosts,
    publicPath: new URL(unit.backend.publicUrl).pathname.replace(/\/+$/, ''),
    userDomains: unit.backend.userDomains,
  });
  const publicApp = config.multiBackend
    ? createPublicRouterApp({
        logger,
        metrics,
        backends: units.map((unit) => ({
          ...routable(unit),
          handler: unit.publicApp,
          sharesPath: unit.sharesPath,
          notificationsPath: unit.notificationsPath,
          tokenPath: unit.tokenPath,
          peerWebdavPaths: unit.peerWebdavPaths,
          ownsShare: unit.ownsShare,
        })),
        sharesBodyLimitBytes: () => live.current().limits.sharesBodyBytes,
        notificationsBodyLimitBytes: () => live.current().limits.notificationsBodyBytes,
        otherBodyLimitBytes: () => live.current().limits.otherFederationBodyBytes,
        trustedProxies: guards.trustedProxies,
      })
    : first.publicApp;
  // Plain pass-through skips express (passthrough-lane.ts); the app sees everything else.
  const choose = config.multiBackend
    ? backendsLaneChooser(units.map((unit) => ({ ...routable(unit), choose: unit.laneChooser })))
    : first.laneChooser;
  const publicEntry = passthroughLane({ app: publicApp, choose, logger, metrics });
  // WebSocket upgrades the lane would pass through become tunnels to the backend (notify_push).
  const upgrade = websocketUpgrade({
    choose,
    limits: () => live.current().limits,
    trustedProxies: guards.trustedProxies,
    logger,
    metrics,
  });
  publicHandler.current = publicEntry;

  let accepting = true;
  const { host } = config.listeners;
  const listeners: RunningListener[] = [];
  const internalUrls: Record<string, string> = {};
  let adminListener: RunningListener | undefined;
  try {
    listeners.push(
      await startListener('public', publicEntry, host, config.listeners.publicPort, {
        ...PUBLIC_LISTENER_OPTIONS,
        upgrade,
      }),
    );
    for (const unit of units) {
      if (unit.internal === undefined) continue;
      const { app, forwardProxy } = unit.internal;
      const listener = await startListener('internal', app, host, unit.backend.internalPort, {
        onConnect: forwardProxy.connectListener(app),
      });
      listeners.push(listener);
      internalUrls[unit.backend.id] = listener.url;
    }
    adminListener = await startListener(
      'admin',
      createAdminApp({
        logger,
        metrics,
        checks: [...stores.checks, ...units.flatMap((unit) => unit.checks)],
        isAccepting: () => accepting,
      }),
      host,
      config.listeners.adminPort,
    );
  } catch (error) {
    await Promise.all(listeners.map((l) => l.stop(0)));
    await stopUnits();
    await stores.close();
    throw error;
  }
  const admin = adminListener;
  const publicListener = listeners[0] as RunningListener;
  for (const unit of units) unit.start();
  logger.info('gateway started', {
    public: publicListener.url,
    internal: internalUrls[first.backend.id],
    admin: admin.url,
    publicUrl: config.publicUrl,
    backendUrl: config.backendUrl,
    ...(config.multiBackend && {
      backends: config.backends.map((b) => ({
        id: b.id,
        publicUrl: b.publicUrl,
        url: b.url,
        modern: b.modern,
        internal: internalUrls[b.id],
      })),
    }),
    state: config.state.kind,
    configFile: config.configFile,
  });

  return {
    publicUrl: publicListener.url,
    internalUrl: internalUrls[first.backend.id] ?? '',
    internalUrls,
    adminUrl: admin.url,
    metrics,
    config: () => live.current(),
    reload: (load) => reloadConfig({ live, logger, metrics }, load),
    stop: async () => {
      accepting = false;
      // Traffic listeners drain first; the admin listener keeps answering /readyz (503) meanwhile.
      const results = await Promise.all(
        listeners.map((l) => l.stop(config.timeouts.shutdownDrainMs)),
      );
      await admin.stop(1_000);
      await stopUnits();
      await stores.close();
      return { cutRequests: results.reduce((sum, r) => sum + r.cut, 0) };
    },
  };
}
