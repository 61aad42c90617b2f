/**
 * Builds the federation flows (DESIGN §3) from the config and the stores: backend dialect
 * detection and client, peer discovery, our signing keys, served discovery, the peers' public
 * WebDAV (flow 5), the facade with its outbox (flows 2, 4) and the backend's reads of peers'
 * files (flow 3). Returns what the three listeners mount and how to start and stop it.
 */
import type { GatewayConfig } from '../../config/gateway-config.ts';
import type { Stores } from '../../adapters/create-stores.ts';
import { createBackendTransport } from '../../adapters/backend/backend-transport.ts';
import { createHttpBackendClient } from '../../adapters/backend/http-backend-client.ts';
import { createHttpBackendProber } from '../../adapters/backend/http-backend-prober.ts';
import { defaultKeyDir, FileKeyStore } from '../../adapters/keys/file-key-store.ts';
import { defaultFacadeBaseUrl } from '../core/facade/default-facade-base-url.ts';
import type { BackendProfile } from '../core/backend/backend-profile.ts';
import type { ServedBackendInfo } from '../core/discovery/served-backend-info.ts';
import { peerWebdavMountPaths } from '../core/discovery/public-webdav-path.ts';
import { deriveAccessTokenKey } from '../core/tokens/access-token-key.ts';
import type { BackendClient, BackendProfileSource } from '../ports/backend-client.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerHttpClient } from '../ports/peer-http.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import { startBackendDialectDetection } from '../services/detect-backend-dialect.ts';
import { createPeerWebdavAuthoriser } from '../services/authorise-peer-webdav.ts';
import { createPeerShareReader } from '../services/read-peer-share.ts';
import type { PeerCapabilitiesResolver } from '../services/resolve-peer-capabilities.ts';
import { createPeerForwarder, type FederationHandler } from '../http/forward-proxy/index.ts';
import { createDiscoveryRoutes, discoveryPaths } from '../http/routes/discovery-routes.ts';
import { createFacade } from '../http/routes/facade-setup.ts';
import {
  createFacadeWebdavRoutes,
  createProxiedPeerWebdavHandler,
} from '../http/routes/facade-webdav-routes.ts';
import { createPeerWebdavRoutes } from '../http/routes/peer-webdav-routes.ts';
import type { PublicAppOptions } from '../http/create-public-app.ts';
import type { GuardedFederationRoute } from '../http/create-public-app.ts';
import { createOcmInboundRoutes } from '../http/routes/ocm-inbound-routes.ts';
import { createTokenRoutes } from '../http/routes/token-routes.ts';
import type { PeerPolicy } from '../core/policy/peer-policy.ts';
import { rateLimitVerifiedPeers } from '../services/rate-limit-verified-peers.ts';
import { createPeerAuthenticator } from '../services/authenticate-peer.ts';
import { createTokenExchange } from '../services/exchange-token.ts';
import { createReceiveOcmShare } from '../services/receive-ocm-share.ts';
import { createReceiveOcmNotification } from '../services/receive-ocm-notification.ts';
import { createPeerResolver } from './create-peer-resolver.ts';
import { createShareOwnerCheck, type ShareOwnerCheck } from '../services/share-owner-check.ts';
import type { IpNetwork } from '../core/network/cidr.ts';

/** Express's handler type, named through the HTTP layer (only gateway/http imports express). */
type RequestHandler = PublicAppOptions['passthrough'];

export interface CreateFlowsOptions {
  readonly config: GatewayConfig;
  readonly stores: Stores;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly ledgerKey: string;
  /** The pass-through handler: peers' public WebDAV streams through it after its auth swap. */
  readonly passthrough: RequestHandler;
  /** The compiled peer policy (signature modes per peer, allow and deny lists). */
  readonly policy: PeerPolicy;
  /** Whose X-Forwarded-For names the client (per-address limits). */
  readonly trustedProxies: readonly IpNetwork[];
}

