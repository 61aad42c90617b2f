/**
 * What the backend can take, checked before anything is recorded: its resource and share types
 * (else 501, as OCM servers answer unsupported types), and a WebDAV protocol with a secret —
 * the legacy token the backend will mount the share with.
 */
import type { BackendProfile } from '../core/backend/index.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { CanonicalShare } from '../core/model/canonical-share.ts';

/** Returns the share's WebDAV secret, or throws the refusal naming the field. */
export function checkBackendTakesShare(share: CanonicalShare, profile: BackendProfile): string {
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
  if (secret === undefined || secret === '') {
    if (share.code !== undefined) {
      throw new GatewayError('NOT_IMPLEMENTED', 'Shares offered by code only are not supported.', {
        issues: [{ field: 'protocols.webdav.sharedSecret', message: 'is required by this server' }],
      });
    }
    throw new GatewayError('INVALID_REQUEST', 'The WebDAV protocol has no sharedSecret.', {
      issues: [{ field: 'protocols.webdav.sharedSecret', message: 'is required' }],
    });
  }
  return secret;
}
