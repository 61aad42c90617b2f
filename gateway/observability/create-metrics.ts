/** Every Prometheus metric of the gateway, defined in this one file on a registry of its own. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'listener' | 'route' | 'status_class' | 'method'>;
  readonly upstreamErrors: Counter<'listener' | 'kind'>;
  readonly storeErrors: Counter<'store' | 'operation'>;
}

export function createMetrics(options: { collectDefaults?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.collectDefaults ?? true) collectDefaultMetrics({ register: registry });
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
  };
}