export interface Flows {
  /** OCM `<endPoint>/shares` and `/notifications`, behind policy, rate and body limits. */
  readonly guardedRoutes: readonly GuardedFederationRoute[];
  /** Unguarded public routes that do their own checks (discovery, peer WebDAV). */
  readonly publicRoutes: readonly RequestHandler[];
  /** Every path the public routes (guarded or not) may answer: the rest is pass-through. */
  readonly publicPaths: readonly string[];
  /** Internal listener routes: the facade and its WebDAV. */
  readonly internalRoutes: readonly RequestHandler[];
  /** The forward proxy's door into the facade. */
  readonly federationHandler: FederationHandler;
  readonly backend: BackendClient;
  readonly backendProfile: BackendProfileSource;
  readonly resolver: PeerCapabilitiesResolver;
  readonly peerClient: PeerHttpClient;
  readonly keyStore: FileKeyStore;
  readonly accessTokenKey: Uint8Array;
  /** Whether its ledger holds the share a request names (edge routing on a shared host). */
  readonly ownsShare: ShareOwnerCheck;
  /** Public paths of its token endpoint and of the peer WebDAV it serves. */
  readonly tokenPath: string;
  readonly peerWebdavPaths: readonly string[];
  /** After the listeners are up: the outbox drainer runs on every replica. */
  start(): void;
  stop(): Promise<void>;
}

const PROVIDER = 'OCM federation gateway';

