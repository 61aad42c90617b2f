/**
 * The 201 body of /notifications: `[]`/`{}` normally; for REQUEST_RESHARE Nextcloud answers
 * `{token, providerId}` and ownCloud 10 `{sharedSecret, providerId}` (legacy-protocols §3.2).
 */
import type {
  CanonicalNotificationReply,
  CanonicalReshareReply,
} from '../../model/canonical-notification.ts';
import type { CodecMode } from '../../model/codec.ts';
import type { JsonObject, JsonValue } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { isWireRecord, own, WireReader } from './wire-reader.ts';

const RESHARE_KEYS = ['token', 'sharedSecret', 'providerId'];

export function parseNotificationReplyBody(
  wire: unknown,
  mode: CodecMode,
): ParseResult<CanonicalNotificationReply> {
  const reader = new WireReader(mode);
  if (
    wire === undefined ||
    wire === null ||
    wire === '' ||
    (Array.isArray(wire) && wire.length === 0)
  ) {
    return succeed({});
  }
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object or empty' }]);
  const token = reader.string(wire, 'token', 'token');
  const sharedSecret = reader.string(wire, 'sharedSecret', 'sharedSecret');
  if (token !== undefined && sharedSecret !== undefined && token !== sharedSecret) {
    reader.warn('token', 'differs from sharedSecret; sharedSecret is used');
  }
  const providerIdRaw = own(wire, 'providerId');
  const providerIdIsNumber =
    typeof providerIdRaw === 'number' && Number.isSafeInteger(providerIdRaw);
  const providerId = providerIdIsNumber
    ? String(providerIdRaw)
    : reader.string(wire, 'providerId', 'providerId');
  const secret = sharedSecret ?? token;
  let reshare: CanonicalReshareReply | undefined;
  let consumed = RESHARE_KEYS;
  if (secret !== undefined && providerId !== undefined) {
    reshare = {
      sharedSecret: secret,
      providerId,
      ...(providerIdIsNumber && { providerIdIsNumber }),
    };
  } else if (secret !== undefined || providerId !== undefined) {
    reader.warn(
      '',
      'a reshare reply needs both a token/sharedSecret and a providerId; kept as extra',
    );
    consumed = [];
  }
  const extra = reader.extra(wire, consumed, '');
  if (reader.issues.length > 0) return fail(reader.issues);
  return succeed(
    { ...(reshare !== undefined && { reshare }), ...(extra !== undefined && { extra }) },
    reader.warnings,
  );
}

export function serialiseNotificationReplyBody(
  reply: CanonicalNotificationReply,
  rules: OcmDialectRules,
): ParseResult<JsonValue> {
  const out: JsonObject = {};
  if (reply.reshare !== undefined) {
    const { sharedSecret, providerId, providerIdIsNumber } = reply.reshare;
    // Both keys: Nextcloud reads token, ownCloud reads sharedSecret.
    out.token = sharedSecret;
    out.sharedSecret = sharedSecret;
    out.providerId =
      providerIdIsNumber === true && /^(0|[1-9]\d{0,14})$/.test(providerId)
        ? Number(providerId)
        : providerId;
  }
  for (const [key, value] of Object.entries(reply.extra ?? {})) {
    if (!(reply.reshare !== undefined && RESHARE_KEYS.includes(key))) out[key] = value;
  }
  if (Object.keys(out).length === 0 && rules.notification.emptyReply === 'empty-array')
    return succeed([]);
  return succeed(out);
}
