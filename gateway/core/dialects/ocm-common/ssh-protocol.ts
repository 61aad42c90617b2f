/** The `ssh` protocol object of a share (1.2.2+ OpenAPI / I-D-05): `{uri, accessTypes}`. */
import { ACCESS_TYPES, type AccessType, type SshProtocol } from '../../model/canonical-share.ts';
import type { JsonObject } from '../../model/json-value.ts';
import type { WireReader, WireRecord } from './wire-reader.ts';

export function parseSshObject(reader: WireReader, raw: WireRecord): SshProtocol | undefined {
  const field = 'protocol.ssh';
  const uri = reader.string(raw, 'uri', `${field}.uri`, { required: true });
  const accessTypes = reader.stringList(raw, 'accessTypes', `${field}.accessTypes`, {
    allowed: ACCESS_TYPES,
  }) as AccessType[] | undefined;
  const extra = reader.extra(raw, ['uri', 'accessTypes'], field);
  if (uri === undefined) return undefined;
  return {
    uri,
    ...(accessTypes !== undefined && { accessTypes }),
    ...(extra !== undefined && { extra }),
  };
}

export function writeSshObject(ssh: SshProtocol): JsonObject {
  const out: JsonObject = { uri: ssh.uri };
  if (ssh.accessTypes !== undefined) out.accessTypes = [...ssh.accessTypes];
  for (const [key, value] of Object.entries(ssh.extra ?? {})) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}
