/**
 * `/ocs-provider/` discovery (legacy-protocols.md §2.1): ownCloud ≥ 9.0, Nextcloud, Pydio 8.
 * Endpoint paths are relative to the instance base URL; only FEDERATED_SHARING matters here.
 */
import type { CodecMode, JsonObject, ParseResult } from '../../model/index.ts';
import { fail, isJsonObject, succeed, toJsonValue } from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';

export interface OcsFederatedSharingService {
  readonly version: number;
  /** createShare path, `/ocs/v2.php/cloud/shares` (Pydio: `/ocs/v2/shares`); undefined if not usable. */
  readonly share?: string;
  /** Public WebDAV path, `/public.php/webdav/` (Pydio: `/ocs/v2/dav`); undefined if not usable. */
  readonly webdav?: string;
  /** Every advertised endpoint verbatim (Nextcloud's federation app adds shared-secret, …). */
  readonly endpoints: Readonly<Record<string, string>>;
}

export interface OcsProviderDocument {
  readonly version: number;
  readonly federatedSharing?: OcsFederatedSharingService;
  /** All services verbatim. */
  readonly services: JsonObject;
}

/** Nextcloud ≥ 12 accepts `^[/.\-A-Za-z0-9]+$`; ownCloud also refuses `-` and `_`. */
const NEXTCLOUD_PATH = /^[/.\-A-Za-z0-9]+$/;
const OWNCLOUD_PATH = /^[/.A-Za-z0-9]+$/;

export const OCS_DEFAULT_WEBDAV_PATH = '/public.php/webdav';

export function parseOcsProvider(
  body: unknown,
  mode: CodecMode = 'lenient',
): ParseResult<OcsProviderDocument> {
  let doc: unknown = body;
  if (typeof body === 'string') {
    try {
      doc = JSON.parse(body);
    } catch {
      return fail([{ field: 'body', message: 'is not JSON' }]);
    }
  }
  const json = toJsonValue(doc);
  if (!isJsonObject(json)) return fail([{ field: 'body', message: 'must be a JSON object' }]);
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const quirk = (field: string, message: string) =>
    (mode === 'strict' ? issues : warnings).push({ field, message });
  const version = typeof json.version === 'number' ? json.version : 0;
  if (typeof json.version !== 'number') quirk('version', 'is missing or not a number');
  const services = isJsonObject(json.services) ? json.services : undefined;
  if (services === undefined)
    return fail([{ field: 'services', message: 'is missing or not an object' }]);
  const fed = services.FEDERATED_SHARING;
  let federatedSharing: OcsFederatedSharingService | undefined;
  if (isJsonObject(fed)) {
    const raw = isJsonObject(fed.endpoints) ? fed.endpoints : {};
    const endpoints = Object.fromEntries(
      Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const usable = (key: 'share' | 'webdav'): string | undefined => {
      const value = endpoints[key];
      if (value === undefined) return undefined;
      if (NEXTCLOUD_PATH.test(value)) return value;
      quirk(
        `services.FEDERATED_SHARING.endpoints.${key}`,
        'is not a plain path; consumers ignore it and use their default',
      );
      return undefined;
    };
    const share = usable('share');
    const webdav = usable('webdav');
    federatedSharing = {
      version: typeof fed.version === 'number' ? fed.version : 1,
      ...(share === undefined ? {} : { share }),
      ...(webdav === undefined ? {} : { webdav }),
      endpoints,
    };
  }
  if (issues.length > 0) return fail(issues);
  return succeed(
    { version, ...(federatedSharing ? { federatedSharing } : {}), services },
    warnings,
  );
}

export interface OcsProviderInput {
  readonly share: string;
  readonly webdav: string;
  /** Also advertise `shares` (Pydio 8 looks that key up, sic). */
  readonly pydioSharesKey?: boolean;
}

/**
 * The document the facade serves. Paths must be plain (`^[/.A-Za-z0-9]+$`): ownCloud ignores an
 * endpoint with `-` or `_` and falls back to v1, so such a path is refused here.
 */
export function serialiseOcsProvider(input: OcsProviderInput): ParseResult<JsonObject> {
  const issues = (['share', 'webdav'] as const)
    .filter((key) => !OWNCLOUD_PATH.test(input[key]) || !input[key].startsWith('/'))
    .map((key) => ({
      field: key,
      message: 'must be a path of [/.A-Za-z0-9] only (ownCloud ignores others)',
    }));
  if (issues.length > 0) return fail(issues);
  const endpoints: JsonObject = { share: input.share, webdav: input.webdav };
  if (input.pydioSharesKey === true) endpoints.shares = input.share;
  return succeed({ version: 2, services: { FEDERATED_SHARING: { version: 1, endpoints } } });
}
