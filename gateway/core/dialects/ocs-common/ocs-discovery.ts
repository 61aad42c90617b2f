/**
 * `/ocs-provider/` ↔ canonical discovery. OCS discovery knows only two paths, so the mapping is:
 * FEDERATED_SHARING.share ↔ `endPoint` (a relative path: calls go to `<endPoint>/{id}/{action}`,
 * not OCM's `<endPoint>/shares`), FEDERATED_SHARING.webdav ↔ resource `file` protocol `webdav`,
 * no `apiVersion` (empty), `enabled` ↔ FEDERATED_SHARING present.
 */
import type {
  CanonicalDiscovery,
  CodecMode,
  JsonObject,
  ParseResult,
  SerialiseResult,
} from '../../model/index.ts';
import { succeed } from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';
import { OCS_DEFAULT_WEBDAV_PATH, parseOcsProvider, serialiseOcsProvider } from './ocs-provider.ts';
import { ocsSharePath } from './ocs-share-path.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';

export function parseOcsDiscovery(
  body: unknown,
  rules: OcsDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalDiscovery> {
  const parsed = parseOcsProvider(body, mode);
  if (!parsed.ok) return parsed;
  const warnings: ValidationIssue[] = [...parsed.warnings];
  const fed = parsed.value.federatedSharing;
  if (fed === undefined)
    warnings.push({
      field: 'services.FEDERATED_SHARING',
      message: 'is not advertised: federated sharing is off',
    });
  const share = fed?.share ?? ocsSharePath(rules.version, rules.flavour);
  const webdav = fed?.webdav ?? OCS_DEFAULT_WEBDAV_PATH;
  if (fed !== undefined && fed.share === undefined)
    warnings.push({
      field: 'services.FEDERATED_SHARING.endpoints.share',
      message: `not usable: ${share} assumed`,
    });
  return succeed(
    {
      enabled: fed !== undefined,
      apiVersion: '',
      endPoint: share,
      resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav } }],
      capabilities: [],
      criteria: [],
      publicKeys: [],
    },
    warnings,
  );
}

function isPlainPath(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//');
}

export function serialiseOcsDiscovery(
  discovery: CanonicalDiscovery,
  rules: OcsDialectRules,
): SerialiseResult<JsonObject> {
  const warnings: ValidationIssue[] = [];
  if (!discovery.enabled) return succeed({ version: 2, services: {} });
  let share = discovery.endPoint;
  if (!isPlainPath(share)) {
    share = ocsSharePath(rules.version, rules.flavour);
    warnings.push({
      field: 'endPoint',
      message: `is not a relative path; ${share} advertised instead`,
    });
  }
  const file = discovery.resourceTypes.find((r) => r.name === 'file');
  let webdav = file?.protocols.webdav;
  if (!isPlainPath(webdav)) {
    webdav = `${OCS_DEFAULT_WEBDAV_PATH}/`;
    warnings.push({
      field: 'resourceTypes.file.protocols.webdav',
      message: `is not a relative path; ${webdav} advertised instead`,
    });
  }
  if (
    discovery.capabilities.length > 0 ||
    discovery.publicKeys.length > 0 ||
    discovery.publicKey !== undefined
  ) {
    warnings.push({
      field: 'capabilities',
      message: 'OCS discovery carries only the share and webdav paths; the rest is dropped',
    });
  }
  const doc = serialiseOcsProvider({ share, webdav, pydioSharesKey: rules.flavour === 'pydio8' });
  return doc.ok ? succeed(doc.value, warnings) : doc;
}
