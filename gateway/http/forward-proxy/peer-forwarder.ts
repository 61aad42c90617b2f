/**
 * Sends a proxied request on unchanged to the host the backend addressed, through the guarded
 * peer client (SSRF guard, pinned addresses, timeouts), streaming the body both ways. The
 * default federation handler, and what non-federation traffic gets when policy allows it.
 */
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream';
import type { PeerHttpClient } from '../../ports/peer-http.ts';
import { withoutHopByHop } from '../passthrough/hop-by-hop.ts';
import type { FederationHandler } from './federation-handler.ts';

type HeaderValue = string | readonly string[];

function requestHeaders(req: Request): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(withoutHopByHop(req.headers))) {
    if (value === undefined || name === 'host') continue;
    out[name] = value;
  }
  return out;
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function createPeerForwarder(client: PeerHttpClient): FederationHandler {
  return async (req: Request, res: Response, target) => {
    const url = `${target.scheme}://${target.peerHost}${req.url}`;
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    const answer = await client.request({
      method: req.method,
      url,
      headers: requestHeaders(req),
      body: hasBody(req) ? req : undefined,
      expect: 'stream',
      followRedirects: false,
      signal: controller.signal,
    });
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(withoutHopByHop(answer.headers))) {
      if (value !== undefined) headers[name] = typeof value === 'string' ? value : [...value];
    }
    res.writeHead(answer.status, headers);
    await new Promise<void>((resolve) => {
      pipeline(answer.body, res, () => {
        res.off('close', onClose);
        resolve();
      });
    });
  };
}
