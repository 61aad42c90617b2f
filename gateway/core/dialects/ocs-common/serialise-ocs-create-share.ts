/**
 * Canonical share → createShare form (legacy-protocols.md §1.3, fields in the order Nextcloud 14+
 * sends them). Everything OCS cannot carry is named in a warning; what it needs and lacks is an issue.
 */
import type { CanonicalShare, SerialiseResult } from '../../model/index.ts';
import { fail, succeed } from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';
import {
  formatServerUrl,
  normalizeRemoteUrl,
  parseCloudId,
  parseOwncloudAddress,
  type CloudId,
} from '../../address/index.ts';
import { writeOcsForm } from './ocs-form.ts';
import { ocsSharePath } from './ocs-share-path.ts';
import { canonicalShareTypeToOcs } from './share-type-number.ts';
import { isAlphanumeric, legacyIdNumber, NON_NUMERIC_ID_MESSAGE } from './legacy-id.ts';
import { isValidLegacyShareName } from './parse-ocs-create-share.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type { OcsFormRequest } from './ocs-codec-types.ts';

/** ownCloud 10.1+ receivers answer "Token too long" above this. */
export const OWNCLOUD_MAX_TOKEN_LENGTH = 128;

/** Reads a canonical address as a cloud id; a bare uid (no `@`) gives `{user}` only. */
export function cloudIdOf(
  value: string,
  field: string,
  issues: ValidationIssue[],
): { cloudId?: CloudId; user?: string } {
  if (!value.includes('@')) return { user: value };
  const nextcloud = parseCloudId(value, field, { lenient: true });
  if (nextcloud.ok) return { cloudId: nextcloud.value, user: nextcloud.value.user };
  const owncloud = parseOwncloudAddress(value, field);
  if (owncloud.ok) return { cloudId: owncloud.value, user: owncloud.value.user };
  issues.push(...nextcloud.issues);
  return {};
}