export async function createFlows(options: CreateFlowsOptions): Promise<Flows> {
  const { config, stores, metrics, logger } = options;
  const clock = Date.now;
  const keyStore = new FileKeyStore({ dir: defaultKeyDir(config.state.dataDir) });
  // Generates the keys on first start, so discovery publishes them from the first request.
  await keyStore.load(clock());
  const loadKeys = (now: number) => keyStore.load(now);

  const backendTransport = createBackendTransport({
    connectTimeoutMs: config.timeouts.backendConnectMs,
    totalTimeoutMs: Math.min(config.timeouts.backendResponseMs, 30_000),
  });
  const probeTransport = createBackendTransport({ connectTimeoutMs: 3_000, totalTimeoutMs: 5_000 });
  const backendProfile = await startBackendDialectDetection({
    prober: createHttpBackendProber({ backendUrl: config.backendUrl, transport: probeTransport }),
    backendUrl: config.backendUrl,
    dialect: config.backendDialect,
    recheckSeconds: config.backend.dialectRecheckSeconds,
    clock,
    logger,
  });
  const facadeBaseUrl = defaultFacadeBaseUrl({
    baseUrl: config.facade.baseUrl,
    host: config.listeners.host,
    internalPort: config.listeners.internalPort,
  });
  const backend = createHttpBackendClient({
    backendUrl: config.backendUrl,
    publicUrl: config.publicUrl,
    facadeBaseUrl,
    profile: backendProfile,
    transport: backendTransport,
  });

  const peers = createPeerResolver({ config, stores, metrics, logger, clock });
  const accessTokenKey = deriveAccessTokenKey(options.ledgerKey);

  // The peer's own rate bucket is spent only by a verified signer: a claim could be anyone's.
  const authenticator = rateLimitVerifiedPeers(
    createPeerAuthenticator({
      resolver: peers.resolver,
      replayStore: stores.shortLived,
      policy: options.policy,
      mustUseHttpSig: config.ocm.mustUseHttpSig,
      clock,
    }),
    {
      store: stores.shortLived,
      policy: options.policy,
      logger,
      // The same series as the limits checked before the body (http/middleware/rate-limit.ts).
      count: {
        refused: () => metrics.requestsRefused.inc({ guard: 'rate-limit', reason: 'peer' }),
        storeFailed: () =>
          metrics.storeErrors.inc({ store: 'short-lived', operation: 'rate-limit' }),
      },
    },
  );
  const endPointPath = `${new URL(config.publicUrl).pathname.replace(/\/+$/, '')}${config.ocm.endPointPath}`;
  const inbound = createOcmInboundRoutes({
    endPointPath,
    publicUrl: config.publicUrl,
    sharesBodyLimitBytes: config.limits.sharesBodyBytes,
    notificationsBodyLimitBytes: config.limits.notificationsBodyBytes,
    authenticator,
    receiveShare: createReceiveOcmShare({
      ledger: stores.ledger.shares,
      backend,
      backendProfile,
      publicUrl: config.publicUrl,
      otherLocalUrls: userDomainUrls(config),
      logger,
      shortLived: stores.shortLived,
    }),
    receiveNotification: createReceiveOcmNotification({
      ledger: stores.ledger.shares,
      backend,
      logger,
    }),
    peerDialect: async (host) => (await peers.resolver.resolve(host)).dialect,
    logger,
  });
  const tokenPath = `${endPointPath}/token`;
  const token = createTokenRoutes({
    paths: [tokenPath],
    publicUrl: config.publicUrl,
    bodyLimitBytes: config.limits.otherFederationBodyBytes,
    rateLimit: {
      store: stores.shortLived,
      setting: () => options.policy.perPeerRateLimit,
      trustedProxies: options.trustedProxies,
      logger,
    },
    exchange: createTokenExchange({
      shares: stores.ledger.shares,
      authenticator,
      tokenKey: accessTokenKey,
      audience: config.publicUrl,
      lifetimeSeconds: config.ocm.accessTokenSeconds,
      clock,
    }),
  });

  const discovery = createDiscoveryRoutes({
    publicUrl: config.publicUrl,
    endPointPath: config.ocm.endPointPath,
    provider: PROVIDER,
    backend: () => servedBackendInfo(backendProfile.current()),
    loadKeys,
    clock,
    advertiseInvites: config.ocm.advertiseInvites,
    mustUseHttpSig: config.ocm.mustUseHttpSig,
  });
  const authorisePeerWebdav = createPeerWebdavAuthoriser({
    shares: stores.ledger.shares,
    tokenKey: accessTokenKey,
    previousTokenKeys: config.ledgerPreviousKeys.map(deriveAccessTokenKey),
    audience: config.publicUrl,
    clock,
  });
  const peerWebdavPaths = peerWebdavMountPaths(
    config.publicUrl,
    backendProfile.current().webdavPath,
  );
  const peerWebdav = createPeerWebdavRoutes({
    paths: peerWebdavPaths,
    authorise: authorisePeerWebdav,
    passthrough: options.passthrough,
  });

  const read = createPeerShareReader({
    ledger: stores.ledger.shares,
    peers: peers.resolver,
    client: peers.client,
    shortLived: stores.shortLived,
    keySet: () => loadKeys(clock()),
    publicUrl: config.publicUrl,
    clock,
    logger,
  });
  const facade = createFacade({
    outbox: {
      intervalMs: config.outbox.intervalSeconds * 1000,
      retry: {
        baseMs: config.outbox.retryBaseSeconds * 1000,
        maxMs: config.outbox.retryMaxSeconds * 1000,
        giveUpAfterMs: config.outbox.giveUpHours * 3_600_000,
      },
    },
    publicUrl: config.publicUrl,
    backendUrl: config.backendUrl,
    facadeBaseUrl,
    ledger: stores.ledger,
    backendProfile,
    resolver: peers.resolver,
    client: peers.client,
    loadKeys,
    clock,
    logger,
    metrics,
    maxBodyBytes: config.limits.otherFederationBodyBytes,
    otherwise: createProxiedPeerWebdavHandler({
      read,
      logger,
      fallback: createPeerForwarder(peers.client),
    }),
  });

  return {
    guardedRoutes: inbound,
    publicRoutes: [discovery, token, peerWebdav],
    publicPaths: [
      ...inbound.map((route) => route.path),
      ...discoveryPaths(config.publicUrl),
      tokenPath,
      ...peerWebdavPaths,
    ],
    internalRoutes: [facade.router, createFacadeWebdavRoutes({ read, logger })],
    federationHandler: facade.federationHandler,
    backend,
    backendProfile,
    resolver: peers.resolver,
    peerClient: peers.client,
    keyStore,
    accessTokenKey,
    ownsShare: createShareOwnerCheck({
      shares: stores.ledger.shares,
      authoriseBearer: authorisePeerWebdav,
    }),
    tokenPath,
    peerWebdavPaths,
    start: () => {
      facade.drainer.start();
    },
    stop: async () => {
      await facade.drainer.stop();
      backendProfile.stop();
      await peers.close();
      backendTransport.close();
      probeTransport.close();
    },
  };
}

/** A multi-backend entry's `userDomains` as base URLs in its public URL's scheme. */
function userDomainUrls(config: GatewayConfig): string[] {
  const self = config.backends.find(
    (b) => b.url === config.backendUrl && b.publicUrl === config.publicUrl,
  );
  const scheme = new URL(config.publicUrl).protocol;
  return (self?.userDomains ?? []).map((domain) => `${scheme}//${domain}`);
}

/** What discovery tells peers about the backend: its WebDAV path and resource/share types. */
function servedBackendInfo(profile: BackendProfile): ServedBackendInfo {
  return {
    webdavPath: profile.webdavPath,
    resourceTypes: profile.resourceTypes.map((name) => ({ name, shareTypes: profile.shareTypes })),
  };
}
