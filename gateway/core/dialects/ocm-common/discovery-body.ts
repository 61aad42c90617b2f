/**
 * The discovery document (`/ocm-provider`, `/.well-known/ocm`; ocm-versions §2.2, legacy-protocols
 * §2.3): ownCloud 10's `shareTypes`, string|object protocols, every capability spelling.
 */
import type {
  CanonicalDiscovery,
  CavagePublicKey,
  DiscoveryPublicKey,
  ResourceTypeDescriptor,
} from '../../model/canonical-discovery.ts';
import type { CodecMode } from '../../model/codec.ts';
import { toJsonValue, type JsonObject } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import {
  normaliseCapabilities,
  normaliseCriteria,
  writeCapabilities,
  writeCriteria,
} from './capability-names.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { isWireRecord, own, WireReader, type WireRecord } from './wire-reader.ts';

export const DISCOVERY_KEYS = [
  'enabled',
  'apiVersion',
  'version',
  'endPoint',
  'provider',
  'resourceTypes',
  'shareTypes',
  'capabilities',
  'criteria',
  'publicKey',
  'publicKeys',
  'jwksUri',
  'tokenEndPoint',
  'inviteAcceptDialog',
];

function parseResourceType(
  reader: WireReader,
  raw: unknown,
  field: string,
  objectProtocols: boolean,
): ResourceTypeDescriptor | undefined {
  if (!isWireRecord(raw)) {
    reader.issue(field, 'must be an object');
    return undefined;
  }
  const name = reader.nonEmptyString(raw, 'name', `${field}.name`, { required: true });
  const shareTypes = reader.stringList(raw, 'shareTypes', `${field}.shareTypes`) ?? [];
  const protocolsRaw = reader.record(raw, 'protocols', `${field}.protocols`) ?? {};
  const protocols: Record<string, string | JsonObject> = {};
  for (const key of Object.keys(protocolsRaw)) {
    if (key === '__proto__') continue;
    const value = protocolsRaw[key];
    if (typeof value === 'string') protocols[key] = value;
    else if (isWireRecord(value)) {
      if (!objectProtocols)
        reader.quirk(`${field}.protocols.${key}`, 'is an object; this version expects a string');
      const copy = toJsonValue(value);
      if (copy !== undefined && isWireRecord(copy)) protocols[key] = copy;
    } else reader.issue(`${field}.protocols.${key}`, 'must be a string or an object');
  }
  if (name === undefined) return undefined;
  return { name, shareTypes, protocols };
}

function parsePublicKey(reader: WireReader, raw: WireRecord): CavagePublicKey | undefined {
  const keyId =
    reader.string(raw, 'keyId', 'publicKey.keyId') ?? reader.string(raw, 'id', 'publicKey.id');
  const publicKeyPem = reader.string(raw, 'publicKeyPem', 'publicKey.publicKeyPem', {
    required: true,
  });
  if (keyId === undefined) reader.issue('publicKey.keyId', 'is required');
  return keyId === undefined || publicKeyPem === undefined ? undefined : { keyId, publicKeyPem };
}

function parsePublicKeys(reader: WireReader, wire: WireRecord): DiscoveryPublicKey[] {
  const raw = own(wire, 'publicKeys');
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    reader.issue('publicKeys', 'must be a list');
    return [];
  }
  const out: DiscoveryPublicKey[] = [];
  for (const [index, item] of (raw as unknown[]).entries()) {
    const field = `publicKeys[${index}]`;
    if (!isWireRecord(item)) {
      reader.issue(field, 'must be an object');
      continue;
    }
    const keyId = reader.string(item, 'keyId', `${field}.keyId`, { required: true });
    const publicKeyPem = reader.string(item, 'publicKeyPem', `${field}.publicKeyPem`, {
      required: true,
    });
    const algorithm = reader.string(item, 'algorithm', `${field}.algorithm`, {
      required: 'strict',
    });
    if (keyId !== undefined && publicKeyPem !== undefined) {
      out.push({ keyId, publicKeyPem, ...(algorithm !== undefined && { algorithm }) });
    }
  }
  return out;
}

