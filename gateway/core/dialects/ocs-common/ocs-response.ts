/**
 * Reading and writing OCS responses for the codecs: `{status, body}` (or a bare body) in, the
 * envelope plus whether a sender would count it as success (statuscode 100/200 and HTTP 2xx) out.
 */
import type { JsonValue, ParseResult, SerialiseResult } from '../../model/index.ts';
import { succeed } from '../../model/index.ts';
import {
  buildOcsResponse,
  isOcsSuccess,
  parseOcsEnvelope,
  type OcsEnvelope,
  type OcsResponseWire,
} from '../ocs-envelope/index.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type { OcsCodecOptions } from './ocs-codec-types.ts';

export interface OcsReadResponse {
  readonly httpStatus?: number;
  /** Undefined when the body is not an OCS envelope. */
  readonly envelope?: OcsEnvelope;
  readonly success: boolean;
}

function isHttp2xx(status: number | undefined): boolean {
  return status === undefined || (status >= 200 && status < 300);
}

/** Never fails for a non-OCS body: `envelope` is then undefined (the caller decides). */
export function readOcsResponse(
  wire: unknown,
  options: OcsCodecOptions = {},
): ParseResult<OcsReadResponse> {
  let httpStatus: number | undefined;
  let body: unknown = wire;
  if (typeof wire === 'object' && wire !== null && 'body' in wire) {
    const status = (wire as { status?: unknown }).status;
    if (typeof status === 'number' && Number.isInteger(status)) httpStatus = status;
    body = wire.body;
  }
  const parsed = parseOcsEnvelope(body, options);
  const withStatus = httpStatus === undefined ? {} : { httpStatus };
  if (!parsed.ok) return succeed({ ...withStatus, success: false }, parsed.issues);
  const success = isHttp2xx(httpStatus) && isOcsSuccess(parsed.value.meta.statuscode);
  return succeed({ ...withStatus, envelope: parsed.value, success }, parsed.warnings);
}

/** The issue for an answer that is not the expected success. */
export function refusalIssue(read: OcsReadResponse): { field: string; message: string } {
  const meta = read.envelope?.meta;
  if (meta === undefined)
    return {
      field: 'ocs',
      message: `the answer (HTTP ${read.httpStatus ?? '?'}) is not an OCS envelope`,
    };
  const text = meta.message === null ? '' : `: ${meta.message.slice(0, 200)}`;
  return { field: 'ocs.meta.statuscode', message: `the peer answered ${meta.statuscode}${text}` };
}

export function respondOcs(
  rules: OcsDialectRules,
  options: OcsCodecOptions,
  statuscode: number,
  data?: JsonValue,
  message?: string | null,
): SerialiseResult<OcsResponseWire> {
  return buildOcsResponse({
    version: rules.version,
    format: options.format ?? 'xml',
    statuscode,
    ...(data === undefined ? {} : { data }),
    ...(message === undefined ? {} : { message }),
  });
}
