/** OCM error body (`Error {message}`, 400 adds `validationErrors[{name, message}]`; v1.0 → I-D-05). */
import type { CanonicalError, OcmValidationError } from '../../model/canonical-error.ts';
import type { CodecMode } from '../../model/codec.ts';
import type { JsonObject } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import { isWireRecord, own, WireReader } from './wire-reader.ts';

export function parseErrorBody(wire: unknown, mode: CodecMode): ParseResult<CanonicalError> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  let message = reader.string(wire, 'message', 'message', { required: 'strict' });
  if (message === undefined && !reader.strict) {
    reader.warn('message', 'is missing');
    message = '';
  }
  const validationErrors: OcmValidationError[] = [];
  const list = own(wire, 'validationErrors');
  if (Array.isArray(list)) {
    for (const [index, item] of (list as unknown[]).entries()) {
      const field = `validationErrors[${index}]`;
      if (!isWireRecord(item)) {
        reader.quirk(field, 'must be an object');
        continue;
      }
      const name = reader.string(item, 'name', `${field}.name`, { required: 'strict' }) ?? '';
      const why = reader.string(item, 'message', `${field}.message`, { required: 'strict' }) ?? '';
      validationErrors.push({ name, message: why });
    }
  } else if (list !== undefined && list !== null) {
    reader.quirk('validationErrors', 'must be a list');
  }
  if (reader.issues.length > 0 || message === undefined) return fail(reader.issues);
  return succeed({ message, validationErrors }, reader.warnings);
}

export function serialiseErrorBody(error: CanonicalError): ParseResult<JsonObject> {
  const out: JsonObject = { message: error.message };
  if (error.validationErrors.length > 0) {
    out.validationErrors = error.validationErrors.map((v) => ({
      name: v.name,
      message: v.message,
    }));
  }
  return succeed(out);
}
