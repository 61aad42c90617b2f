/**
 * The share's `protocol` object in all its forms (ocm-versions §3.2): v1.0 `name`+`options`, v1.1
 * `name`+typed object, `multi`; parsed into CanonicalProtocols and written back per dialect.
 */
import type {
  CanonicalProtocols,
  SshProtocol,
  WebappProtocol,
  WebdavProtocol,
} from '../../model/canonical-share.ts';
import { toJsonValue, type JsonObject, type JsonValue } from '../../model/json-value.ts';
import type { OcmShareRules } from './ocm-dialect-rules.ts';
import { parseSshObject, writeSshObject } from './ssh-protocol.ts';
import { parseWebappObject, writeWebappObject } from './webapp-protocol.ts';
import {
  parseWebdavObject,
  parseWebdavOptions,
  writeWebdavObject,
  writeWebdavOptions,
} from './webdav-protocol.ts';
import { isWireRecord, own, type WireReader, type WireRecord } from './wire-reader.ts';

const TYPED = ['webdav', 'webapp', 'ssh'];

export function parseProtocolObject(
  reader: WireReader,
  protocol: WireRecord,
  rules: OcmShareRules,
): CanonicalProtocols | undefined {
  const name = reader.nonEmptyString(protocol, 'name', 'protocol.name', {
    required: rules.protocolForm === 'multi' ? 'strict' : true,
  });
  if (rules.protocolForm === 'options' && name !== undefined && name !== 'webdav') {
    reader.quirk('protocol.name', 'must be webdav in this version');
  }
  const optionsRaw = own(protocol, 'options');
  const options = isWireRecord(optionsRaw) ? optionsRaw : undefined;
  if (optionsRaw !== undefined && optionsRaw !== null && options === undefined) {
    reader.issue('protocol.options', 'must be an object');
  }
  if (options !== undefined && rules.protocolForm === 'multi') {
    reader.warn('protocol.options', 'is deprecated; read for compatibility');
  }
  // `options` belongs to the named protocol; with `multi` (or no name) it can only be webdav's.
  const optionsOwner = name === undefined || name === 'multi' ? 'webdav' : name;

  let webdav: WebdavProtocol | undefined;
  let webapp: WebappProtocol | undefined;
  let ssh: SshProtocol | undefined;
  const unknown: Record<string, JsonValue> = {};

  const webdavRaw = reader.record(protocol, 'webdav', 'protocol.webdav');
  const legacy =
    options !== undefined && optionsOwner === 'webdav' ? parseWebdavOptions(reader, options) : {};
  if (webdavRaw !== undefined || (options !== undefined && optionsOwner === 'webdav')) {
    if (rules.protocolForm === 'options' && webdavRaw !== undefined) {
      reader.quirk('protocol.webdav', 'is not part of this version (v1.0 has options only)');
    }
    webdav = parseWebdavObject(reader, webdavRaw ?? {}, rules, legacy);
  }
  const webappRaw =
    reader.record(protocol, 'webapp', 'protocol.webapp') ??
    (optionsOwner === 'webapp' ? options : undefined);
  if (webappRaw !== undefined) {
    if (rules.webapp === 'none') reader.quirk('protocol.webapp', 'is not part of this version');
    webapp = parseWebappObject(reader, webappRaw, rules);
  }
  const sshRaw =
    reader.record(protocol, 'ssh', 'protocol.ssh') ??
    (optionsOwner === 'ssh' ? options : undefined);
  if (sshRaw !== undefined) {
    if (!rules.ssh) reader.quirk('protocol.ssh', 'is not part of this version');
    ssh = parseSshObject(reader, sshRaw);
  }
  for (const key of Object.keys(protocol)) {
    if (key === 'name' || key === 'options' || key === '__proto__' || TYPED.includes(key)) continue;
    const value = toJsonValue(protocol[key]);
    if (value === undefined) {
      reader.warn(`protocol.${key}`, 'is not JSON and was dropped');
    } else if (value !== null) {
      if (!rules.otherProtocols)
        reader.quirk(`protocol.${key}`, 'is not a protocol of this version');
      unknown[key] = value;
    }
  }
  if (options !== undefined && optionsOwner !== 'webdav' && !TYPED.includes(optionsOwner)) {
    unknown[optionsOwner] ??= toJsonValue(options) ?? {};
  }
  if (
    webdav === undefined &&
    webapp === undefined &&
    ssh === undefined &&
    Object.keys(unknown).length === 0
  ) {
    reader.issue('protocol', 'offers no protocol');
    return undefined;
  }
  return {
    ...(webdav !== undefined && { webdav }),
    ...(webapp !== undefined && { webapp }),
    ...(ssh !== undefined && { ssh }),
    unknown,
  };
}

