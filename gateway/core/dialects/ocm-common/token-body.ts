/**
 * Token exchange (ocm-versions §8): pre-1.2 `<endPoint>/token` JSON with `ocm_authorization_code`;
 * 1.2.2+/I-D-05 `tokenEndPoint` form-encoded `authorization_code`, RFC 6749 errors, no refresh token.
 */
import type {
  CanonicalOAuthError,
  CanonicalTokenRequest,
  CanonicalTokenResponse,
} from '../../model/canonical-token.ts';
import type { CodecMode } from '../../model/codec.ts';
import type { JsonObject } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { isWireRecord, WireReader, type WireRecord } from './wire-reader.ts';

export function grantTypeOf(rules: OcmDialectRules): string {
  return rules.token === 'form-authorization-code'
    ? 'authorization_code'
    : 'ocm_authorization_code';
}

export function tokenTypeOf(rules: OcmDialectRules): string {
  return rules.token === 'form-authorization-code' ? 'Bearer' : 'bearer';
}

/** A form body arrives as a string (raw) or as the object an HTTP framework decoded. */
function asRecord(wire: unknown): WireRecord | undefined {
  if (typeof wire === 'string') return Object.fromEntries(new URLSearchParams(wire));
  return isWireRecord(wire) ? wire : undefined;
}

export function parseTokenRequestBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalTokenRequest> {
  const reader = new WireReader(mode);
  const body = asRecord(wire);
  if (body === undefined)
    return fail([{ field: '', message: 'must be a JSON object or a form body' }]);
  if (typeof wire === 'string' && rules.token !== 'form-authorization-code')
    reader.quirk('', 'is form-encoded; this version sends JSON');
  if (
    typeof wire !== 'string' &&
    rules.token === 'form-authorization-code' &&
    typeof wire === 'object'
  ) {
    // Decoded by the HTTP layer: the encoding is no longer visible, nothing to check.
  }
  const grantType = reader.nonEmptyString(body, 'grant_type', 'grant_type', { required: true });
  if (grantType !== undefined && grantType !== grantTypeOf(rules)) {
    reader.quirk('grant_type', `must be ${grantTypeOf(rules)} in this version`);
  }
  const clientId = reader.nonEmptyString(body, 'client_id', 'client_id', { required: true });
  const code = reader.nonEmptyString(body, 'code', 'code', { required: true });
  if (
    reader.issues.length > 0 ||
    grantType === undefined ||
    clientId === undefined ||
    code === undefined
  ) {
    return fail(reader.issues);
  }
  return succeed({ grantType, clientId, code }, reader.warnings);
}

/** JSON object for pre-1.2; for 1.2.2+/I-D-05 the same fields as form parameters (all strings). */
export function serialiseTokenRequestBody(
  request: CanonicalTokenRequest,
  rules: OcmDialectRules,
): ParseResult<JsonObject> {
  const warnings =
    request.grantType === grantTypeOf(rules) ||
    request.grantType === 'authorization_code' ||
    request.grantType === 'ocm_authorization_code'
      ? []
      : [{ field: 'grantType', message: `was replaced by ${grantTypeOf(rules)}` }];
  return succeed(
    { grant_type: grantTypeOf(rules), client_id: request.clientId, code: request.code },
    warnings,
  );
}

export function parseTokenResponseBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalTokenResponse> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const accessToken = reader.nonEmptyString(wire, 'access_token', 'access_token', {
    required: true,
  });
  const tokenType =
    reader.string(wire, 'token_type', 'token_type', { required: 'strict' }) ?? tokenTypeOf(rules);
  if (tokenType.toLowerCase() !== 'bearer') reader.issue('token_type', 'must be Bearer');
  const expiresIn = reader.integer(wire, 'expires_in', 'expires_in', {
    required: rules.token === 'form-authorization-code' ? 'strict' : false,
  });
  if (expiresIn !== undefined && expiresIn < 0) reader.issue('expires_in', 'must not be negative');
  const refreshToken = reader.string(wire, 'refresh_token', 'refresh_token');
  if (refreshToken !== undefined && rules.token === 'form-authorization-code') {
    reader.warn('refresh_token', 'is not part of this version and was ignored');
  }
  if (reader.issues.length > 0 || accessToken === undefined) return fail(reader.issues);
  return succeed<CanonicalTokenResponse>(
    {
      accessToken,
      tokenType,
      ...(expiresIn !== undefined && { expiresIn }),
      ...(refreshToken !== undefined &&
        rules.token !== 'form-authorization-code' && { refreshToken }),
    },
    reader.warnings,
  );
}

export function serialiseTokenResponseBody(
  response: CanonicalTokenResponse,
  rules: OcmDialectRules,
): ParseResult<JsonObject> {
  const out: JsonObject = { access_token: response.accessToken, token_type: tokenTypeOf(rules) };
  if (response.expiresIn !== undefined) out.expires_in = response.expiresIn;
  else if (rules.token === 'form-authorization-code') {
    return fail([{ field: 'expiresIn', message: `is required by ${rules.id}` }]);
  }
  const warnings = [];
  if (response.refreshToken !== undefined) {
    if (rules.token === 'form-authorization-code')
      warnings.push({ field: 'refreshToken', message: `cannot be carried by ${rules.id}` });
    else out.refresh_token = response.refreshToken;
  }
  return succeed(out, warnings);
}

export function parseOAuthErrorBody(
  wire: unknown,
  mode: CodecMode,
): ParseResult<CanonicalOAuthError> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const error = reader.nonEmptyString(wire, 'error', 'error', { required: true });
  const errorDescription = reader.string(wire, 'error_description', 'error_description');
  if (reader.issues.length > 0 || error === undefined) return fail(reader.issues);
  return succeed(
    { error, ...(errorDescription !== undefined && { errorDescription }) },
    reader.warnings,
  );
}

export function serialiseOAuthErrorBody(error: CanonicalOAuthError): ParseResult<JsonObject> {
  return succeed({
    error: error.error,
    ...(error.errorDescription !== undefined && { error_description: error.errorDescription }),
  });
}
