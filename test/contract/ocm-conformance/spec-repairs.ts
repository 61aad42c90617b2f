/**
 * The repaired schema set each OCM dialect's output is checked against, one function per spec file.
 * Every change to a published schema is listed here with its reason (ocm-versions §3, §6, §13).
 */
import {
  SPEC_FILES,
  SpecValidator,
  repairProtocolSchema,
  specDefinitions,
  unrequire,
} from './spec-schemas.ts';

type Schema = Record<string, unknown>;

function props(schema: Schema | undefined, ...path: string[]): Schema {
  let node: Schema | undefined = schema;
  for (const key of path) node = (node?.properties as Record<string, Schema> | undefined)?.[key];
  if (node === undefined) throw new Error(`no property ${path.join('.')}`);
  return node;
}

/** v1.0 (used for ocm-proposal1 and ocm-1.0). */
export function v10Validator(): SpecValidator {
  const d = specDefinitions(SPEC_FILES.v1_0);
  // `permission` (shares) and `message` (notifications) are required but never defined; no
  // implementation sends them (ocm-versions §13.6).
  unrequire(d.NewShare!, ['permission']);
  unrequire(d.NewNotification!, ['message']);
  return new SpecValidator(SPEC_FILES.v1_0, d);
}

export function v11Validator(): SpecValidator {
  const d = specDefinitions(SPEC_FILES.v1_1);
  unrequire(d.NewShare!, ['permission']);
  unrequire(d.NewNotification!, ['message']);
  repairProtocolSchema(d.NewShare!);
  return new SpecValidator(SPEC_FILES.v1_1, d);
}

/**
 * ocm-1.2: the pre-1.2 snapshot (Oct 2024) predates the 1.2.x renames, so the enums of
 * capabilities, webdav requirements and webapp viewMode, and the key objects, come from the
 * 1.2.2 file; `criteria`, `publicKeys`, `tokenEndPoint` are added from it so they are checked too.
 */
export function v12Validator(): SpecValidator {
  const d = specDefinitions(SPEC_FILES.pre1_2);
  const later = specDefinitions(SPEC_FILES.v1_2_2plus);
  repairProtocolSchema(d.NewShare!);
  // The 1.2.0 examples still spell `mfa-enforced`; 1.2.2 renamed it. Both are 1.2.x.
  props(d.NewShare, 'protocol', 'webdav', 'requirements').items = {
    type: 'string',
    enum: ['mfa-enforced', 'must-use-mfa', 'must-exchange-token'],
  };
  props(d.NewShare, 'protocol', 'webapp', 'viewMode').enum = props(
    later.NewShare,
    'protocol',
    'webapp',
    'viewMode',
  ).enum;
  const discovery = d.Discovery!.properties as Record<string, Schema>;
  for (const key of ['capabilities', 'criteria', 'publicKey', 'publicKeys', 'tokenEndPoint']) {
    discovery[key] = props(later.Discovery, key);
  }
  return new SpecValidator(SPEC_FILES.pre1_2, d);
}

/**
 * ocm-1.3 (I-D-05) against the newest OpenAPI found (1.2.2+ with ssh): criteria were renamed in
 * draft -05, `webdav-uri` was dropped, protocol values may be objects (`webapp: {}`,
 * `*-receive`), and the webapp object was refactored (targets, permissions, requirements).
 */
export function v13Validator(): SpecValidator {
  const d = specDefinitions(SPEC_FILES.v1_2_2plus);
  const discovery = d.Discovery!;
  props(discovery, 'criteria').items = {
    type: 'string',
    enum: ['must-use-http-sig', 'must-exchange-token', 'must-invite', 'denylist', 'allowlist'],
  };
  const capabilities = props(discovery, 'capabilities').items as Schema;
  capabilities.enum = (capabilities.enum as string[]).filter((c) => c !== 'webdav-uri');
  const resourceType = props(discovery, 'resourceTypes').items as Schema;
  const stringOrObject = { anyOf: [{ type: 'string' }, { type: 'object' }] };
  const protocols = props(resourceType, 'protocols');
  protocols.additionalProperties = stringOrObject;
  (protocols.properties as Record<string, unknown>).webapp = stringOrObject;
  const webapp = props(d.NewShare, 'protocol', 'webapp');
  webapp.required = ['uri', 'targets', 'permissions', 'requirements', 'sharedSecret'];
  const list = (values: string[], minItems = 1): Schema => ({
    type: 'array',
    minItems,
    items: { type: 'string', enum: values },
  });
  webapp.properties = {
    uri: { type: 'string', format: 'uri' },
    targets: list(['blank', 'iframe']),
    permissions: list(['view', 'read', 'write', 'share']),
    requirements: {
      type: 'array',
      contains: { const: 'must-exchange-token' },
      items: { type: 'string', enum: ['must-exchange-token', 'must-use-mfa'] },
    },
    sharedSecret: { type: 'string' },
    appName: { type: 'string' },
    appIconHint: { type: 'string' },
    mediaTypes: { type: 'array', items: { type: 'string' } },
  };
  // I-D-05 makes webdav.sharedSecret required and recipientDisplayName required in the 201 body.
  const webdav = props(d.NewShare, 'protocol', 'webdav');
  webdav.required = [...(webdav.required as string[]), 'sharedSecret'];
  d.ShareCreated!.required = ['recipientDisplayName'];
  // …and resourceType optional in notifications (the OpenAPI keeps it required).
  unrequire(d.NewNotification!, ['resourceType']);
  return new SpecValidator(SPEC_FILES.v1_2_2plus, d);
}
