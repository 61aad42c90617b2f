/**
 * Legacy share-update calls `POST /cloud/shares/{id}/{action}` → canonical notification
 * (legacy-protocols.md §1.4–1.8, §3.3): accept, decline, unshare, reshare, permissions, revoke,
 * and Nextcloud's `reshare_undo` (lenient) as revoke. `move` has its own codec (no OCM equivalent).
 */
import type { JsonObject, NotificationPayload, ParseResult } from '../../model/index.ts';
import { fail } from '../../model/index.ts';
import { parseCloudId } from '../../address/index.ts';
import { permissionBitsToNames, ALL_PERMISSION_BITS } from '../../permissions/index.ts';
import { isRequestWrapper, OcsFieldReader, readOcsForm } from './ocs-form.ts';
import { matchOcsSharePath } from './ocs-share-path.ts';
import {
  isOcsNotificationAction,
  NEXTCLOUD_RESHARE_UNDO_ACTION,
  OCS_ACTION_TO_NOTIFICATION,
  type OcsNotificationAction,
} from './ocs-actions.ts';
import { legacyIdNumber } from './legacy-id.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type { LegacyCanonicalNotification, OcsCodecOptions } from './ocs-codec-types.ts';

/**
 * The wire of one call: `{path, body}` (path as received, sub-path allowed) or `{id, action, body}`.
 */
export interface OcsCallInput {
  readonly path?: string;
  readonly id?: string;
  readonly action?: string;
  readonly body: unknown;
}

export interface OcsCallTarget {
  readonly id: string;
  readonly action: string;
}

/** Finds id and action of a call from its path or explicit fields. */
export function readCallTarget(wire: unknown): ParseResult<OcsCallTarget & { body: unknown }> {
  if (!isRequestWrapper(wire)) {
    return fail([{ field: 'request', message: 'must be {path, body} or {id, action, body}' }]);
  }
  const { path, id, action, body } = wire;
  if (typeof path === 'string') {
    const matched = matchOcsSharePath(path.split('?')[0] ?? '');
    if (matched?.id === undefined || matched.action === undefined) {
      return fail([
        { field: 'path', message: 'is not /ocs/v{1,2}.php/cloud/shares/{id}/{action}' },
      ]);
    }
    return { ok: true, value: { id: matched.id, action: matched.action, body }, warnings: [] };
  }
  if (typeof id !== 'string' || id === '' || typeof action !== 'string' || action === '') {
    return fail([{ field: 'id', message: 'id and action are required when no path is given' }]);
  }
  return { ok: true, value: { id, action, body }, warnings: [] };
}

/** ctype_digit: a non-empty run of decimal digits ("0" included: no permissions is a value). */
function readBits(r: OcsFieldReader, key: string): number | undefined {
  const text = r.optional(key);
  if (text === undefined) {
    r.issue(key, 'is required: a decimal permission bitmask');
    return undefined;
  }
  if (!/^[0-9]{1,10}$/.test(text)) {
    r.issue(key, 'must be a decimal permission bitmask (ctype_digit)');
    return undefined;
  }
  const bits = Number(text);
  if (bits > ALL_PERMISSION_BITS)
    r.quirk(key, `${bits} has bits above 31 (1 read, 2 update, 4 create, 8 delete, 16 share)`);
  return bits & ALL_PERMISSION_BITS;
}

export function parseOcsNotification(
  wire: unknown,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): ParseResult<LegacyCanonicalNotification> {
  const target = readCallTarget(wire);
  if (!target.ok) return target;
  const form = readOcsForm(target.value.body);
  if (!form.ok) return form;
  const r = new OcsFieldReader(form.value, options.mode ?? 'lenient');
  const { id } = target.value;
  let action = target.value.action;
  let legacyAction: string | undefined;
  if (action === NEXTCLOUD_RESHARE_UNDO_ACTION) {
    r.quirk('action', "reshare_undo is Nextcloud's name for revoke (no server has this route)");
    legacyAction = action;
    action = 'revoke';
  }
  if (action === 'move')
    return fail([{ field: 'action', message: 'move has no OCM notification; use the move codec' }]);
  if (!isOcsNotificationAction(action) || !rules.actions.includes(action)) {
    return fail([
      { field: 'action', message: `"${action.slice(0, 30)}" is not a call of ${rules.title}` },
    ]);
  }
  if (legacyIdNumber(id) === undefined)
    r.quirk('id', 'is not a positive integer (legacy share ids are integers)');
  if (id.includes('/')) r.issue('id', 'must not contain "/"');

  const sharedSecret = r.required('token');
  const payload: { -readonly [K in keyof NotificationPayload]: NotificationPayload[K] } = {};
  if (sharedSecret !== undefined) payload.sharedSecret = sharedSecret;
  let permissionBits: number | undefined;
  let remoteId: string | undefined;
  const a: OcsNotificationAction = action;
  if (a === 'reshare') {
    const shareWith = r.required('shareWith');
    if (shareWith !== undefined) {
      const parsed = parseCloudId(shareWith, 'shareWith', { lenient: r.mode === 'lenient' });
      if (parsed.ok) payload.shareWith = shareWith;
      else r.issues.push(...parsed.issues);
    }
    permissionBits = readBits(r, 'permission');
    const requester = r.required('remoteId');
    if (requester !== undefined) {
      if (legacyIdNumber(requester) === undefined) r.quirk('remoteId', 'is not a positive integer');
      payload.senderId = requester;
    }
  } else if (a === 'permissions') {
    permissionBits = readBits(r, 'permissions');
  } else if (a === 'accept' || a === 'decline') {
    remoteId = r.optional('remoteId');
  }
  if (permissionBits !== undefined) payload.permissions = permissionBitsToNames(permissionBits);
  // OC 9.0 put format=json into the unshare body; it is transport, not data.
  const extra: JsonObject = Object.fromEntries(r.unread(['format']));
  if (Object.keys(extra).length > 0) payload.extra = extra;
  const legacy = {
    ...(permissionBits === undefined ? {} : { permissionBits }),
    ...(remoteId === undefined ? {} : { remoteId }),
    ...(legacyAction === undefined ? {} : { action: legacyAction }),
  };
  return r.result({
    notificationType: OCS_ACTION_TO_NOTIFICATION[a],
    resourceType: 'file',
    providerId: id,
    notification: payload,
    ...(Object.keys(legacy).length > 0 ? { legacy } : {}),
  });
}