/** Writes `protocol` in the dialect's form; undefined (with issues) when nothing can be carried. */
export function writeProtocolObject(
  sink: WireReader,
  protocols: CanonicalProtocols,
  rules: OcmShareRules,
  dialect: string,
): JsonObject | undefined {
  if (rules.protocolForm === 'options') {
    const webdav = protocols.webdav;
    if (protocols.webapp !== undefined)
      sink.warn('protocols.webapp', `cannot be carried by ${dialect}`);
    if (protocols.ssh !== undefined) sink.warn('protocols.ssh', `cannot be carried by ${dialect}`);
    for (const key of Object.keys(protocols.unknown))
      sink.warn(`protocols.unknown.${key}`, `cannot be carried by ${dialect}`);
    if (webdav?.sharedSecret === undefined) {
      sink.issue(
        'protocols.webdav.sharedSecret',
        `is required by ${dialect} (protocol.options.sharedSecret)`,
      );
      return undefined;
    }
    for (const key of ['uri', 'requirements', 'accessTypes', 'size', 'extra'] as const) {
      const value = webdav[key];
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
        sink.warn(`protocols.webdav.${key}`, `cannot be carried by ${dialect}`);
      }
    }
    if (webdav.permissions.length > 0)
      sink.warn('protocols.webdav.permissions', `cannot be carried by ${dialect}`);
    return { name: 'webdav', options: writeWebdavOptions(webdav, true) ?? {} };
  }

  const typed: JsonObject = {};
  const webdav =
    protocols.webdav === undefined
      ? undefined
      : writeWebdavObject(sink, protocols.webdav, rules, dialect);
  if (webdav !== undefined) typed.webdav = webdav;
  const webapp =
    protocols.webapp === undefined
      ? undefined
      : writeWebappObject(sink, protocols.webapp, rules, dialect);
  if (webapp !== undefined) typed.webapp = webapp;
  if (protocols.ssh !== undefined) {
    if (rules.ssh) typed.ssh = writeSshObject(protocols.ssh);
    else sink.warn('protocols.ssh', `cannot be carried by ${dialect}`);
  }
  for (const [key, value] of Object.entries(protocols.unknown)) {
    const reserved = key === 'name' || key === 'options' || TYPED.includes(key);
    if (
      !rules.otherProtocols ||
      reserved ||
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value)
    ) {
      sink.warn(`protocols.unknown.${key}`, `cannot be carried by ${dialect}`);
    } else {
      typed[key] = value;
    }
  }
  const offered = Object.keys(typed);
  if (offered.length === 0) {
    sink.issue('protocols', `offers no protocol ${dialect} can carry`);
    return undefined;
  }
  const single = offered.length === 1 && offered[0] === 'webdav';
  const out: JsonObject = {
    name: rules.protocolForm === 'named-with-options' && single ? 'webdav' : 'multi',
  };
  if (protocols.webdav !== undefined && webdav !== undefined && rules.protocolForm !== 'multi') {
    // Old receivers (Nextcloud's cloud_federation_api) only read options.sharedSecret; a share with
    // requirements must not offer that plain-secret path.
    const withSecret =
      protocols.webdav.requirements.length === 0 || rules.protocolForm === 'named-with-options';
    const options = writeWebdavOptions(protocols.webdav, withSecret);
    if (options !== undefined) out.options = options;
  } else if (protocols.webdav?.legacyOptions !== undefined) {
    sink.warn('protocols.webdav.legacyOptions', `cannot be carried by ${dialect}`);
  }
  return { ...out, ...typed };
}
