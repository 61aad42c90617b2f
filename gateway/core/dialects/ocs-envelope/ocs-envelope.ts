/**
 * The OCS response envelope `{ocs:{meta:{status,statuscode,message,totalitems?,itemsperpage?},data}}`
 * in JSON (`format=json`) and XML (the default), as ownCloud/Nextcloud render it (legacy-protocols.md §1.2).
 */
import {
  fail,
  isJsonObject,
  succeed,
  toJsonValue,
  type CodecOptions,
  type JsonObject,
  type JsonValue,
  type ParseResult,
  type SerialiseResult,
} from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';
import {
  ocsHttpStatus,
  ocsRenderedStatuscode,
  ocsStatusWord,
  type OcsVersion,
} from './ocs-status.ts';
import { readXml } from './ocs-xml-reader.ts';
import { writeXmlElement } from './ocs-xml-writer.ts';
import { xmlElementToJson } from './ocs-xml-json.ts';

export type OcsFormat = 'json' | 'xml';

export const OCS_CONTENT_TYPE: Readonly<Record<OcsFormat, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=UTF-8',
};

/** `?format=json` gives JSON; anything else (or nothing) gives XML, as the servers do. */
export function ocsFormatFromQuery(format: unknown): OcsFormat {
  return format === 'json' ? 'json' : 'xml';
}

export interface OcsMeta {
  /** `ok` / `failure` (Pydio 8: `fail`). */
  readonly status: string;
  readonly statuscode: number;
  readonly message: string | null;
  readonly totalitems?: string | number;
  readonly itemsperpage?: string | number;
}

export interface OcsEnvelope {
  readonly meta: OcsMeta;
  /** `[]` when empty (PHP renders an empty array). */
  readonly data: JsonValue;
}

/** A response ready for the HTTP layer. */
export interface OcsResponseWire {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface OcsResponseInput {
  readonly version: OcsVersion;
  readonly format: OcsFormat;
  /** Success may be given as 100 or 200: it is rendered as the version's own success code. */
  readonly statuscode: number;
  /** Default: `OK` for v2 success (Nextcloud), `null` otherwise (ownCloud). */
  readonly message?: string | null;
  readonly data?: JsonValue;
  readonly totalitems?: string | number;
  readonly itemsperpage?: string | number;
}

export function buildOcsEnvelope(input: OcsResponseInput): OcsEnvelope {
  const statuscode = ocsRenderedStatuscode(input.version, input.statuscode);
  const status = ocsStatusWord(statuscode);
  const message =
    input.message !== undefined
      ? input.message
      : status === 'ok' && input.version === 2
        ? 'OK'
        : null;
  const meta: OcsMeta = {
    status,
    statuscode,
    message,
    ...(input.totalitems === undefined ? {} : { totalitems: input.totalitems }),
    ...(input.itemsperpage === undefined ? {} : { itemsperpage: input.itemsperpage }),
  };
  return { meta, data: input.data === undefined ? [] : input.data };
}

export function serialiseOcsEnvelope(
  envelope: OcsEnvelope,
  format: OcsFormat,
): SerialiseResult<string> {
  const meta: JsonObject = { ...envelope.meta };
  const ocs: JsonObject = { meta, data: envelope.data };
  if (format === 'json') return succeed(JSON.stringify({ ocs }));
  const lines = ['<?xml version="1.0"?>'];
  const issues = writeXmlElement('ocs', ocs, 0, lines, 'ocs');
  return issues.length > 0 ? fail(issues) : succeed(`${lines.join('\n')}\n`);
}

/** Envelope + HTTP status + content type, with the v1/v2 status rules applied. */
export function buildOcsResponse(input: OcsResponseInput): SerialiseResult<OcsResponseWire> {
  const envelope = buildOcsEnvelope(input);
  const body = serialiseOcsEnvelope(envelope, input.format);
  if (!body.ok) return body;
  return succeed({
    status: ocsHttpStatus(input.version, envelope.meta.statuscode),
    contentType: OCS_CONTENT_TYPE[input.format],
    body: body.value,
  });
}

/** Parses a body given as JSON text, XML text, or an already decoded JSON object. */
export function parseOcsEnvelope(
  body: unknown,
  options: CodecOptions = {},
): ParseResult<OcsEnvelope> {
  const strict = options.mode === 'strict';
  if (typeof body === 'string') {
    const text = body.trimStart();
    if (text.startsWith('<')) {
      const root = readXml(text);
      if (!root.ok) return root;
      if (root.value.name !== 'ocs') {
        return fail([{ field: 'ocs', message: `the XML root is <${root.value.name}>, not <ocs>` }]);
      }
      const ocs = xmlElementToJson(root.value);
      if (!isJsonObject(ocs))
        return fail([{ field: 'ocs', message: 'has no <meta>/<data> children' }]);
      return readOcs(ocs, true, strict);
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      return fail([{ field: 'body', message: 'is neither JSON nor XML' }]);
    }
    return parseOcsEnvelope(decoded, options);
  }
  const json = toJsonValue(body);
  if (!isJsonObject(json) || !isJsonObject(json.ocs)) {
    return fail([{ field: 'ocs', message: 'the body has no "ocs" object' }]);
  }
  return readOcs(json.ocs, false, strict);
}

function readOcs(ocs: JsonObject, fromXml: boolean, strict: boolean): ParseResult<OcsEnvelope> {
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const quirk = (field: string, message: string) =>
    (strict ? issues : warnings).push({ field, message });
  const meta = ocs.meta;
  if (!isJsonObject(meta))
    return fail([{ field: 'ocs.meta', message: 'is missing or not an object' }]);
  let statuscode = Number.NaN;
  const rawCode = meta.statuscode;
  if (typeof rawCode === 'number' && Number.isInteger(rawCode)) statuscode = rawCode;
  else if (typeof rawCode === 'string' && /^[0-9]{1,4}$/.test(rawCode)) {
    statuscode = Number(rawCode);
    if (!fromXml) quirk('ocs.meta.statuscode', 'is a string, not a number (Pydio 8)');
  } else issues.push({ field: 'ocs.meta.statuscode', message: 'is missing or not an integer' });
  const status = meta.status;
  if (typeof status !== 'string')
    issues.push({ field: 'ocs.meta.status', message: 'is missing or not a string' });
  else if (status !== 'ok' && status !== 'failure')
    quirk('ocs.meta.status', `"${status.slice(0, 20)}" is neither ok nor failure`);
  let message: string | null = null;
  const rawMessage = meta.message;
  if (typeof rawMessage === 'string') message = fromXml && rawMessage === '' ? null : rawMessage;
  else if (rawMessage !== null && rawMessage !== undefined) {
    issues.push({ field: 'ocs.meta.message', message: 'must be a string or null' });
  }
  let data: JsonValue = ocs.data ?? null;
  if (ocs.data === undefined) quirk('ocs.data', 'is missing (Pydio 8 errors omit it)');
  if (fromXml && data === '') data = [];
  if (issues.length > 0) return fail(issues);
  const optional = (key: 'totalitems' | 'itemsperpage') => {
    const value = meta[key];
    return (typeof value === 'string' && value !== '') || typeof value === 'number'
      ? { [key]: value }
      : {};
  };
  return succeed(
    {
      meta: {
        status: typeof status === 'string' ? status : '',
        statuscode,
        message,
        ...optional('totalitems'),
        ...optional('itemsperpage'),
      },
      data,
    },
    warnings,
  );
}
