/**
 * Notification body (POST <endPoint>/notifications, v1.0 → I-D-05; legacy-protocols §3.2), with
 * Nextcloud's `messgage` typo and reva's `SHARE_CHANGE_PERMISSION` accepted in lenient mode.
 */
import {
  NOTIFICATION_TYPE_ALIASES,
  type CanonicalNotification,
  type NotificationPayload,
} from '../../model/canonical-notification.ts';
import type { CodecMode } from '../../model/codec.ts';
import { toJsonValue, type JsonObject } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { isWireRecord, own, WireReader, type WireRecord } from './wire-reader.ts';

const PAYLOAD_KEYS = [
  'sharedSecret',
  'message',
  'messgage',
  'shareWith',
  'senderId',
  'shareType',
  'permission',
  'permissions',
];
const NOTIFICATION_KEYS = ['notificationType', 'resourceType', 'providerId', 'notification'];

function parsePayload(reader: WireReader, raw: WireRecord): NotificationPayload {
  const f = (key: string): string => `notification.${key}`;
  const sharedSecret = reader.string(raw, 'sharedSecret', f('sharedSecret'));
  let message = reader.string(raw, 'message', f('message'));
  let messageKey: 'messgage' | undefined;
  const typo = reader.string(raw, 'messgage', f('messgage'));
  if (typo !== undefined) {
    reader.quirk(f('messgage'), 'is a misspelling of message (Nextcloud)');
    if (message === undefined) {
      message = typo;
      messageKey = 'messgage';
    }
  }
  const shareWith = reader.string(raw, 'shareWith', f('shareWith'));
  // senderId is the legacy integer remoteId: a JSON number is normal here.
  const senderIdRaw = own(raw, 'senderId');
  const senderId =
    typeof senderIdRaw === 'number' && Number.isSafeInteger(senderIdRaw)
      ? String(senderIdRaw)
      : reader.string(raw, 'senderId', f('senderId'));
  const shareTypeRaw = own(raw, 'shareType');
  let shareType: string | number | undefined;
  if (
    typeof shareTypeRaw === 'string' ||
    (typeof shareTypeRaw === 'number' && Number.isFinite(shareTypeRaw))
  ) {
    shareType = shareTypeRaw;
  } else if (shareTypeRaw !== undefined && shareTypeRaw !== null) {
    reader.issue(f('shareType'), 'must be a string or a number');
  }
  let permissionsKey: 'permission' | 'permissions' | undefined;
  let permissions = reader.stringList(raw, 'permission', f('permission'));
  if (permissions !== undefined) permissionsKey = 'permission';
  else {
    permissions = reader.stringList(raw, 'permissions', f('permissions'));
    if (permissions !== undefined) permissionsKey = 'permissions';
  }
  const extra = reader.extra(raw, PAYLOAD_KEYS, 'notification');
  return {
    ...(sharedSecret !== undefined && { sharedSecret }),
    ...(message !== undefined && { message }),
    ...(messageKey !== undefined && { messageKey }),
    ...(shareWith !== undefined && { shareWith }),
    ...(senderId !== undefined && { senderId }),
    ...(shareType !== undefined && { shareType }),
    ...(permissions !== undefined && { permissions }),
    ...(permissionsKey !== undefined && { permissionsKey }),
    ...(extra !== undefined && { extra }),
  };
}

export function parseNotificationBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalNotification> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  let notificationType = reader.nonEmptyString(wire, 'notificationType', 'notificationType', {
    required: true,
  });
  let notificationTypeAlias: string | undefined;
  if (
    notificationType !== undefined &&
    Object.hasOwn(NOTIFICATION_TYPE_ALIASES, notificationType)
  ) {
    reader.quirk('notificationType', 'uses a non-spec spelling (ownCloud reva)');
    notificationTypeAlias = notificationType;
    notificationType = NOTIFICATION_TYPE_ALIASES[notificationType] ?? notificationType;
  }
  const resourceType = reader.string(wire, 'resourceType', 'resourceType', {
    required: rules.notification.resourceTypeRequired ? 'strict' : false,
  });
  const providerId = reader.nonEmptyString(wire, 'providerId', 'providerId', { required: true });
  const payloadRaw = reader.record(wire, 'notification', 'notification');
  const notification = payloadRaw === undefined ? {} : parsePayload(reader, payloadRaw);
  const extra = reader.extra(wire, NOTIFICATION_KEYS, '');
  if (reader.issues.length > 0 || notificationType === undefined || providerId === undefined) {
    return fail(reader.issues);
  }
  return succeed<CanonicalNotification>(
    {
      notificationType,
      ...(notificationTypeAlias !== undefined && { notificationTypeAlias }),
      ...(resourceType !== undefined && { resourceType }),
      providerId,
      notification,
      ...(extra !== undefined && { extra }),
    },
    reader.warnings,
  );
}

function writePayload(payload: NotificationPayload): JsonObject {
  const out: JsonObject = {};
  if (payload.sharedSecret !== undefined) out.sharedSecret = payload.sharedSecret;
  if (payload.message !== undefined) out.message = payload.message;
  if (payload.shareWith !== undefined) out.shareWith = payload.shareWith;
  if (payload.senderId !== undefined) out.senderId = payload.senderId;
  if (payload.shareType !== undefined) out.shareType = payload.shareType;
  // OC 10 and Nextcloud read the singular `permission`.
  if (payload.permissions !== undefined)
    out[payload.permissionsKey ?? 'permission'] = [...payload.permissions];
  for (const [key, value] of Object.entries(payload.extra ?? {})) {
    if (!PAYLOAD_KEYS.includes(key)) out[key] = toJsonValue(value) ?? null;
  }
  return out;
}

export function serialiseNotificationBody(
  notification: CanonicalNotification,
  rules: OcmDialectRules,
): ParseResult<JsonObject> {
  const sink = new WireReader('lenient');
  if (notification.resourceType === undefined && rules.notification.resourceTypeRequired) {
    return fail([{ field: 'resourceType', message: `is required by ${rules.id}` }]);
  }
  const out: JsonObject = { notificationType: notification.notificationType };
  if (notification.resourceType !== undefined) out.resourceType = notification.resourceType;
  out.providerId = notification.providerId;
  const payload = writePayload(notification.notification);
  if (Object.keys(payload).length > 0) out.notification = payload;
  for (const [key, value] of Object.entries(notification.extra ?? {})) {
    if (NOTIFICATION_KEYS.includes(key))
      sink.warn(`extra.${key}`, 'collides with a protocol field and was not sent');
    else out[key] = value;
  }
  return succeed(out, sink.warnings);
}