export function parseDiscoveryBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalDiscovery> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const d = rules.discovery;
  const enabled = reader.boolean(wire, 'enabled', 'enabled', { required: true });
  const apiVersion = reader.nonEmptyString(wire, 'apiVersion', 'apiVersion', { required: true });
  const version = reader.string(wire, 'version', 'version');
  const endPoint = reader.nonEmptyString(wire, 'endPoint', 'endPoint', { required: true });
  const provider = reader.string(wire, 'provider', 'provider');

  let resourceTypesKey: 'resourceTypes' | 'shareTypes' | undefined;
  let list = own(wire, 'resourceTypes');
  if (list !== undefined && list !== null) resourceTypesKey = 'resourceTypes';
  else {
    list = own(wire, 'shareTypes');
    if (Array.isArray(list)) {
      resourceTypesKey = 'shareTypes';
      if (d.resourceKey === 'resourceTypes')
        reader.quirk('shareTypes', 'is ownCloud 10 naming for resourceTypes');
    } else {
      reader.missing('resourceTypes', { required: 'strict' });
      if (!reader.strict) reader.warn('resourceTypes', 'is missing; no resource type is known');
      list = [];
    }
  }
  const resourceTypes: ResourceTypeDescriptor[] = [];
  if (!Array.isArray(list)) reader.issue(resourceTypesKey ?? 'resourceTypes', 'must be a list');
  else {
    for (const [index, item] of (list as unknown[]).entries()) {
      const parsed = parseResourceType(
        reader,
        item,
        `${resourceTypesKey ?? 'resourceTypes'}[${index}]`,
        d.objectProtocols,
      );
      if (parsed !== undefined) resourceTypes.push(parsed);
    }
  }
  const capabilitiesRaw = reader.stringList(wire, 'capabilities', 'capabilities');
  const criteriaRaw = reader.stringList(wire, 'criteria', 'criteria');
  const publicKeyRaw = reader.record(wire, 'publicKey', 'publicKey');
  const publicKey = publicKeyRaw === undefined ? undefined : parsePublicKey(reader, publicKeyRaw);
  const publicKeys = parsePublicKeys(reader, wire);
  const jwksUri = reader.string(wire, 'jwksUri', 'jwksUri');
  const tokenEndPoint = reader.string(wire, 'tokenEndPoint', 'tokenEndPoint');
  const inviteAcceptDialog = reader.string(wire, 'inviteAcceptDialog', 'inviteAcceptDialog');
  // Our own compat shape carries both keys; `shareTypes` is then an alias, not an unknown field.
  const consumed = Array.isArray(own(wire, 'shareTypes'))
    ? DISCOVERY_KEYS
    : DISCOVERY_KEYS.filter((key) => key !== 'shareTypes');
  const extra = reader.extra(wire, consumed, '');
  if (
    reader.issues.length > 0 ||
    enabled === undefined ||
    apiVersion === undefined ||
    endPoint === undefined
  ) {
    return fail(reader.issues);
  }
  return succeed<CanonicalDiscovery>(
    {
      enabled,
      apiVersion,
      ...(version !== undefined && { version }),
      endPoint,
      ...(provider !== undefined && { provider }),
      resourceTypes,
      ...(resourceTypesKey !== undefined && { resourceTypesKey }),
      capabilities: normaliseCapabilities(capabilitiesRaw ?? []),
      ...(capabilitiesRaw !== undefined && { capabilitiesRaw }),
      criteria: normaliseCriteria(criteriaRaw ?? []),
      ...(criteriaRaw !== undefined && { criteriaRaw }),
      ...(publicKey !== undefined && { publicKey }),
      publicKeys,
      ...(jwksUri !== undefined && { jwksUri }),
      ...(tokenEndPoint !== undefined && { tokenEndPoint }),
      ...(inviteAcceptDialog !== undefined && { inviteAcceptDialog }),
      ...(extra !== undefined && { extra }),
    },
    reader.warnings,
  );
}

