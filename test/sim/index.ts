/** Entry point for the e2e tests and the demo: simulated legacy servers, simulated OCM peers and a
 * tiny forward proxy, all on loopback, independent of the gateway's code. */
export {
  startLegacyServer,
  LegacyServer,
  type LegacyServerOptions,
} from './legacy/legacy-server.ts';
export type { LegacyFlavour } from './legacy/legacy-flavours.ts';
export type { OwnerShare, ReceivedShare } from './legacy/legacy-state.ts';
export type { SendResult } from './legacy/legacy-sender.ts';
export type { ReshareRequest } from './legacy/legacy-callbacks.ts';
export {
  startOcmPeer,
  OcmPeer,
  type OcmPeerOptions,
  type ShareRequest,
  type PeerSendResult,
} from './ocm-peer/ocm-peer.ts';
export type { OcmVersion } from './ocm-peer/ocm-peer-versions.ts';
export type { SentShare, ReceivedOcmShare } from './ocm-peer/ocm-peer-state.ts';
export { startTinyForwardProxy, type TinyForwardProxy } from './common/tiny-forward-proxy.ts';
export {
  OutgoingClient,
  type OutgoingAttempt,
  type OutgoingResponse,
} from './common/outgoing-http.ts';
export type { SimRequest } from './common/sim-http-server.ts';
export { signRfc9421, verifyRfc9421, signatureBase } from './ocm-peer/message-signature.ts';
export { signCavage, verifyCavage, cavageSigningString } from './ocm-peer/cavage-signature.ts';
export {
  contentDigest,
  checkContentDigest,
  legacyDigest,
  checkLegacyDigest,
} from './ocm-peer/body-digest.ts';
