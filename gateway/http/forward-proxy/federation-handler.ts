/**
 * The seam between the forward proxy and the facade: a federation call the backend sent through
 * the proxy, handed to the same code that serves `/peers/<host>/…` (DESIGN §3, flows 3 and 4).
 */
import type { Request, Response } from 'express';

export interface FederationTarget {
  /**
   * The peer the backend addressed, as a URL authority: lower-case host, IPv6 in brackets, and
   * `:port` only when it is not the scheme's default (`peer.example`, `peer.example:8443`).
   */
  readonly peerHost: string;
  readonly scheme: 'http' | 'https';
  /** The path on the peer, without the query; `req.url` holds path + query (origin-form). */
  readonly path: string;
}

/**
 * Serves one intercepted federation call. `req.url` and `req.originalUrl` are origin-form (path +
 * query, as on the peer), headers are the backend's (Host names the peer), and the body is
 * unread. A rejection goes to the internal app's error responder (or cuts the response if its
 * head was already sent).
 */
export type FederationHandler = (
  req: Request,
  res: Response,
  target: FederationTarget,
) => void | Promise<void>;
