/**
 * What the backend can take, checked before anything is recorded: its resource and share types
 * (else 501, as OCM servers answer unsupported types), and a WebDAV protocol with a secret, or
 * (1.2 peers) a `code` to exchange — the backend then gets a token the gateway makes, and the
 * facade exchanges the code when the backend reads the files (flow 3).
 */
import type { BackendProfile } from '../core/backend/index.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { CanonicalShare } from '../core/model/canonical-share.ts';
import type { ShareProtocolDetails } from '../ports/ledger.ts';

export interface ShareAccess {
  /** The peer's secret; undefined when it offered a code only. */
  readonly peerSecret: string | undefined;
  /** What flow 3 needs to reach the peer's WebDAV, when there is more than the secret. */
  readonly protocol: ShareProtocolDetails | undefined;
}

function protocolDetails(share: CanonicalShare): ShareProtocolDetails | undefined {
  const webdav = share.protocols.webdav;
  const details: ShareProtocolDetails = {
    ...(webdav?.uri !== undefined && webdav.uri !== '' && { webdavUri: webdav.uri }),
    ...(webdav !== undefined &&
      webdav.requirements.length > 0 && { requirements: [...webdav.requirements] }),
    ...(share.code !== undefined && share.code !== '' && { code: share.code }),
  };
  return Object.keys(details).length > 0 ? details : undefined;
}

/** Throws the refusal naming the field, or says how the share's data is reached. */
export function checkBackendTakesShare(
  share: CanonicalShare,
  profile: BackendProfile,
): ShareAccess {
  if (!profile.resourceTypes.includes(share.resourceType)) {
    throw new GatewayError(
      'NOT_IMPLEMENTED',
      `Resource type "${share.resourceType}" is not supported.`,
      {
        issues: [
          { field: 'resourceType', message: `is not one of ${profile.resourceTypes.join(', ')}` },
        ],
      },
    );
  }
  if (!profile.shareTypes.includes(share.shareType)) {
    throw new GatewayError('NOT_IMPLEMENTED', `Share type "${share.shareType}" is not supported.`, {
      issues: [{ field: 'shareType', message: `is not one of ${profile.shareTypes.join(', ')}` }],
    });
  }
  const webdav = share.protocols.webdav;
  if (webdav === undefined) {
    throw new GatewayError('NOT_IMPLEMENTED', 'Only WebDAV shares can be received here.', {
      issues: [{ field: 'protocols.webdav', message: 'is required by this server' }],
    });
  }
  const secret = webdav.sharedSecret;
  const hasSecret = secret !== undefined && secret !== '';
  if (!hasSecret && (share.code === undefined || share.code === '')) {
    throw new GatewayError('INVALID_REQUEST', 'The WebDAV protocol has no sharedSecret.', {
      issues: [{ field: 'protocols.webdav.sharedSecret', message: 'is required (or a code)' }],
    });
  }
  return { peerSecret: hasSecret ? secret : undefined, protocol: protocolDetails(share) };
}
