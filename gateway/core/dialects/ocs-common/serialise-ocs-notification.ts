/**
 * Canonical notification → legacy call `POST /cloud/shares/{id}/{action}` (legacy-protocols.md
 * §1.4–1.8). RESHARE_UNDO always goes to `/revoke` (never Nextcloud's `reshare_undo`).
 */
import type { CanonicalNotification, SerialiseResult } from '../../model/index.ts';
import { fail, NOTIFICATION_TYPE_ALIASES, SHARE_PERMISSIONS, succeed } from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';
import {
  ALL_PERMISSION_BITS,
  permissionNamesToBits,
  readPermissionNames,
} from '../../permissions/index.ts';
import { notificationToOcsAction } from './ocs-actions.ts';
import { legacyIdNumber, NON_NUMERIC_ID_MESSAGE } from './legacy-id.ts';
import { writeOcsForm } from './ocs-form.ts';
import { ocsSharePath } from './ocs-share-path.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type {
  LegacyCanonicalNotification,
  OcsCodecOptions,
  OcsFormRequest,
} from './ocs-codec-types.ts';

export function serialiseOcsNotification(
  value: CanonicalNotification,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): SerialiseResult<OcsFormRequest> {
  const notification: LegacyCanonicalNotification = value;
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const type =
    NOTIFICATION_TYPE_ALIASES[notification.notificationType] ?? notification.notificationType;
  const action = notificationToOcsAction(type);
  if (action === undefined || !rules.actions.includes(action)) {
    return fail([
      { field: 'notificationType', message: `"${type}" has no call in ${rules.title}` },
    ]);
  }
  if (legacyIdNumber(notification.providerId) === undefined) {
    issues.push({ field: 'providerId', message: NON_NUMERIC_ID_MESSAGE });
  }
  const payload = notification.notification;
  const token = payload.sharedSecret;
  if (token === undefined || token === '') {
    issues.push({
      field: 'notification.sharedSecret',
      message: 'is required: legacy calls authenticate with the share token',
    });
  }
  const fields: [string, string][] = [['token', token ?? '']];
  const legacy = notification.legacy;
  const bits = (): number | undefined => {
    if (legacy?.permissionBits !== undefined) return legacy.permissionBits;
    if (payload.permissions === undefined) return undefined;
    const read = readPermissionNames(payload.permissions, options.mode !== 'strict');
    if (read.unknown.length > 0) {
      const message = `values other than ${SHARE_PERMISSIONS.join('/')} are dropped: ${read.unknown.join(', ').slice(0, 80)}`;
      (options.mode === 'strict' ? issues : warnings).push({
        field: 'notification.permissions',
        message,
      });
    }
    return permissionNamesToBits(read.names);
  };
  const used = new Set(['sharedSecret', 'permissionsKey', 'messageKey']);
  if (action === 'reshare') {
    used.add('shareWith').add('senderId').add('permissions');
    if (payload.shareWith === undefined)
      issues.push({
        field: 'notification.shareWith',
        message: 'is required for a reshare request',
      });
    const senderId = payload.senderId;
    if (senderId === undefined || legacyIdNumber(senderId) === undefined) {
      issues.push({
        field: 'notification.senderId',
        message: `is required for a reshare request and ${NON_NUMERIC_ID_MESSAGE}`,
      });
    }
    let permission = bits();
    if (permission === undefined) {
      permission = ALL_PERMISSION_BITS;
      warnings.push({
        field: 'notification.permissions',
        message: 'not given: sent 31; the owner masks it with the original share permissions',
      });
    }
    fields.push(
      ['shareWith', payload.shareWith ?? ''],
      ['permission', String(permission)],
      ['remoteId', senderId ?? ''],
    );
  } else if (action === 'permissions') {
    used.add('permissions');
    const permissions = bits();
    if (permissions === undefined)
      issues.push({
        field: 'notification.permissions',
        message: 'is required for a permission change',
      });
    fields.push(['permissions', String(permissions ?? 0)]);
  } else if ((action === 'accept' || action === 'decline') && legacy?.remoteId !== undefined) {
    fields.push(['remoteId', legacy.remoteId]);
  }
  for (const [key, present] of Object.entries(payload)) {
    if (present !== undefined && !used.has(key))
      warnings.push({
        field: `notification.${key}`,
        message: 'has no field in the legacy call and is dropped',
      });
  }
  if (issues.length > 0) return fail(issues);
  return succeed(
    {
      method: 'POST',
      path: ocsSharePath(rules.version, rules.flavour, notification.providerId, action),
      query: 'format=json',
      contentType: 'application/x-www-form-urlencoded',
      body: writeOcsForm(fields),
    },
    warnings,
  );
}
