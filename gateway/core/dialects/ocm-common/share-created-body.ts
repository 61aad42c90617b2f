/**
 * The 201 body of POST /shares: optional `{recipientDisplayName}` (v1.0–1.2), `recipientPublicKeys`
 * (1.2.2+), required display name (I-D-05); Nextcloud adds `recipientUserId`, ownCloud 10 sends `[]`.
 */
import type { CanonicalShareCreated } from '../../model/canonical-share.ts';
import type { CodecMode } from '../../model/codec.ts';
import type { JsonObject, JsonValue } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { isWireRecord, WireReader } from './wire-reader.ts';

const CREATED_KEYS = ['recipientDisplayName', 'recipientUserId', 'recipientPublicKeys'];

export function parseShareCreatedBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalShareCreated> {
  const reader = new WireReader(mode);
  const r = rules.shareCreated;
  if (
    wire === undefined ||
    wire === null ||
    wire === '' ||
    (Array.isArray(wire) && wire.length === 0)
  ) {
    if (Array.isArray(wire) && r.body !== 'empty-array')
      reader.quirk('', 'is an empty array (ownCloud 10) instead of an object');
    if (r.displayNameRequired) reader.missing('recipientDisplayName', { required: 'strict' });
    return reader.issues.length > 0 ? fail(reader.issues) : succeed({}, reader.warnings);
  }
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const recipientDisplayName = reader.string(wire, 'recipientDisplayName', 'recipientDisplayName', {
    required: r.displayNameRequired ? 'strict' : false,
  });
  const recipientUserId = reader.string(wire, 'recipientUserId', 'recipientUserId');
  const recipientPublicKeys = reader.stringList(wire, 'recipientPublicKeys', 'recipientPublicKeys');
  const extra = reader.extra(wire, CREATED_KEYS, '');
  if (reader.issues.length > 0) return fail(reader.issues);
  return succeed<CanonicalShareCreated>(
    {
      ...(recipientDisplayName !== undefined && { recipientDisplayName }),
      ...(recipientUserId !== undefined && { recipientUserId }),
      ...(recipientPublicKeys !== undefined && { recipientPublicKeys }),
      ...(extra !== undefined && { extra }),
    },
    reader.warnings,
  );
}

export function serialiseShareCreatedBody(
  created: CanonicalShareCreated,
  rules: OcmDialectRules,
): ParseResult<JsonValue> {
  const sink = new WireReader('lenient');
  const r = rules.shareCreated;
  const dialect = rules.id;
  if (r.body === 'empty-array') {
    for (const key of [...CREATED_KEYS, 'extra'] as const) {
      if (created[key as keyof CanonicalShareCreated] !== undefined)
        sink.warn(key, `cannot be carried by ${dialect}`);
    }
    return succeed([], sink.warnings);
  }
  if (r.displayNameRequired && created.recipientDisplayName === undefined) {
    return fail([{ field: 'recipientDisplayName', message: `is required by ${dialect}` }]);
  }
  const out: JsonObject = {};
  if (created.recipientDisplayName !== undefined)
    out.recipientDisplayName = created.recipientDisplayName;
  if (created.recipientUserId !== undefined) {
    if (r.recipientUserId) out.recipientUserId = created.recipientUserId;
    else sink.warn('recipientUserId', `cannot be carried by ${dialect}`);
  }
  if (created.recipientPublicKeys !== undefined) {
    if (r.recipientPublicKeys) out.recipientPublicKeys = [...created.recipientPublicKeys];
    else sink.warn('recipientPublicKeys', `cannot be carried by ${dialect}`);
  }
  for (const [key, value] of Object.entries(created.extra ?? {})) {
    if (!CREATED_KEYS.includes(key)) out[key] = value;
  }
  return succeed(out, sink.warnings);
}
