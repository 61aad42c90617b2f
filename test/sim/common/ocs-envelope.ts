/** OCS response envelope as ownCloud/Nextcloud render it (legacy-protocols.md §1.2): XML unless
 * format=json; v1 always HTTP 200 with statuscode 100 on success; v2 uses real HTTP codes and 200. */
import type { SimResponse } from './sim-http-server.ts';

export type OcsApiVersion = 1 | 2;

export interface OcsResult {
  /** Internal result code: 100 = success, otherwise the error code (400, 403, 404, …). */
  code: number;
  message?: string | null;
  data?: unknown;
}

/** PHP's json_encode escapes '/' ; real servers therefore send "https:\/\/host". */
export function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

function v2HttpStatus(code: number): number {
  if (code === 100) return 200;
  if (code === 996 || code === 999) return 500;
  if (code === 998) return 404;
  if (code >= 200 && code < 600) return code;
  return 400;
}

/**
 * Renders an OCS result. `successMessage` is what the framework puts in meta.message on success
 * (ownCloud: null, Nextcloud: "OK").
 */
export function renderOcs(
  result: OcsResult,
  options: { apiVersion: OcsApiVersion; format: string | undefined; successMessage: string | null },
): SimResponse {
  const ok = result.code === 100;
  const statuscode = options.apiVersion === 2 && ok ? 200 : result.code;
  const meta = {
    status: ok ? 'ok' : 'failure',
    statuscode,
    message: result.message !== undefined ? result.message : ok ? options.successMessage : null,
  };
  const data = result.data ?? [];
  const status = options.apiVersion === 1 ? 200 : v2HttpStatus(result.code);
  if (options.format === 'json') {
    return {
      status,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: phpJson({ ocs: { meta, data } }),
    };
  }
  return {
    status,
    headers: { 'Content-Type': 'text/xml; charset=UTF-8' },
    body: ocsXml(meta, data),
  };
}

function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined || value === '') return `${indent}<${name}/>\n`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<${name}/>\n`;
    const inner = value.map((v) => element('element', v, `${indent} `)).join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return `${indent}<${name}/>\n`;
    const inner = entries.map(([k, v]) => element(k, v, `${indent} `)).join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  const scalar =
    typeof value === 'boolean'
      ? value
        ? '1'
        : ''
      : typeof value === 'number' || typeof value === 'string'
        ? String(value)
        : '';
  return `${indent}<${name}>${escapeXml(scalar)}</${name}>\n`;
}

/** XMLWriter output with a one-space indent, as in the legacy-create-share-v1-xml fixture. */
function ocsXml(meta: Record<string, unknown>, data: unknown): string {
  return `<?xml version="1.0"?>\n<ocs>\n${element('meta', meta, ' ')}${element('data', data, ' ')}</ocs>\n`;
}

/** The OCS request context every legacy route needs: API version from the path, format from query. */
export function ocsOptions(
  apiSegment: string,
  query: Record<string, string>,
  body: unknown,
  successMessage: string | null,
):
  | { apiVersion: OcsApiVersion; format: string | undefined; successMessage: string | null }
  | undefined {
  const apiVersion = apiSegment === 'v1.php' ? 1 : apiSegment === 'v2.php' ? 2 : undefined;
  if (apiVersion === undefined) return undefined;
  // PHP reads `format` from $_GET first, then $_POST (ownCloud 9.0 put it in the body).
  let format = query.format;
  if (format === undefined && typeof body === 'object' && body !== null) {
    const f = (body as Record<string, unknown>).format;
    if (typeof f === 'string') format = f;
  }
  return { apiVersion, format, successMessage };
}
