/** The facade (DESIGN §1, §3): how each peer is presented to the backend under `/peers/<host>/`. */
export { normalisePeerHost, peerHostOf, peerPathOf } from './peer-host.ts';
export {
  facadeUrlFor,
  matchFacadePath,
  FACADE_PEERS_SEGMENT,
  type FacadePath,
} from './facade-url.ts';
export { defaultFacadeBaseUrl, type FacadeBaseInput } from './default-facade-base-url.ts';
