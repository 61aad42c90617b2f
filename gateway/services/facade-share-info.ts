/**
 * `shareinfo` on the facade (legacy-protocols §1.10): old receivers DELETE a share when this
 * probe fails after a WebDAV hiccup, so every live share the backend received from the peer gets
 * a 200. A legacy peer is asked itself (its answer relayed, as the backend would have got it);
 * for a modern peer, which has no such call, the gateway answers with what the ledger knows —
 * id, name and read permission, no size or type it cannot vouch for. Only a token unknown to the
 * ledger (or of an ended share) is a 404, which is then the truth.
 */
import { SHARE_INFO_PATH, type ShareInfoData } from '../core/dialects/ocs-common/share-info.ts';
import { GatewayError, toGatewayError } from '../core/errors/gateway-error.ts';
import { isDialectId, isOcmDialect } from '../core/model/dialect-id.ts';
import type { ShareLedger } from '../ports/ledger.ts';
import type { PeerResolver } from './send-peer-notification.ts';
import type { PeerSender } from './send-to-peer.ts';

export interface FacadeShareInfoDeps {
  readonly shares: Pick<ShareLedger, 'findBySecret'>;
  readonly resolver: PeerResolver;
  readonly sender: PeerSender;
}

export type FacadeShareInfo =
  | { readonly kind: 'info'; readonly data: ShareInfoData }
  | { readonly kind: 'relayed'; readonly status: number; readonly body: string }
  | { readonly kind: 'unknown' };

export interface ShareInfoRequest {
  /** The peer's key in the ledger. */
  readonly peerHost: string;
  /** How to reach it (a URL with scheme and sub-path on the proxy door). */
  readonly peer: string;
  readonly token: string;
  readonly password: string;
}

export type LookUpShareInfo = (request: ShareInfoRequest) => Promise<FacadeShareInfo>;

export function createFacadeShareInfo(deps: FacadeShareInfoDeps): LookUpShareInfo {
  /** The legacy peer's own answer, or undefined when the peer is not a legacy server. */
  async function askLegacyPeer(request: ShareInfoRequest): Promise<FacadeShareInfo | undefined> {
    let resolved;
    try {
      resolved = await deps.resolver.resolve(request.peer);
    } catch (error) {
      throw unavailable(error);
    }
    if (resolved.capabilities.family !== 'legacy') return undefined;
    const base = resolved.capabilities.baseUrl.replace(/\/+$/, '');
    try {
      const response = await deps.sender.post({
        url: `${base}${SHARE_INFO_PATH}?t=${encodeURIComponent(request.token)}`,
        body: new URLSearchParams({ password: request.password }).toString(),
        contentType: 'application/x-www-form-urlencoded',
        scheme: 'unsigned',
      });
      return { kind: 'relayed', status: response.status, body: response.text };
    } catch (error) {
      throw unavailable(error);
    }
  }

  return async (request) => {
    const record = await deps.shares.findBySecret(request.token);
    const ours = record?.direction === 'incoming' && record.peerHost === request.peerHost;
    if (record === undefined || !ours) {
      // A share that reached the backend without the gateway (through the forward proxy, or from
      // before it): only a legacy peer can vouch for it; for anyone else the token is unknown.
      return (await askLegacyPeer(request)) ?? { kind: 'unknown' };
    }
    if (record.state === 'declined' || record.state === 'unshared') return { kind: 'unknown' };
    const dialect = record.dialects.peer;
    if (isDialectId(dialect) && !isOcmDialect(dialect)) {
      const relayed = await askLegacyPeer(request);
      if (relayed !== undefined) return relayed;
    }
    return {
      kind: 'info',
      data: {
        id: record.alias,
        mtime: Math.floor(record.updatedAt / 1000),
        name: record.resourceName,
        permissions: 1,
        mimetype: 'application/octet-stream',
        size: 0,
        type: 'file',
        etag: record.id,
      },
    };
  };
}

/** Anything but 401/403/404 makes the receiver wait instead of deleting the share. */
function unavailable(error: unknown): GatewayError {
  return new GatewayError('UNAVAILABLE', 'The peer cannot be asked right now.', {
    retryAfterSeconds: 60,
    cause: toGatewayError(error),
  });
}
