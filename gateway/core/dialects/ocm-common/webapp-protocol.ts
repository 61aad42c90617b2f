/**
 * The `webapp` protocol object: v1.1 `{uriTemplate, viewMode, sharedSecret}`, 1.2 `{uri, viewMode,
 * sharedSecret}`, I-D-05 `{uri, targets, permissions, requirements, sharedSecret, appName, …}`.
 */
import {
  WEBAPP_PERMISSIONS,
  WEBAPP_TARGETS,
  WEBAPP_VIEW_MODES,
  type WebappPermission,
  type WebappProtocol,
  type WebappTarget,
  type WebappViewMode,
} from '../../model/canonical-share.ts';
import type { JsonObject } from '../../model/json-value.ts';
import { normaliseRequirements } from './capability-names.ts';
import type { OcmShareRules } from './ocm-dialect-rules.ts';
import type { WireReader, WireRecord } from './wire-reader.ts';

const WEBAPP_KEYS = [
  'uri',
  'uriTemplate',
  'viewMode',
  'permissions',
  'targets',
  'sharedSecret',
  'requirements',
  'appName',
  'appIconHint',
  'mediaTypes',
];

/** Highest of the legacy view modes the permissions grant. */
export function viewModeOf(permissions: readonly WebappPermission[]): WebappViewMode {
  if (permissions.includes('write')) return 'write';
  if (permissions.includes('read')) return 'read';
  return 'view';
}

export function parseWebappObject(
  reader: WireReader,
  raw: WireRecord,
  rules: OcmShareRules,
): WebappProtocol | undefined {
  const field = 'protocol.webapp';
  const idd = rules.webapp === 'uri-permissions-targets';
  let uri = reader.string(raw, 'uri', `${field}.uri`);
  const template = reader.string(raw, 'uriTemplate', `${field}.uriTemplate`);
  if (uri === undefined && template !== undefined) {
    if (rules.webapp !== 'uriTemplate-viewMode')
      reader.quirk(`${field}.uriTemplate`, 'was renamed uri in OCM 1.2');
    uri = template;
  }
  const requirements = normaliseRequirements(
    reader.stringList(raw, 'requirements', `${field}.requirements`) ?? [],
  );
  let viewMode: WebappViewMode | undefined;
  const mode = reader.string(raw, 'viewMode', `${field}.viewMode`);
  if (mode === 'mfa-enforced') {
    // pre-1.2 put the MFA requirement among the view modes.
    if (!requirements.includes('must-use-mfa')) requirements.push('must-use-mfa');
  } else if (mode !== undefined) {
    if ((WEBAPP_VIEW_MODES as readonly string[]).includes(mode)) viewMode = mode as WebappViewMode;
    else reader.quirk(`${field}.viewMode`, `is not one of ${WEBAPP_VIEW_MODES.join(', ')}`);
  }
  const permissionsRaw = reader.stringList(raw, 'permissions', `${field}.permissions`, {
    allowed: WEBAPP_PERMISSIONS,
  }) as WebappPermission[] | undefined;
  const targets = reader.stringList(raw, 'targets', `${field}.targets`, {
    allowed: WEBAPP_TARGETS,
  }) as WebappTarget[] | undefined;
  const sharedSecret = reader.string(raw, 'sharedSecret', `${field}.sharedSecret`);
  const appName = reader.string(raw, 'appName', `${field}.appName`);
  const appIconHint = reader.string(raw, 'appIconHint', `${field}.appIconHint`);
  const mediaTypes = reader.stringList(raw, 'mediaTypes', `${field}.mediaTypes`);
  const extra = reader.extra(raw, WEBAPP_KEYS, field);
  if (idd && reader.strict) {
    if (permissionsRaw === undefined || permissionsRaw.length === 0)
      reader.issue(`${field}.permissions`, 'is required and must not be empty');
    if (targets === undefined || targets.length === 0)
      reader.issue(`${field}.targets`, 'is required and must not be empty');
    if (sharedSecret === undefined) reader.issue(`${field}.sharedSecret`, 'is required');
    if (!requirements.includes('must-exchange-token'))
      reader.issue(`${field}.requirements`, 'must include must-exchange-token');
    if (uri !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
      reader.issue(`${field}.uri`, 'must be an absolute URI');
  }
  if (uri === undefined) {
    reader.issue(`${field}.uri`, 'is required');
    return undefined;
  }
  const permissions = permissionsRaw ?? (viewMode !== undefined ? [viewMode] : []);
  return {
    uri,
    permissions,
    ...(viewMode !== undefined && { viewMode }),
    ...(targets !== undefined && { targets }),
    ...(sharedSecret !== undefined && { sharedSecret }),
    ...(requirements.length > 0 && { requirements }),
    ...(appName !== undefined && { appName }),
    ...(appIconHint !== undefined && { appIconHint }),
    ...(mediaTypes !== undefined && { mediaTypes }),
    ...(extra !== undefined && { extra }),
  };
}

/** The webapp object in the dialect's style, or undefined (with a warning) when it cannot be carried. */
export function writeWebappObject(
  sink: WireReader,
  webapp: WebappProtocol,
  rules: OcmShareRules,
  dialect: string,
): JsonObject | undefined {
  const field = 'protocols.webapp';
  const cannot = (name: string): void => {
    sink.warn(`${field}.${name}`, `cannot be carried by ${dialect}`);
  };
  if (rules.webapp === 'none') {
    sink.warn(field, `cannot be carried by ${dialect}`);
    return undefined;
  }
  const out: JsonObject = {};
  if (rules.webapp === 'uri-permissions-targets') {
    const requirements = webapp.requirements ?? [];
    if (
      webapp.permissions.length === 0 ||
      (webapp.targets ?? []).length === 0 ||
      webapp.sharedSecret === undefined ||
      !requirements.includes('must-exchange-token')
    ) {
      sink.warn(
        field,
        `${dialect} requires webapp permissions, targets, sharedSecret and must-exchange-token; webapp was not sent`,
      );
      return undefined;
    }
    out.uri = webapp.uri;
    out.targets = [...(webapp.targets ?? [])];
    out.permissions = [...webapp.permissions];
    out.requirements = [...requirements];
    out.sharedSecret = webapp.sharedSecret;
    if (webapp.appName !== undefined) out.appName = webapp.appName;
    if (webapp.appIconHint !== undefined) out.appIconHint = webapp.appIconHint;
    if (webapp.mediaTypes !== undefined) out.mediaTypes = [...webapp.mediaTypes];
  } else {
    out[rules.webapp === 'uriTemplate-viewMode' ? 'uriTemplate' : 'uri'] = webapp.uri;
    if (webapp.permissions.length > 0 || webapp.viewMode !== undefined) {
      out.viewMode = webapp.viewMode ?? viewModeOf(webapp.permissions);
    }
    if (webapp.sharedSecret !== undefined) out.sharedSecret = webapp.sharedSecret;
    if (webapp.targets !== undefined) cannot('targets');
    if (webapp.requirements !== undefined) cannot('requirements');
    if (webapp.appName !== undefined) cannot('appName');
    if (webapp.appIconHint !== undefined) cannot('appIconHint');
    if (webapp.mediaTypes !== undefined) cannot('mediaTypes');
  }
  for (const [key, value] of Object.entries(webapp.extra ?? {})) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}
