/** Builds the stores, the three apps and their listeners from a config; returns a handle that stops them cleanly. */
import type { GatewayConfig } from '../config/gateway-config.ts';
import { createStores } from '../adapters/create-stores.ts';
import type { Logger } from './ports/logger.ts';
import { createMetrics, type GatewayMetrics } from './observability/create-metrics.ts';
import { ensureLedgerKey } from './bootstrap/ensure-ledger-key.ts';
import { createPassthrough } from './http/passthrough/create-passthrough.ts';
import { createPublicApp, PUBLIC_LISTENER_OPTIONS } from './http/create-public-app.ts';
import { ConfigError } from '../config/config-error.ts';
import { parseCidrList, type IpNetwork } from './core/network/cidr.ts';
import { compilePeerPolicy, type PeerPolicy } from './core/policy/peer-policy.ts';
import { createInternalApp } from './http/create-internal-app.ts';
import { createAdminApp } from './http/create-admin-app.ts';
import { startListener, type RunningListener } from './http/start-listener.ts';
import { createFlows, type Flows } from './bootstrap/create-flows.ts';
import {
  createGatewayForwardProxy,
  type GatewayForwardProxyOptions,
} from './http/forward-proxy/index.ts';

export interface StartGatewayOptions {
  readonly logger: Logger;
  /** Tests pass their own to avoid default process metrics; main uses a fresh one. */
  readonly metrics?: GatewayMetrics;
  /** The facade's federation handler and peer-client overrides for the forward proxy. */
  readonly forwardProxy?: Pick<GatewayForwardProxyOptions, 'federationHandler' | 'peerHttp'>;
}

export interface RunningGateway {
  readonly publicUrl: string;
  readonly internalUrl: string;
  readonly adminUrl: string;
  readonly metrics: GatewayMetrics;
  stop(): Promise<{ cutRequests: number }>;
}

export async function startGateway(
  config: GatewayConfig,
  options: StartGatewayOptions,
): Promise<RunningGateway> {
  const { logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const guards = compileGuards(config);
  const ledgerKey = ensureLedgerKey(config.ledgerKey, config.state.dataDir);
  if (ledgerKey.source === 'generated') {
    logger.warn('generated a ledger key in the data dir; back it up with the ledger', {
      dataDir: config.state.dataDir,
    });
  }

  const stores = await createStores({
    redis: config.state.kind === 'redis' ? config.state.connection : undefined,
    keyPrefix: config.state.kind === 'redis' ? config.state.keyPrefix : 'ocmgw:',
    dataDir: config.state.dataDir,
    secretKey: ledgerKey.key,
    capabilityCacheMaxEntries: config.capabilityCache.maxEntries,
    capabilityCacheL1Ms: config.capabilityCache.l1Seconds * 1000,
    onError: (store, operation, error) => {
      metrics.storeErrors.inc({ store, operation });
      logger.warn('state store failure', { store, operation, error });
    },
  });

  const passthrough = createPassthrough({
    backendUrl: new URL(config.backendUrl),
    publicUrl: new URL(config.publicUrl),
    connectTimeoutMs: config.timeouts.backendConnectMs,
    responseTimeoutMs: config.timeouts.backendResponseMs,
    onEvent: (event) => {
      metrics.upstreamErrors.inc({ listener: 'public', kind: event.kind });
      logger.warn('backend call failed', { ...event });
    },
  });

  let flows: Flows;
  try {
    flows = await createFlows({
      config,
      stores,
      metrics,
      logger,
      ledgerKey: ledgerKey.key,
      passthrough: passthrough.handler,
      policy: guards.policy,
    });
  } catch (error) {
    passthrough.close();
    await stores.close();
    throw error;
  }

  const publicApp = createPublicApp({
    logger,
    metrics,
    federation: { routes: flows.guardedRoutes, store: stores.shortLived, ...guards },
    federationRoutes: flows.publicRoutes,
    passthrough: passthrough.handler,
  });
  let forwardProxy;
  try {
    forwardProxy = await createGatewayForwardProxy({
      config,
      logger,
      publicHandler: publicApp,
      federationHandler: flows.federationHandler,
      ...options.forwardProxy,
    });
  } catch (error) {
    await flows.stop();
    passthrough.close();
    await stores.close();
    throw error;
  }
  const internalApp = createInternalApp({
    logger,
    metrics,
    forwardProxy: forwardProxy.middleware,
    routes: flows.internalRoutes,
  });

  let accepting = true;
  const { host } = config.listeners;
  const listeners: RunningListener[] = [];
  try {
    listeners.push(
      await startListener(
        'public',
        publicApp,
        host,
        config.listeners.publicPort,
        PUBLIC_LISTENER_OPTIONS,
      ),
      await startListener('internal', internalApp, host, config.listeners.internalPort, {
        onConnect: forwardProxy.connectListener(internalApp),
      }),
      await startListener(
        'admin',
        createAdminApp({
          logger,
          metrics,
          checks: stores.checks,
          isAccepting: () => accepting,
        }),
        host,
        config.listeners.adminPort,
      ),
    );
  } catch (error) {
    await Promise.all(listeners.map((l) => l.stop(0)));
    await flows.stop();
    forwardProxy.close();
    passthrough.close();
    await stores.close();
    throw error;
  }
  const [publicListener, internalListener, adminListener] = listeners as [
    RunningListener,
    RunningListener,
    RunningListener,
  ];
  flows.start();
  logger.info('gateway started', {
    public: publicListener.url,
    internal: internalListener.url,
    admin: adminListener.url,
    publicUrl: config.publicUrl,
    backendUrl: config.backendUrl,
    state: config.state.kind,
    configFile: config.configFile,
  });

  return {
    publicUrl: publicListener.url,
    internalUrl: internalListener.url,
    adminUrl: adminListener.url,
    metrics,
    stop: async () => {
      accepting = false;
      // Traffic listeners drain first; the admin listener keeps answering /readyz (503) meanwhile.
      const results = await Promise.all(
        [publicListener, internalListener].map((l) => l.stop(config.timeouts.shutdownDrainMs)),
      );
      await adminListener.stop(1_000);
      await flows.stop();
      forwardProxy.close();
      passthrough.close();
      await stores.close();
      return { cutRequests: results.reduce((sum, r) => sum + r.cut, 0) };
    },
  };
}

/** Peer policy and trusted proxies, checked beyond the schema (host bits, host syntax). */
function compileGuards(config: GatewayConfig): {
  policy: PeerPolicy;
  trustedProxies: readonly IpNetwork[];
} {
  const compiled = compilePeerPolicy({ ...config.policy, peers: config.peers });
  const proxies = parseCidrList(config.proxy.trustedProxies, 'proxy.trustedProxies');
  const issues = [...(compiled.ok ? [] : compiled.issues), ...proxies.issues];
  if (!compiled.ok || issues.length > 0) {
    throw new ConfigError(
      issues.map((issue) => ({
        where: `${config.configFile ?? 'configuration'}: ${issue.field}`,
        problem: issue.message,
        fix: 'a host (`peer.example.org`, `*.example.org`, optional `:port`) or a CIDR network',
      })),
    );
  }
  return { policy: compiled.policy, trustedProxies: proxies.networks };
}
