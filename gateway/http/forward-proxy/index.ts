/** Public surface of the forward proxy on the internal listener (DESIGN §3, flows 3 and 4). */
export {
  createForwardProxy,
  type ForwardProxy,
  type ForwardProxyOptions,
} from './create-forward-proxy.ts';
export {
  createGatewayForwardProxy,
  type GatewayForwardProxy,
  type GatewayForwardProxyOptions,
} from './create-gateway-forward-proxy.ts';
export type { FederationHandler, FederationTarget } from './federation-handler.ts';
export { isFederationPath } from './federation-path.ts';
export { createPeerForwarder } from './peer-forwarder.ts';
export { interceptedTunnel, type InterceptedTunnel } from './intercepted-connections.ts';
