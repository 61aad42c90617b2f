/**
 * An OCM discovery document of any version (ocm-versions §2.2, legacy-protocols §2.3: ownCloud
 * 10's `shareTypes`, Nextcloud's `1.0-proposal1` / `1.1.0` + cavage `publicKey`, 1.2 `publicKeys`,
 * I-D-05) → PeerCapabilities, parsed by the dialect codecs in lenient mode.
 */
import { codecFor } from '../../gateway/core/dialects/dialect-registry.ts';
import type { CanonicalDiscovery } from '../../gateway/core/model/canonical-discovery.ts';
import type { OcmDialectId } from '../../gateway/core/model/dialect-id.ts';
import { isJsonObject, type JsonValue } from '../../gateway/core/model/json-value.ts';
import type { PeerCapabilities, PeerReference } from '../../gateway/ports/peer-discovery.ts';
import { absoluteHttpUrl, webdavUrl } from './peer-urls.ts';

export interface OcmDocumentContext {
  readonly peer: PeerReference;
  /** `scheme://host[:port][/path]` of the installation. */
  readonly baseUrl: string;
  /** The URL that answered (after redirects). */
  readonly documentUrl: string;
  /** A root `/.well-known/ocm` for a sub-path peer must describe that installation. */
  readonly mustDescribeBase: boolean;
}

export type OcmDocumentResult =
  | { readonly kind: 'ok'; readonly capabilities: PeerCapabilities }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'invalid' | 'foreign'; readonly detail: string };

/** The dialect an advertised apiVersion belongs to (the same rules as the codecs' ownsApiVersion). */
export function ocmDialectOfApiVersion(apiVersion: string): OcmDialectId | undefined {
  if (apiVersion === '1.0-proposal1') return 'ocm-proposal1';
  const match = /^v?1\.(\d{1,3})(?:[.-].*)?$/.exec(apiVersion.trim());
  if (match === null) return undefined;
  const minor = Number(match[1]);
  if (minor === 0) return 'ocm-1.0';
  if (minor === 1) return 'ocm-1.1';
  if (minor === 2) return 'ocm-1.2';
  return 'ocm-1.3';
}

export function normaliseOcmDocument(
  json: JsonValue,
  context: OcmDocumentContext,
): OcmDocumentResult {
  if (!isJsonObject(json)) return { kind: 'invalid', detail: 'the body is not a JSON object' };
  if (json.enabled === false || json.enabled === 'false') return { kind: 'disabled' };
  const apiVersion = typeof json.apiVersion === 'string' ? json.apiVersion : '';
  const dialect = ocmDialectOfApiVersion(apiVersion);
  const codec = codecFor(dialect ?? 'ocm-1.3');
  const parsed = codec?.discovery?.parse(json, { mode: 'lenient' });
  if (parsed === undefined) return { kind: 'invalid', detail: 'no discovery codec' };
  if (!parsed.ok) {
    const fields = parsed.issues.slice(0, 3).map((i) => `${i.field || 'body'} ${i.message}`);
    return { kind: 'invalid', detail: `not an OCM discovery document: ${fields.join('; ')}` };
  }
  const doc = parsed.value;
  const endPoint = absoluteHttpUrl(doc.endPoint, context.documentUrl);
  if (endPoint === undefined) return { kind: 'invalid', detail: 'endPoint is not an http(s) URL' };
  if (context.mustDescribeBase && !describesBase(endPoint, context)) {
    return {
      kind: 'foreign',
      detail: `its endPoint is not below ${context.baseUrl}: it describes another installation`,
    };
  }
  const warnings = parsed.warnings.map((w) => `${w.field}: ${w.message}`);
  if (dialect === undefined) {
    warnings.push(`apiVersion "${apiVersion.slice(0, 40)}" belongs to no known OCM version`);
  }
  return { kind: 'ok', capabilities: toCapabilities(doc, dialect, endPoint, warnings, context) };
}

function describesBase(endPoint: string, context: OcmDocumentContext): boolean {
  const end = new URL(endPoint);
  const base = new URL(context.baseUrl);
  return end.host === base.host && `${end.pathname}/`.startsWith(`${base.pathname}/`);
}

function toCapabilities(
  doc: CanonicalDiscovery,
  dialect: OcmDialectId | undefined,
  endPoint: string,
  warnings: string[],
  context: OcmDocumentContext,
): PeerCapabilities {
  const from = context.documentUrl;
  const sources: Record<string, string> = {
    endPoint: from,
    dialects: from,
    apiVersion: from,
    resourceTypes: from,
  };
  const file = doc.resourceTypes.find((r) => r.name.toLowerCase() === 'file');
  const webdav = file?.protocols.webdav;
  const webdavPath = typeof webdav === 'string' && webdav !== '' ? webdav : undefined;
  if (webdavPath === undefined) warnings.push('no WebDAV protocol for the file resource type');
  const resolvedWebdav =
    webdavPath === undefined ? undefined : webdavUrl(webdavPath, context.baseUrl);
  const tokenEndPoint =
    doc.tokenEndPoint === undefined ? undefined : absoluteHttpUrl(doc.tokenEndPoint, from);
  const jwksUri = doc.jwksUri === undefined ? undefined : absoluteHttpUrl(doc.jwksUri, from);
  const optional: [string, unknown][] = [
    ['webdavPath', webdavPath],
    ['capabilities', doc.capabilitiesRaw],
    ['criteria', doc.criteriaRaw],
    ['keys.cavage', doc.publicKey],
    ['keys.publicKeys', doc.publicKeys.length > 0 ? doc.publicKeys : undefined],
    ['tokenEndPoint', tokenEndPoint],
    ['inviteAcceptDialog', doc.inviteAcceptDialog],
    ['provider', doc.provider],
    ['version', doc.version],
  ];
  for (const [field, value] of optional) if (value !== undefined) sources[field] = from;
  if (new URL(endPoint).origin !== new URL(context.baseUrl).origin) {
    warnings.push('endPoint is on another origin than the discovery document');
  }
  return {
    peer: context.peer.key,
    baseUrl: context.baseUrl,
    family: 'ocm',
    dialects: dialect === undefined ? [] : [dialect],
    apiVersion: doc.apiVersion,
    ...(doc.version !== undefined && { version: doc.version }),
    ...(doc.provider !== undefined && { provider: doc.provider }),
    endPoint,
    ...(webdavPath !== undefined && { webdavPath }),
    ...(resolvedWebdav !== undefined && { webdavUrl: resolvedWebdav }),
    resourceTypes: doc.resourceTypes,
    capabilities: doc.capabilities,
    criteria: doc.criteria,
    ...(doc.capabilitiesRaw !== undefined && { capabilitiesRaw: doc.capabilitiesRaw }),
    ...(doc.criteriaRaw !== undefined && { criteriaRaw: doc.criteriaRaw }),
    keys: {
      ...(doc.publicKey !== undefined && { cavage: doc.publicKey }),
      publicKeys: doc.publicKeys,
      ...(jwksUri !== undefined && { jwksUri }),
    },
    ...(tokenEndPoint !== undefined && { tokenEndPoint }),
    ...(doc.inviteAcceptDialog !== undefined && { inviteAcceptDialog: doc.inviteAcceptDialog }),
    sources,
    warnings,
  };
}
