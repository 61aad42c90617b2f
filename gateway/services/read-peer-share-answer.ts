/**
 * The peer's answer as the backend gets it (flow 3): headers filtered, Location mapped into the
 * facade, a Basic challenge on 401, and a 207 body streamed through the href rewriter; and the
 * backend's Destination mapped onto the peer (RFC 4918 §10.3).
 */
import { pipeline } from 'node:stream';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { peerHrefToFacade, rebasePath } from '../core/peer-webdav/rebase-path.ts';
import { shareTargetUrl } from '../core/peer-webdav/share-target.ts';
import { headersToBackend, headerValue } from '../core/peer-webdav/webdav-headers.ts';
import type { ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import type { PeerStreamResponse } from '../ports/peer-http.ts';
import type { PeerShareResponse } from './read-peer-share.ts';
import { hrefRewritingStream } from './read-peer-share-body.ts';

export interface AnswerContext {
  readonly record: ShareRecord;
  /** The share root on the peer (absolute URL). */
  readonly peerBase: string;
  /** The mount path the backend used. */
  readonly mountPath: string;
  readonly method: string;
}

export function peerAnswerToBackend(
  response: PeerStreamResponse,
  context: AnswerContext,
  deps: { readonly logger: Logger; readonly maxHrefCarry: number },
): PeerShareResponse {
  const headers = headersToBackend(response.headers);
  for (const name of ['location', 'content-location'] as const) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    // A peer URL outside the share would send the backend to the peer directly: drop it.
    const mapped = peerHrefToFacade(value, context.peerBase, context.mountPath);
    if (mapped !== undefined) headers[name] = mapped;
    else if (name === 'location') delete headers.location;
    else delete headers['content-location'];
  }
  if (response.status === 401) {
    headers['www-authenticate'] = `Basic realm="${context.record.peerHost}", charset="UTF-8"`;
  }
  const encoding = headerValue(response.headers, 'content-encoding') ?? 'identity';
  if (
    response.status !== 207 ||
    context.method === 'HEAD' ||
    encoding.toLowerCase() !== 'identity'
  ) {
    if (response.status === 207 && encoding.toLowerCase() !== 'identity') {
      deps.logger.warn('a compressed 207 from the peer passes unrewritten', {
        shareId: context.record.id,
      });
    }
    return { status: response.status, headers, body: response.body };
  }
  delete headers['content-length'];
  const rewrite = hrefRewritingStream(
    (href) => peerHrefToFacade(href, context.peerBase, context.mountPath),
    deps.maxHrefCarry,
    (stats) => {
      if (stats.overflowed > 0) {
        deps.logger.warn('207 hrefs too long to rewrite were passed unchanged', {
          shareId: context.record.id,
          count: stats.overflowed,
        });
      }
    },
  );
  const body = pipeline(response.body, rewrite, () => undefined);
  return { status: 207, headers, body };
}

/** The backend's Destination (a facade URL) as the same place on the peer. */
export function mapDestination(value: string, mountPath: string, peerBase: string): string {
  let path = value;
  try {
    path = new URL(value, 'http://facade.invalid').pathname;
  } catch {
    // Not a URL: treated as a path, and refused below if it is not under the mount.
  }
  const peerPath = new URL(peerBase).pathname;
  const mapped = rebasePath(path, mountPath, peerPath);
  const below =
    mapped === undefined ? undefined : mapped.slice(peerPath.replace(/\/+$/, '').length);
  const target = below === undefined ? undefined : shareTargetUrl(peerBase, below);
  if (target?.ok !== true) {
    throw new GatewayError('INVALID_REQUEST', 'Destination must be inside the same share.', {
      issues: [{ field: 'Destination', message: 'is not below the share the request names' }],
    });
  }
  return target.value;
}