function writeResourceType(
  sink: WireReader,
  rt: ResourceTypeDescriptor,
  index: number,
  rules: OcmDialectRules,
  withShareTypes: boolean,
): JsonObject {
  const protocols: JsonObject = {};
  for (const [key, value] of Object.entries(rt.protocols)) {
    if (typeof value === 'string' || rules.discovery.objectProtocols) protocols[key] = value;
    else
      sink.warn(
        `resourceTypes[${index}].protocols.${key}`,
        `is an object; ${rules.id} cannot carry it`,
      );
  }
  return withShareTypes
    ? { name: rt.name, shareTypes: [...rt.shareTypes], protocols }
    : { name: rt.name, protocols };
}

export function serialiseDiscoveryBody(
  doc: CanonicalDiscovery,
  rules: OcmDialectRules,
): ParseResult<JsonObject> {
  const sink = new WireReader('lenient');
  const d = rules.discovery;
  const dialect = rules.id;
  const cannot = (field: string): void => {
    sink.warn(field, `cannot be carried by ${dialect}`);
  };
  const out: JsonObject = {
    enabled: doc.enabled,
    apiVersion: d.ownsApiVersion(doc.apiVersion) ? doc.apiVersion : d.apiVersion,
    endPoint: doc.endPoint,
  };
  if (doc.provider !== undefined) out.provider = doc.provider;
  if (doc.version !== undefined) {
    if (d.nextcloudVersion) out.version = doc.version;
    else cannot('version');
  }
  if (d.resourceKey !== 'shareTypes') {
    out.resourceTypes = doc.resourceTypes.map((rt, i) =>
      writeResourceType(sink, rt, i, rules, true),
    );
  }
  if (d.resourceKey !== 'resourceTypes') {
    // ownCloud 10's list carries no inner shareTypes.
    const quiet = new WireReader('lenient');
    out.shareTypes = doc.resourceTypes.map((rt, i) =>
      writeResourceType(d.resourceKey === 'both' ? quiet : sink, rt, i, rules, false),
    );
  }
  if (doc.capabilities.length > 0) {
    if (d.capabilities === 'none') cannot('capabilities');
    else {
      const { written, dropped } = writeCapabilities(d.capabilities, doc.capabilities);
      for (const name of dropped) cannot(`capabilities.${name}`);
      if (written.length > 0) out.capabilities = written;
    }
  }
  if (doc.criteria.length > 0) {
    if (!d.criteria || d.capabilities === 'none' || d.capabilities === 'v1.1') cannot('criteria');
    else {
      const { written, dropped } = writeCriteria(d.capabilities, doc.criteria);
      for (const name of dropped) cannot(`criteria.${name}`);
      if (written.length > 0) out.criteria = written;
    }
  }
  if (doc.publicKey !== undefined) {
    if (d.cavagePublicKey)
      out.publicKey = { keyId: doc.publicKey.keyId, publicKeyPem: doc.publicKey.publicKeyPem };
    else cannot('publicKey');
  }
  if (doc.publicKeys.length > 0) {
    if (d.publicKeys) {
      // 1.2.2+ requires `algorithm`; a key without one cannot be advertised there.
      const keys: JsonObject[] = [];
      doc.publicKeys.forEach((k, index) => {
        if (k.algorithm === undefined)
          sink.warn(`publicKeys[${index}].algorithm`, `is required by ${dialect}; key not sent`);
        else keys.push({ keyId: k.keyId, publicKeyPem: k.publicKeyPem, algorithm: k.algorithm });
      });
      if (keys.length > 0) out.publicKeys = keys;
    } else cannot('publicKeys');
  }
  const optional = [
    ['jwksUri', doc.jwksUri, d.jwksUri],
    ['tokenEndPoint', doc.tokenEndPoint, d.tokenEndPoint],
    ['inviteAcceptDialog', doc.inviteAcceptDialog, d.inviteAcceptDialog],
  ] as const;
  for (const [key, value, allowed] of optional) {
    if (value === undefined) continue;
    if (allowed) out[key] = value;
    else cannot(key);
  }
  for (const [key, value] of Object.entries(doc.extra ?? {})) {
    if (DISCOVERY_KEYS.includes(key))
      sink.warn(`extra.${key}`, 'collides with a protocol field and was not sent');
    else out[key] = value;
  }
  return succeed(out, sink.warnings);
}
