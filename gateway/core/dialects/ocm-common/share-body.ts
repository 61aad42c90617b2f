/** Share Creation Notification body (POST <endPoint>/shares) for every OCM dialect, driven by OcmDialectRules. */
import { SHARE_TYPES, type CanonicalShare, type ShareType } from '../../model/canonical-share.ts';
import type { JsonObject } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import type { CodecMode } from '../../model/codec.ts';
import { readOcmAddress } from './ocm-address-quirks.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { parseProtocolObject, writeProtocolObject } from './protocol-object.ts';
import { isWireRecord, WireReader } from './wire-reader.ts';

export const SHARE_KEYS = [
  'shareWith',
  'name',
  'description',
  'providerId',
  'owner',
  'ownerDisplayName',
  'sender',
  'senderDisplayName',
  'sharedBy',
  'sharedByDisplayName',
  'shareType',
  'resourceType',
  'expiration',
  'code',
  'protocol',
];

function readShareType(
  reader: WireReader,
  value: string | undefined,
  enumRequired: boolean,
): ShareType | undefined {
  if (value === undefined) return undefined;
  if ((SHARE_TYPES as readonly string[]).includes(value)) return value as ShareType;
  const lower = value.toLowerCase();
  if ((SHARE_TYPES as readonly string[]).includes(lower)) {
    if (enumRequired) reader.quirk('shareType', 'must be lower case');
    return lower as ShareType;
  }
  reader.issue('shareType', `must be one of ${SHARE_TYPES.join(', ')}`);
  return undefined;
}

export function parseShareBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalShare> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const r = rules.share;
  const address = (key: string, value: string | undefined): string | undefined =>
    value === undefined
      ? undefined
      : readOcmAddress(reader, value, key, { withoutPath: r.addressWithoutPath });

  const shareWith = address(
    'shareWith',
    reader.nonEmptyString(wire, 'shareWith', 'shareWith', { required: true }),
  );
  const name = reader.nonEmptyString(wire, 'name', 'name', { required: true });
  const description = reader.string(wire, 'description', 'description');
  const providerId = reader.nonEmptyString(wire, 'providerId', 'providerId', { required: true });
  const owner = address('owner', reader.nonEmptyString(wire, 'owner', 'owner', { required: true }));
  const ownerDisplayName = reader.string(wire, 'ownerDisplayName', 'ownerDisplayName');

  const spec = reader.string(wire, 'sender', 'sender');
  const nextcloud = reader.string(wire, 'sharedBy', 'sharedBy');
  if (nextcloud !== undefined && r.senderKeys === 'sender') {
    reader.quirk('sharedBy', 'is the Nextcloud name of sender');
  }
  if (spec !== undefined && nextcloud !== undefined && spec !== nextcloud) {
    reader.warn('sharedBy', 'differs from sender; sender is used');
  }
  let sender = address('sender', spec ?? nextcloud);
  if (sender === undefined && spec === undefined && nextcloud === undefined) {
    if (r.senderRequired && reader.strict) reader.issue('sender', 'is required');
    else reader.warn('sender', 'is missing; the owner is taken as sender');
    sender = owner;
  }
  const senderDisplayName =
    reader.string(wire, 'senderDisplayName', 'senderDisplayName') ??
    reader.string(wire, 'sharedByDisplayName', 'sharedByDisplayName');

  const shareType = readShareType(
    reader,
    reader.nonEmptyString(wire, 'shareType', 'shareType', { required: true }),
    r.shareTypeEnum,
  );
  const resourceType = reader.nonEmptyString(wire, 'resourceType', 'resourceType', {
    required: true,
  });
  const expiration = reader.integer(wire, 'expiration', 'expiration');
  const code = reader.string(wire, 'code', 'code');
  if (code !== undefined && !r.code)
    reader.quirk('code', 'is not part of this version (pre-1.2 only)');
  const protocol = reader.record(wire, 'protocol', 'protocol', { required: true });
  const protocols = protocol === undefined ? undefined : parseProtocolObject(reader, protocol, r);
  const extra = reader.extra(wire, SHARE_KEYS, '');

  if (
    reader.issues.length > 0 ||
    shareWith === undefined ||
    name === undefined ||
    providerId === undefined ||
    owner === undefined ||
    sender === undefined ||
    shareType === undefined ||
    resourceType === undefined ||
    protocols === undefined
  ) {
    return fail(
      reader.issues.length > 0 ? reader.issues : [{ field: '', message: 'is not a valid share' }],
    );
  }
  return succeed<CanonicalShare>(
    {
      providerId,
      shareWith,
      name,
      ...(description !== undefined && { description }),
      owner,
      ...(ownerDisplayName !== undefined && { ownerDisplayName }),
      sender,
      ...(senderDisplayName !== undefined && { senderDisplayName }),
      shareType,
      resourceType,
      ...(expiration !== undefined && { expiration }),
      ...(code !== undefined && { code }),
      protocols,
      ...(extra !== undefined && { extra }),
    },
    reader.warnings,
  );
}

export function serialiseShareBody(
  share: CanonicalShare,
  rules: OcmDialectRules,
): ParseResult<JsonObject> {
  const sink = new WireReader('lenient');
  const r = rules.share;
  const dialect = rules.id;
  const out: JsonObject = {
    shareWith: share.shareWith,
    name: share.name,
  };
  if (share.description !== undefined) out.description = share.description;
  out.providerId = share.providerId;
  out.owner = share.owner;
  if (share.ownerDisplayName !== undefined) out.ownerDisplayName = share.ownerDisplayName;
  if (r.senderKeys !== 'sharedBy') {
    out.sender = share.sender;
    if (share.senderDisplayName !== undefined) out.senderDisplayName = share.senderDisplayName;
  }
  if (r.senderKeys !== 'sender') {
    out.sharedBy = share.sender;
    if (share.senderDisplayName !== undefined) out.sharedByDisplayName = share.senderDisplayName;
  }
  out.shareType = share.shareType;
  out.resourceType = share.resourceType;
  if (share.expiration !== undefined) {
    if (r.expiration) out.expiration = share.expiration;
    else sink.warn('expiration', `cannot be carried by ${dialect}`);
  }
  if (share.code !== undefined) {
    if (r.code) out.code = share.code;
    else sink.warn('code', `cannot be carried by ${dialect}`);
  }
  const protocol = writeProtocolObject(sink, share.protocols, r, dialect);
  if (protocol === undefined) return fail(sink.issues);
  out.protocol = protocol;
  for (const [key, value] of Object.entries(share.extra ?? {})) {
    if (SHARE_KEYS.includes(key))
      sink.warn(`extra.${key}`, 'collides with a protocol field and was not sent');
    else out[key] = value;
  }
  return succeed(out, sink.warnings);
}
