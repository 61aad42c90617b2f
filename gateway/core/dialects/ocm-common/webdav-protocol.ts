/** The `webdav` protocol object of a share (v1.1 → I-D-05 §Share Creation, "Protocol details for webdav"). */
import {
  ACCESS_TYPES,
  SHARE_PERMISSIONS,
  type AccessType,
  type SharePermission,
  type WebdavProtocol,
} from '../../model/canonical-share.ts';
import type { JsonObject } from '../../model/json-value.ts';
import { normaliseRequirements } from './capability-names.ts';
import type { OcmShareRules } from './ocm-dialect-rules.ts';
import type { WireReader, WireRecord } from './wire-reader.ts';

const WEBDAV_KEYS = ['uri', 'sharedSecret', 'permissions', 'requirements', 'accessTypes', 'size'];

export function parseWebdavObject(
  reader: WireReader,
  raw: WireRecord,
  rules: OcmShareRules,
  legacyOptions: { readonly sharedSecret?: string; readonly rest?: JsonObject },
): WebdavProtocol {
  const field = 'protocol.webdav';
  const required = rules.webdavUriAndSecretRequired;
  const uri = reader.string(raw, 'uri', `${field}.uri`, { required: required ? 'strict' : false });
  let sharedSecret = reader.string(raw, 'sharedSecret', `${field}.sharedSecret`);
  if (legacyOptions.sharedSecret !== undefined) {
    if (sharedSecret !== undefined && sharedSecret !== legacyOptions.sharedSecret) {
      reader.warn(
        `${field}.sharedSecret`,
        'differs from protocol.options.sharedSecret; the webdav one is used',
      );
    }
    sharedSecret ??= legacyOptions.sharedSecret;
  }
  if (required && sharedSecret === undefined)
    reader.missing(`${field}.sharedSecret`, { required: 'strict' });
  const permissions = (reader.stringList(raw, 'permissions', `${field}.permissions`, {
    allowed: SHARE_PERMISSIONS,
  }) ?? []) as SharePermission[];
  const requirementsRaw = reader.stringList(raw, 'requirements', `${field}.requirements`);
  if (requirementsRaw?.length === 0 && reader.strict) {
    reader.issue(`${field}.requirements`, 'must not be empty when present');
  }
  const accessTypes = reader.stringList(raw, 'accessTypes', `${field}.accessTypes`, {
    allowed: ACCESS_TYPES,
  }) as AccessType[] | undefined;
  const size = reader.integer(raw, 'size', `${field}.size`);
  const extra = reader.extra(raw, WEBDAV_KEYS, field);
  return {
    ...(uri !== undefined && { uri }),
    ...(sharedSecret !== undefined && { sharedSecret }),
    permissions,
    requirements: normaliseRequirements(requirementsRaw ?? []),
    ...(accessTypes !== undefined && { accessTypes }),
    ...(size !== undefined && { size }),
    ...(legacyOptions.rest !== undefined && { legacyOptions: legacyOptions.rest }),
    ...(extra !== undefined && { extra }),
  };
}

/** `protocol.options` (v1.0 form): `sharedSecret` plus opaque keys kept as legacyOptions. */
export function parseWebdavOptions(
  reader: WireReader,
  options: WireRecord,
): { sharedSecret?: string; rest?: JsonObject } {
  const sharedSecret = reader.string(options, 'sharedSecret', 'protocol.options.sharedSecret');
  const rest = reader.extra(options, ['sharedSecret'], 'protocol.options');
  return {
    ...(sharedSecret !== undefined && { sharedSecret }),
    ...(rest !== undefined && { rest }),
  };
}

/** The typed `webdav` object for dialects that have one; drops (with a warning) what the dialect lacks. */
export function writeWebdavObject(
  sink: WireReader,
  webdav: WebdavProtocol,
  rules: OcmShareRules,
  dialect: string,
): JsonObject | undefined {
  const field = 'protocols.webdav';
  if (
    rules.webdavUriAndSecretRequired &&
    (webdav.uri === undefined || webdav.sharedSecret === undefined)
  ) {
    sink.warn(field, `${dialect} requires webdav.uri and webdav.sharedSecret; webdav was not sent`);
    return undefined;
  }
  const out: JsonObject = {};
  if (webdav.uri !== undefined) {
    if (rules.webdavUri) out.uri = webdav.uri;
    else sink.warn(`${field}.uri`, `cannot be carried by ${dialect}`);
  }
  if (webdav.sharedSecret !== undefined) out.sharedSecret = webdav.sharedSecret;
  if (webdav.permissions.length > 0 || rules.webdavUriAndSecretRequired) {
    out.permissions = [...webdav.permissions];
  }
  if (webdav.requirements.length > 0) {
    if (rules.requirements === 'none')
      sink.warn(`${field}.requirements`, `cannot be carried by ${dialect}`);
    else out.requirements = [...webdav.requirements];
  }
  if (webdav.accessTypes !== undefined) {
    if (rules.accessTypes) out.accessTypes = [...webdav.accessTypes];
    else sink.warn(`${field}.accessTypes`, `cannot be carried by ${dialect}`);
  }
  if (webdav.size !== undefined) {
    if (rules.accessTypes) out.size = webdav.size;
    else sink.warn(`${field}.size`, `cannot be carried by ${dialect}`);
  }
  for (const [key, value] of Object.entries(webdav.extra ?? {})) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/** The v1.0 `options` object: `sharedSecret` first, then the opaque keys a peer gave us. */
export function writeWebdavOptions(
  webdav: WebdavProtocol,
  withSecret: boolean,
): JsonObject | undefined {
  const out: JsonObject = {};
  if (withSecret && webdav.sharedSecret !== undefined) out.sharedSecret = webdav.sharedSecret;
  for (const [key, value] of Object.entries(webdav.legacyOptions ?? {})) {
    if (key !== 'sharedSecret') out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
