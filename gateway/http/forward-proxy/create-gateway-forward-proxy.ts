/**
 * Builds the forward proxy from the gateway's config: the guarded peer client it forwards with,
 * the tunnel guard, and, when forwardProxy.intercept is on, the egress CA and its leaf cache.
 */
import type { RequestListener } from 'node:http';
import type { GatewayConfig } from '../../../config/gateway-config.ts';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import type { PeerHttpClientOptions } from '../../../adapters/peer-http/peer-http-types.ts';
import type { EgressCa, LeafCertificateCache } from '../../../adapters/tls/index.ts';
import type { Logger } from '../../ports/logger.ts';
import type { PeerHttpClient } from '../../ports/peer-http.ts';
import { createForwardProxy, type ForwardProxy } from './create-forward-proxy.ts';
import type { FederationHandler } from './federation-handler.ts';
import { createPeerForwarder } from './peer-forwarder.ts';
import { createTunnelGuard } from './tunnel-guard.ts';

export interface GatewayForwardProxyOptions {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** The public app: requests the backend sends to GATEWAY_PUBLIC_URL are served by it in-process. */
  readonly publicHandler?: RequestListener;
  /** The facade's handler for intercepted federation calls; default: forward unchanged. */
  readonly federationHandler?: FederationHandler;
  /** Overrides of the peer client / tunnel guard settings (tests: resolver, trust anchors). */
  readonly peerHttp?: Partial<PeerHttpClientOptions>;
  readonly now?: () => Date;
}

export interface GatewayForwardProxy extends ForwardProxy {
  /** The interception CA, when forwardProxy.intercept is on. */
  readonly ca: EgressCa | undefined;
  readonly leaves: LeafCertificateCache | undefined;
}

function peerHttpOptions(
  config: GatewayConfig,
  overrides: Partial<PeerHttpClientOptions> | undefined,
): PeerHttpClientOptions {
  return {
    allowPrivatePeers: config.allowPrivatePeers,
    allowHttpHosts: config.peers.filter((p) => p.allowHttp).map((p) => p.host),
    allowNetworks: config.policy.allowNetworks,
    denyNetworks: config.policy.denyNetworks,
    connectTimeoutMs: config.timeouts.peerConnectMs,
    totalTimeoutMs: config.timeouts.peerTotalMs,
    ...overrides,
  };
}

/** The X.509 library and its ASN.1 schemas (~3 MB of heap) load only when TLS is intercepted. */
function loadTls() {
  return import('../../../adapters/tls/index.ts');
}

async function interceptionCa(
  config: GatewayConfig,
  logger: Logger,
  now: Date,
): Promise<EgressCa | undefined> {
  if (!config.forwardProxy.intercept) {
    if (config.egressCa !== undefined) {
      logger.warn(
        'GATEWAY_EGRESS_CA_* is set but forwardProxy.intercept is false: no TLS is intercepted',
      );
    }
    return undefined;
  }
  const { loadEgressCa } = await loadTls();
  const ca = await loadEgressCa({
    configured: config.egressCa,
    dataDir: config.state.dataDir,
    now,
  });
  if (ca.source === 'configured') {
    logger.info('forward proxy: intercepting TLS with the organisation CA', {
      caCertificate: ca.certificatePath,
    });
    return ca;
  }
  logger.info(
    'forward proxy: intercepting TLS with the egress CA in the data dir; make the backend trust this certificate',
    {
      caCertificate: ca.certificatePath,
      generated: ca.source === 'generated',
      certificate: ca.certificatePem,
    },
  );
  if (config.state.kind === 'redis') {
    logger.warn(
      'each replica generates its own egress CA: set GATEWAY_EGRESS_CA_CERT / GATEWAY_EGRESS_CA_KEY so all share one',
    );
  }
  return ca;
}

export async function createGatewayForwardProxy(
  options: GatewayForwardProxyOptions,
): Promise<GatewayForwardProxy> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const peerOptions = peerHttpOptions(config, options.peerHttp);
  const ca = await interceptionCa(config, logger, now());
  const leaves =
    ca === undefined ? undefined : new (await loadTls()).LeafCertificateCache({ ca, now });
  const client: PeerHttpClient = createPeerHttpClient(peerOptions);
  const facadeUrl = config.facade.baseUrl ?? `http://127.0.0.1:${config.listeners.internalPort}`;
  const proxy = createForwardProxy({
    logger,
    allowedClients: config.forwardProxy.allowedClients,
    tunnelPolicy: config.forwardProxy.tunnelPolicy,
    interception:
      ca === undefined || leaves === undefined
        ? undefined
        : { contexts: leaves, caCertificatePath: ca.certificatePath },
    self: {
      internalUrls: [
        facadeUrl,
        `http://${config.listeners.host}:${config.listeners.internalPort}`,
      ].filter((url) => URL.canParse(url)),
      publicUrl: config.publicUrl,
    },
    publicHandler: options.publicHandler,
    federationHandler: options.federationHandler,
    forwarder: createPeerForwarder(client),
    tunnelGuard: createTunnelGuard(peerOptions),
    connectTimeoutMs: config.timeouts.peerConnectMs,
  });
  return {
    ...proxy,
    ca,
    leaves,
    close() {
      proxy.close();
      client.close();
    },
  };
}
