/**
 * Settings that start fine but bite later, said once at start-up. With shared state (Redis) the
 * gateway is meant to run as several replicas; then the address the backends are given for the
 * facade (`remote` of every share, their callbacks, their WebDAV reads) must reach whichever
 * replica is up, not the loopback address of the one that happened to record the share.
 */
import type { GatewayConfig } from '../../config/gateway-config.ts';

export interface DeploymentWarning {
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export function deploymentWarnings(config: GatewayConfig): DeploymentWarning[] {
  if (config.state.kind !== 'redis') return [];
  return config.backends
    .filter((backend) => !backend.modern && backend.facadeBaseUrl === undefined)
    .map((backend) => ({
      message:
        'shared state but no facade.baseUrl: backends are given this replica’s own internal address; set it to the address (load balancer, Service) that reaches every replica’s internal listener',
      fields: { backend: backend.id, internalPort: backend.internalPort },
    }));
}
