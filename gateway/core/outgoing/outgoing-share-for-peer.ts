/**
 * Flow 4 (DESIGN §3, issue 9 item 4): the share the backend sent in its legacy form, as the
 * canonical share a modern peer gets — recipient at the peer's real host, owner and sender as
 * addresses on the gateway's public host, the WebDAV location and secret pointing at the
 * gateway's public WebDAV (the secret is the backend's own token), the peer's criteria honoured.
 */
import type { ValidationIssue } from '../errors/validation-issue.ts';
import type { CanonicalShare, SharePermission } from '../model/canonical-share.ts';
import type { DialectId } from '../model/dialect-id.ts';
import { fail, succeed, type ParseResult } from '../model/parse-result.ts';
import {
  addressForPeer,
  userOfAddress,
  type AddressContext,
  type AddressStyle,
} from './outgoing-address.ts';

export interface OutgoingShareInput {
  /** As parsed from the backend's createShare (OCS form, or early-OCM JSON). */
  readonly share: CanonicalShare;
  /** `host[:port]` of the peer the backend addressed. */
  readonly peerHost: string;
  /** The dialect chosen for the peer. */
  readonly dialect: DialectId;
  /** The peer's normalised criteria (`must-exchange-token`, …). */
  readonly criteria: readonly string[];
  readonly addresses: AddressContext;
  /** Absolute URL of the gateway's public WebDAV root for the backend's shares. */
  readonly webdavUrl: string;
  /**
   * What the backend grants, read from its WebDAV (`outgoingPermissionNames`); used when the
   * backend's call names none (legacy and early-OCM calls never do).
   */
  readonly permissions?: readonly SharePermission[];
}

/** Nothing known about the share's permissions: read is the floor. */
const FLOOR_PERMISSIONS: readonly SharePermission[] = ['read'];

/** OCM 1.2+ addresses carry no path; older dialects keep a sub-path install's path. */
export function addressStyleFor(dialect: DialectId): AddressStyle {
  return dialect === 'ocm-1.2' || dialect === 'ocm-1.3' ? 'ocm' : 'ocm-with-path';
}

export function outgoingShareForPeer(input: OutgoingShareInput): ParseResult<CanonicalShare> {
  const { share, addresses } = input;
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const style = addressStyleFor(input.dialect);
  const owner = addressForPeer(share.owner, addresses, style);
  const sender = addressForPeer(share.sender, addresses, style);
  if (owner === undefined || sender === undefined) {
    issues.push({ field: 'publicUrl', message: 'is not a usable URL' });
  }
  const secret = share.protocols.webdav?.sharedSecret;
  if (secret === undefined || secret === '') {
    issues.push({ field: 'token', message: 'is required: it becomes the WebDAV shared secret' });
  }
  const user = userOfAddress(share.shareWith);
  if (user === '') issues.push({ field: 'shareWith', message: 'has no user part' });
  if (share.providerId === '') issues.push({ field: 'remoteId', message: 'is required' });
  if (issues.length > 0 || owner === undefined || sender === undefined || secret === undefined) {
    return fail(issues);
  }
  const given = share.protocols.webdav?.permissions ?? [];
  const requirements = input.criteria.includes('must-exchange-token')
    ? ['must-exchange-token']
    : [];
  for (const key of ['webapp', 'ssh'] as const) {
    if (share.protocols[key] !== undefined)
      warnings.push({ field: `protocols.${key}`, message: 'is not offered through the gateway' });
  }
  if (share.extra !== undefined) {
    warnings.push({ field: 'extra', message: 'backend-specific fields are not passed on' });
  }
  return succeed(
    {
      providerId: share.providerId,
      shareWith: `${user}@${input.peerHost}`,
      name: share.name,
      ...(share.description !== undefined && share.description !== ''
        ? { description: share.description }
        : {}),
      owner,
      ...(share.ownerDisplayName === undefined ? {} : { ownerDisplayName: share.ownerDisplayName }),
      sender,
      ...(share.senderDisplayName === undefined
        ? {}
        : { senderDisplayName: share.senderDisplayName }),
      shareType: share.shareType,
      resourceType: share.resourceType,
      ...(share.expiration === undefined ? {} : { expiration: share.expiration }),
      protocols: {
        webdav: {
          uri: input.webdavUrl,
          sharedSecret: secret,
          permissions:
            given.length > 0
              ? given
              : input.permissions !== undefined && input.permissions.length > 0
                ? [...input.permissions]
                : FLOOR_PERMISSIONS,
          requirements,
        },
        unknown: {},
      },
    },
    warnings,
  );
}
