/** The one place the process environment is read: hands it to loadConfig. */
import { loadConfig } from './load-config.ts';
import type { GatewayConfig } from './gateway-config.ts';

export function loadConfigFromProcess(): GatewayConfig {
  return loadConfig({ env: process.env });
}
