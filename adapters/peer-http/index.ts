/** Public surface of the guarded peer HTTP client (every outgoing call to a peer). */
export { createPeerHttpClient } from './create-peer-http-client.ts';
export { defaultPeerLookup } from './default-peer-lookup.ts';
export { PEER_HTTP_DEFAULTS } from './peer-http-settings.ts';
export {
  PeerRequestError,
  type PeerFailure,
  type PeerRequestErrorDetails,
} from './peer-request-error.ts';
export type {
  PeerExpect,
  PeerHttpClient,
  PeerHttpClientOptions,
  PeerJsonResponse,
  PeerLookup,
  PeerRequest,
  PeerRequestBody,
  PeerResponseBase,
  PeerResponseByExpect,
  PeerStreamResponse,
  PeerTextResponse,
  ResolvedAddress,
} from './peer-http-types.ts';
