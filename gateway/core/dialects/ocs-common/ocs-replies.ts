/**
 * Canonical ↔ OCS answers of the federated-sharing calls (legacy-protocols.md §1.2–1.8):
 * createShare success, the reshare answer `data:{token, remoteId}`, and error envelopes.
 */
import type {
  CanonicalError,
  CanonicalNotificationReply,
  CanonicalShareCreated,
  JsonObject,
  ParseResult,
  SerialiseResult,
} from '../../model/index.ts';
import { fail, isJsonObject, succeed } from '../../model/index.ts';
import type { OcsResponseWire } from '../ocs-envelope/index.ts';
import { legacyIdNumber, NON_NUMERIC_ID_MESSAGE } from './legacy-id.ts';
import { readOcsResponse, refusalIssue, respondOcs } from './ocs-response.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type { LegacyCanonicalError, OcsCodecOptions } from './ocs-codec-types.ts';

function dataObject(data: unknown): JsonObject | undefined {
  return isJsonObject(data) && Object.keys(data).length > 0 ? data : undefined;
}

export function parseOcsShareCreated(
  wire: unknown,
  options: OcsCodecOptions = {},
): ParseResult<CanonicalShareCreated> {
  const read = readOcsResponse(wire, options);
  if (!read.ok) return read;
  const { envelope, httpStatus } = read.value;
  if (
    envelope === undefined &&
    options.mode !== 'strict' &&
    httpStatus !== undefined &&
    httpStatus >= 200 &&
    httpStatus < 300
  ) {
    // Nextcloud ≥ 14 counts any 2xx without an `ocs` object as a successful createShare.
    return succeed({}, [
      {
        field: 'ocs',
        message: 'a 2xx answer without an OCS envelope, taken as success (Nextcloud ≥ 14 rule)',
      },
    ]);
  }
  if (!read.value.success) return fail([refusalIssue(read.value), ...read.warnings]);
  // Pydio 8 answers data:{id}; keep whatever came.
  const extra = dataObject(envelope?.data);
  return succeed(extra === undefined ? {} : { extra }, read.warnings);
}

export function serialiseOcsShareCreated(
  created: CanonicalShareCreated,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): SerialiseResult<OcsResponseWire> {
  const dropped = (
    ['recipientDisplayName', 'recipientUserId', 'recipientPublicKeys', 'extra'] as const
  )
    .filter((key) => created[key] !== undefined)
    .map((field) => ({
      field,
      message: 'has no place in the legacy createShare answer and is dropped',
    }));
  const response = respondOcs(rules, options, 100);
  return response.ok ? succeed(response.value, dropped) : response;
}

export function parseOcsNotificationReply(
  wire: unknown,
  options: OcsCodecOptions = {},
): ParseResult<CanonicalNotificationReply> {
  const read = readOcsResponse(wire, options);
  if (!read.ok) return read;
  if (!read.value.success) return fail([refusalIssue(read.value), ...read.warnings]);
  const data = dataObject(read.value.envelope?.data);
  if (data === undefined) return succeed({}, read.warnings);
  const { token, remoteId, ...rest } = data;
  const id = typeof remoteId === 'number' ? String(remoteId) : remoteId;
  const extra = Object.keys(rest).length > 0 ? { extra: rest } : {};
  if (typeof token === 'string' && token !== '' && typeof id === 'string' && id !== '') {
    const reshare = {
      sharedSecret: token,
      providerId: id,
      providerIdIsNumber: legacyIdNumber(id) !== undefined,
    };
    return succeed({ reshare, ...extra }, read.warnings);
  }
  const warning = {
    field: 'ocs.data',
    message: 'has no token/remoteId pair: senders then fall back to non-flat re-sharing',
  };
  return succeed({ extra: data }, [...read.warnings, warning]);
}

export function serialiseOcsNotificationReply(
  reply: CanonicalNotificationReply,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): SerialiseResult<OcsResponseWire> {
  const warnings =
    reply.extra === undefined
      ? []
      : [{ field: 'extra', message: 'is dropped from the legacy answer' }];
  if (reply.reshare === undefined) {
    const response = respondOcs(rules, options, 100);
    return response.ok ? succeed(response.value, warnings) : response;
  }
  const remoteId = legacyIdNumber(reply.reshare.providerId);
  if (remoteId === undefined)
    return fail([{ field: 'reshare.providerId', message: NON_NUMERIC_ID_MESSAGE }]);
  const response = respondOcs(rules, options, 100, { token: reply.reshare.sharedSecret, remoteId });
  return response.ok ? succeed(response.value, warnings) : response;
}

export function parseOcsError(
  wire: unknown,
  options: OcsCodecOptions = {},
): ParseResult<LegacyCanonicalError> {
  const read = readOcsResponse(wire, options);
  if (!read.ok) return read;
  const { envelope, httpStatus, success } = read.value;
  if (success)
    return fail([{ field: 'ocs.meta.statuscode', message: 'is a success code, not an error' }]);
  if (envelope === undefined) return fail([refusalIssue(read.value), ...read.warnings]);
  const { statuscode, message } = envelope.meta;
  return succeed(
    {
      // null ↔ '' so re-serialising gives the same envelope back
      message: message ?? '',
      validationErrors: [],
      legacy: { statuscode, ...(httpStatus === undefined ? {} : { httpStatus }) },
    },
    read.warnings,
  );
}

/**
 * The OCS status: options.statuscode, else the one parsed with the error, else 400 (never a
 * success code). An empty message is written as null, as ownCloud does.
 */
export function serialiseOcsError(
  value: CanonicalError,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): SerialiseResult<OcsResponseWire> {
  const error: LegacyCanonicalError = value;
  const statuscode = options.statuscode ?? error.legacy?.statuscode ?? 400;
  if (statuscode === 100 || statuscode === 200) {
    return fail([
      { field: 'statuscode', message: 'an error cannot use the success codes 100/200' },
    ]);
  }
  const warnings = error.validationErrors.map((v) => ({
    field: `validationErrors.${v.name}`,
    message: 'OCS errors carry one message; per-field reasons are dropped',
  }));
  const response = respondOcs(
    rules,
    options,
    statuscode,
    [],
    error.message === '' ? null : error.message,
  );
  return response.ok ? succeed(response.value, warnings) : response;
}
