/** Every Prometheus metric of the gateway, defined in this one file on a registry of its own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'listener' | 'route' | 'status_class' | 'method'>;
  readonly upstreamErrors: Counter<'listener' | 'kind'>;
  readonly storeErrors: Counter<'store' | 'operation'>;
  /** Requests the public guards refused: guard (hardening, peer-policy, rate-limit) and reason. */
  readonly requestsRefused: Counter<'guard' | 'reason'>;
  /** Configuration reloads (SIGHUP) by result: applied, unchanged, failed. */
  readonly configReloads: Counter<'result'>;
  /** Peer discoveries by result: ocm, legacy, or why they failed (refused, unreachable, timeout, no-document, disabled). */
  readonly peerDiscoveries: Counter<'result'>;
  readonly peerDiscoveryDuration: Histogram<'result'>;
  /** Capability lookups by cache result: hit, stale, miss, negative. */
  readonly peerCapabilityLookups: Counter<'result'>;
  /** Calls to peers for the backend (facade flows 2, 4): call (share, notification) and result. */
  readonly facadePeerCalls: Counter<'call' | 'result'>;
  /** Outbox deliveries by result: delivered, retried, rejected, superseded, gave_up. */
  readonly outboxDeliveries: Counter<'result'>;
  /** Peers whose discovery circuit is open, read at scrape time from the source set below. */
  readonly peerOpenCircuits: Gauge;
  /** WebSocket tunnels to the backend open right now, and handshakes by status class. */
  readonly websocketTunnels: Gauge;
  readonly websocketHandshakes: Counter<'status_class'>;
  /** Tunnels closed by the gateway after limits.websocketIdleSeconds without a byte either way. */
  readonly websocketIdleCloses: Counter;
  /** Where peerOpenCircuits reads its value (the capability resolver); 0 until set. */
  setOpenCircuitsSource(read: () => number): void;
}

export function createMetrics(options: { collectDefaults?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.collectDefaults ?? true) collectDefaultMetrics({ register: registry });
  let readOpenCircuits: () => number = () => 0;
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP requests served, by listener, route, method and status class.',
      labelNames: ['listener', 'route', 'status_class', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: 'gateway_upstream_errors_total',
      help: 'Failed calls to the backend or a peer, by listener and kind (unreachable, timeout, aborted).',
      labelNames: ['listener', 'kind'],
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'gateway_store_errors_total',
      help: 'State store operations that failed (Redis or SQLite), by store and operation.',
      labelNames: ['store', 'operation'],
      registers: [registry],
    }),
    requestsRefused: new Counter({
      name: 'gateway_requests_refused_total',
      help: 'Requests refused before any route by a public-listener guard, by guard (hardening, peer-policy, rate-limit) and reason.',
      labelNames: ['guard', 'reason'],
      registers: [registry],
    }),
    configReloads: new Counter({
      name: 'gateway_config_reloads_total',
      help: 'Configuration reloads (SIGHUP) by result: applied, unchanged (nothing live changed), failed (kept the running config).',
      labelNames: ['result'],
      registers: [registry],
    }),
    peerDiscoveries: new Counter({
      name: 'gateway_peer_discoveries_total',
      help: 'Peer discoveries by result: ocm, legacy, or the failure (refused, unreachable, timeout, no-document, disabled).',
      labelNames: ['result'],
      registers: [registry],
    }),
    peerDiscoveryDuration: new Histogram({
      name: 'gateway_peer_discovery_duration_seconds',
      help: 'Time one peer discovery took (every URL tried, JWKS included), by result.',
      labelNames: ['result'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
      registers: [registry],
    }),
    peerCapabilityLookups: new Counter({
      name: 'gateway_peer_capability_lookups_total',
      help: 'Peer capability lookups by cache result: hit (fresh), stale (served, refresh started), miss (discovered), negative (remembered failure).',
      labelNames: ['result'],
      registers: [registry],
    }),
    facadePeerCalls: new Counter({
      name: 'gateway_facade_peer_calls_total',
      help: 'Shares and notifications sent to peers for the backend, by call and result (delivered, relayed, queued, refused, failed).',
      labelNames: ['call', 'result'],
      registers: [registry],
    }),
    outboxDeliveries: new Counter({
      name: 'gateway_outbox_deliveries_total',
      help: 'Queued notifications handled by the outbox drainer, by result (delivered, retried, rejected, superseded, gave_up).',
      labelNames: ['result'],
      registers: [registry],
    }),
    peerOpenCircuits: new Gauge({
      name: 'gateway_peer_open_circuits',
      help: 'Peers whose discovery circuit breaker is open or half-open, as this replica last saw them.',
      registers: [registry],
      collect() {
        this.set(readOpenCircuits());
      },
    }),
    websocketTunnels: new Gauge({
      name: 'gateway_websocket_tunnels',
      help: 'WebSocket connections relayed to the backend (e.g. notify_push) open right now.',
      registers: [registry],
    }),
    websocketHandshakes: new Counter({
      name: 'gateway_websocket_handshakes_total',
      help: 'WebSocket upgrades relayed to the backend, by the status class the client got (1xx: the tunnel opened).',
      labelNames: ['status_class'],
      registers: [registry],
    }),
    websocketIdleCloses: new Counter({
      name: 'gateway_websocket_idle_closes_total',
      help: 'WebSocket tunnels the gateway closed because no byte went either way for limits.websocketIdleSeconds.',
      registers: [registry],
    }),
    setOpenCircuitsSource(read) {
      readOpenCircuits = read;
    },
  };
}
