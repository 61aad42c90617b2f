/**
 * Everything behind the facade from the gateway's ports (DESIGN §3 flows 2 and 4), in one call
 * for the composition root: the internal-listener router, the forward proxy's federation handler
 * and the outbox drainer (which every replica should start).
 */
import { internalAuthorities } from '../../core/outgoing/internal-leak.ts';
import type { OutboxRetryPolicy } from '../../core/outgoing/outbox-backoff.ts';
import type { AddressContext } from '../../core/outgoing/outgoing-address.ts';
import type { KeySet } from '../../core/signatures/key-set.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { BackendProfileSource } from '../../ports/backend-client.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Ledger } from '../../ports/ledger.ts';
import type { Logger } from '../../ports/logger.ts';
import type { PeerHttpClient } from '../../ports/peer-http.ts';
import { createOutboxDrainer, type OutboxDrainer } from '../../services/drain-outbox.ts';
import type { FacadeMetrics } from '../../services/facade-metrics.ts';
import { createFacadeShareInfo } from '../../services/facade-share-info.ts';
import { createRelayBackendCallback } from '../../services/relay-backend-callback.ts';
import { createRelayLegacyCall } from '../../services/relay-legacy-call.ts';
import { createSendOutgoingShare } from '../../services/send-outgoing-share.ts';
import {
  createSendPeerNotification,
  type PeerResolver,
} from '../../services/send-peer-notification.ts';
import { createPeerSender } from '../../services/send-to-peer.ts';
import type { FederationHandler } from '../forward-proxy/federation-handler.ts';
import { createBackendSharePermissions } from './facade-backend-permissions.ts';
import { createFacadeRoutes, type FacadeRoutes } from './facade-routes.ts';

export interface FacadeOptions {
  /** GATEWAY_PUBLIC_URL. */
  readonly publicUrl: string;
  /** GATEWAY_BACKEND_URL. */
  readonly backendUrl: string;
  /** `defaultFacadeBaseUrl({ baseUrl: config.facade.baseUrl, host, internalPort })`. */
  readonly facadeBaseUrl: string;
  /** Other URLs that must never reach a peer (the internal listener's own URL, …). */
  readonly internalUrls?: readonly string[];
  readonly ledger: Ledger;
  readonly backendProfile: BackendProfileSource;
  /** The capability resolver (`createPeerResolver(…).resolver`). */
  readonly resolver: PeerResolver;
  /** The guarded peer client (`createPeerResolver(…).client`). */
  readonly client: PeerHttpClient;
  /** E.g. `(now) => keyStore.load(now)`. */
  readonly loadKeys: (now: number) => Promise<KeySet>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
  /** `limits.otherFederationBodyBytes`; default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** The proxy door's handler for calls the facade does not serve (flow 3's proxied WebDAV). */
  readonly otherwise?: FederationHandler;
  readonly outbox?: { readonly intervalMs?: number; readonly retry?: OutboxRetryPolicy };
  /** Deadline of the PROPFIND that reads an outgoing share's permissions; default 3 s. */
  readonly backendPermissionsTimeoutMs?: number;
}

export interface Facade extends FacadeRoutes {
  /** `start()` on every replica after the listeners are up, `await stop()` before closing stores. */
  readonly drainer: OutboxDrainer;
}

export function facadeMetricsOf(metrics: GatewayMetrics): FacadeMetrics {
  return {
    peerCall: (call, result) => {
      metrics.facadePeerCalls.inc({ call, result });
    },
    outbox: (result) => {
      metrics.outboxDeliveries.inc({ result });
    },
  };
}

export function createFacade(options: FacadeOptions): Facade {
  const { logger, resolver, ledger } = options;
  const metrics = options.metrics === undefined ? undefined : facadeMetricsOf(options.metrics);
  const addresses: AddressContext = {
    publicUrl: options.publicUrl,
    backendUrl: options.backendUrl,
    facadeBaseUrl: options.facadeBaseUrl,
  };
  const sender = createPeerSender({
    client: options.client,
    loadKeys: options.loadKeys,
    publicUrl: options.publicUrl,
    clock: options.clock,
    internalAuthorities: internalAuthorities(
      [options.backendUrl, options.facadeBaseUrl, ...(options.internalUrls ?? [])],
      options.publicUrl,
    ),
    logger,
  });
  const send = createSendPeerNotification({ resolver, sender });
  const withMetrics = metrics === undefined ? {} : { metrics };
  const routes = createFacadeRoutes({
    facadeBaseUrl: options.facadeBaseUrl,
    backendProfile: options.backendProfile,
    resolver,
    sendShare: createSendOutgoingShare({
      resolver,
      sender,
      shares: ledger.shares,
      backendProfile: options.backendProfile,
      addresses,
      logger,
      ...withMetrics,
      backendPermissions: createBackendSharePermissions({
        backendUrl: options.backendUrl,
        webdavPath: () => options.backendProfile.current().webdavPath,
        timeoutMs: options.backendPermissionsTimeoutMs ?? 3_000,
        logger,
      }),
    }),
    relayCallback: createRelayBackendCallback({ ledger, send, addresses, logger, ...withMetrics }),
    relayLegacy: createRelayLegacyCall({ resolver, sender, addresses }),
    shareInfo: createFacadeShareInfo({ shares: ledger.shares, resolver, sender }),
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    ...(options.otherwise === undefined ? {} : { otherwise: options.otherwise }),
  });
  const drainer = createOutboxDrainer({
    ledger,
    send,
    clock: options.clock,
    logger,
    ...withMetrics,
    ...(options.outbox?.intervalMs === undefined ? {} : { intervalMs: options.outbox.intervalMs }),
    ...(options.outbox?.retry === undefined ? {} : { retry: options.outbox.retry }),
  });
  return { ...routes, drainer };
}