export function serialiseOcsCreateShare(
  share: CanonicalShare,
  rules: OcsDialectRules,
): SerialiseResult<OcsFormRequest> {
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const drop = (field: string, why = 'has no OCS field and is dropped') =>
    warnings.push({ field, message: why });

  const shareWith = cloudIdOf(share.shareWith, 'shareWith', issues).user;
  const owner = cloudIdOf(share.owner, 'owner', issues);
  const sender = cloudIdOf(share.sender, 'sender', issues);
  const webdav = share.protocols.webdav;
  const token = webdav?.sharedSecret;
  if (webdav === undefined)
    issues.push({
      field: 'protocols.webdav',
      message: 'is required: legacy shares are WebDAV only',
    });
  else if (token === undefined || token === '') {
    issues.push({
      field: 'protocols.webdav.sharedSecret',
      message: 'is required: it is the legacy share token',
    });
  } else if (rules.alphanumericIds && !isAlphanumeric(token)) {
    issues.push({
      field: 'protocols.webdav.sharedSecret',
      message: 'Pydio 8 keeps only [A-Za-z0-9]; issue an alphanumeric token alias',
    });
  } else if (token.length > OWNCLOUD_MAX_TOKEN_LENGTH) {
    warnings.push({
      field: 'protocols.webdav.sharedSecret',
      message: `is longer than ${OWNCLOUD_MAX_TOKEN_LENGTH}: ownCloud 10.1+ refuses it`,
    });
  }
  if (!isValidLegacyShareName(share.name)) {
    issues.push({
      field: 'name',
      message: 'legacy receivers refuse it: The mountpoint name contains invalid characters.',
    });
  }
  const remoteId = share.legacy?.remoteId ?? legacyIdNumber(share.providerId);
  if (remoteId === undefined || !Number.isSafeInteger(remoteId) || remoteId <= 0) {
    issues.push({ field: 'providerId', message: NON_NUMERIC_ID_MESSAGE });
  }
  const ownerUid = share.legacy?.ownerUid ?? owner.user;
  const sharedByUid = share.legacy?.sharedByUid ?? sender.user;
  const remoteSource =
    share.legacy?.remote ?? (owner.cloudId ? formatServerUrl(owner.cloudId.server) : undefined);
  const remote =
    remoteSource === undefined ? undefined : normalizeRemoteUrl(remoteSource, 'legacy.remote');
  if (remote === undefined)
    issues.push({
      field: 'legacy.remote',
      message: 'is required and cannot be derived from a bare owner uid',
    });
  else if (!remote.ok) issues.push(...remote.issues);
  const shareTypeNumber = canonicalShareTypeToOcs(share.shareType);
  if (shareTypeNumber === undefined) {
    issues.push({ field: 'shareType', message: `"${share.shareType}" has no legacy equivalent` });
  } else if (share.shareType === 'group') {
    warnings.push({
      field: 'shareType',
      message: 'legacy receivers treat every share on this endpoint as a user share',
    });
  }
  if (!['file', 'folder'].includes(share.resourceType)) {
    issues.push({
      field: 'resourceType',
      message: `"${share.resourceType}" cannot be shared over the legacy API (files and folders only)`,
    });
  }
  if (share.description !== undefined && share.description !== '') drop('description');
  if (share.expiration !== undefined) drop('expiration');
  if (share.code !== undefined) drop('code');
  if (share.ownerDisplayName !== undefined && share.ownerDisplayName !== ownerUid)
    drop('ownerDisplayName', 'legacy `owner` carries the uid; the display name is dropped');
  if (share.senderDisplayName !== undefined && share.senderDisplayName !== sharedByUid)
    drop('senderDisplayName', 'legacy `sharedBy` carries the uid; the display name is dropped');
  if (webdav?.uri !== undefined)
    drop(
      'protocols.webdav.uri',
      'legacy receivers read files at <remote>/public.php/webdav (or the discovered path)',
    );
  if ((webdav?.permissions.length ?? 0) > 0)
    drop(
      'protocols.webdav.permissions',
      'legacy receivers read permissions from the WebDAV share-permissions property',
    );
  if ((webdav?.requirements.length ?? 0) > 0)
    drop(
      'protocols.webdav.requirements',
      'legacy receivers cannot honour requirements; the gateway must',
    );
  if (share.protocols.webapp !== undefined) drop('protocols.webapp');
  if (share.protocols.ssh !== undefined) drop('protocols.ssh');
  for (const key of Object.keys(share.protocols.unknown)) drop(`protocols.${key}`);
  for (const key of Object.keys(share.extra ?? {})) drop(`extra.${key}`);
  if (ownerUid === undefined || ownerUid === '')
    issues.push({ field: 'owner', message: 'has no user part for the legacy `owner` field' });
  if (shareWith === undefined || shareWith === '')
    issues.push({
      field: 'shareWith',
      message: 'has no user part for the legacy `shareWith` field',
    });

  const zero = (
    [
      ['shareWith', shareWith],
      ['protocols.webdav.sharedSecret', token],
      ['name', share.name],
      ['owner', ownerUid],
    ] as const
  ).filter(([, value]) => value === '0');
  for (const [field] of zero) {
    issues.push({ field, message: 'is "0", which legacy receivers treat as missing' });
  }
  if (
    issues.length > 0 ||
    token === undefined ||
    remote?.ok !== true ||
    ownerUid === undefined ||
    shareWith === undefined
  ) {
    return fail(
      issues.length > 0 ? issues : [{ field: 'share', message: 'could not be serialised' }],
    );
  }
  const fields: [string, string][] = [
    ['shareWith', shareWith],
    ['token', token],
    ['name', share.name],
    ['remoteId', String(remoteId)],
    ['owner', ownerUid],
  ];
  if (rules.extendedCreateFields) {
    fields.push(
      ['ownerFederatedId', share.owner],
      ['sharedBy', sharedByUid ?? ownerUid],
      ['sharedByFederatedId', share.sender],
    );
  }
  fields.push(['remote', remote.value.url]);
  if (rules.extendedCreateFields) fields.push(['shareType', String(shareTypeNumber)]);
  return succeed(
    {
      method: 'POST',
      path: ocsSharePath(rules.version, rules.flavour),
      query: 'format=json',
      contentType: 'application/x-www-form-urlencoded',
      body: writeOcsForm(fields),
    },
    warnings,
  );
}
