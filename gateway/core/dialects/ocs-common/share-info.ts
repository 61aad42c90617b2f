/**
 * `POST /index.php/apps/files_sharing/shareinfo?t=<token>` (form `password`), the probe old
 * receivers run when WebDAV fails (legacy-protocols.md §1.10). A 404/403 here makes them DELETE
 * the share when status.php looks valid, so the facade must answer it for every live token.
 */
import type { JsonObject, ParseResult } from '../../model/index.ts';
import { fail, isJsonObject, succeed, toJsonValue } from '../../model/index.ts';
import { readOcsForm } from './ocs-form.ts';

export const SHARE_INFO_PATH = '/index.php/apps/files_sharing/shareinfo';

/** HTTP statuses and what old receivers do with them. */
export const SHARE_INFO_STATUS = {
  ok: 200,
  /** Unknown token (or outgoing federation disabled): the receiver deletes its share. */
  unknownToken: 404,
  /** Wrong link password: the receiver deletes its share. */
  wrongPassword: 403,
} as const;

export interface ShareInfoRequest {
  readonly token: string;
  /** `''` when the share has no password. */
  readonly password: string;
}

/** `query` is the URL query (string or record) holding `t`; `body` the form holding `password`. */
export function parseShareInfoRequest(input: {
  readonly query: unknown;
  readonly body?: unknown;
}): ParseResult<ShareInfoRequest> {
  const query = readOcsForm(input.query, 'query');
  if (!query.ok) return query;
  const token = query.value.get('t') ?? '';
  if (token === '')
    return fail([{ field: 't', message: 'the share token query parameter is required' }]);
  const body = input.body === undefined || input.body === '' ? undefined : readOcsForm(input.body);
  if (body !== undefined && !body.ok) return body;
  return succeed({ token, password: body?.value.get('password') ?? '' });
}

/** `formatFileInfo()` output; keys vary by server version, so unknown ones are kept in `extra`. */
export interface ShareInfoData {
  readonly id: number;
  readonly parentId?: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly name: string;
  /** OCS bitmask (1 read, 2 update, 4 create, 8 delete, 16 share). */
  readonly permissions: number;
  readonly mimetype: string;
  readonly size: number;
  readonly type: 'file' | 'dir';
  readonly etag: string;
  readonly children?: readonly JsonObject[];
  readonly extra?: JsonObject;
}

/** The 200 body: `{"data":{…},"status":"success","message":…}`. */
export function serialiseShareInfoResponse(
  data: ShareInfoData,
  message = 'DEPRECATED API',
): JsonObject {
  return {
    data: {
      ...data.extra,
      id: data.id,
      ...(data.parentId === undefined ? {} : { parentId: data.parentId }),
      mtime: data.mtime,
      name: data.name,
      permissions: data.permissions,
      mimetype: data.mimetype,
      size: data.size,
      type: data.type,
      etag: data.etag,
      ...(data.type === 'dir' ? { children: [...(data.children ?? [])] } : {}),
    },
    status: 'success',
    message,
  };
}

export function parseShareInfoResponse(body: unknown): ParseResult<ShareInfoData> {
  let doc: unknown = body;
  if (typeof body === 'string') {
    try {
      doc = JSON.parse(body);
    } catch {
      return fail([{ field: 'body', message: 'is not JSON' }]);
    }
  }
  const json = toJsonValue(doc);
  if (!isJsonObject(json) || json.status !== 'success' || !isJsonObject(json.data)) {
    return fail([
      { field: 'status', message: 'the answer is not {"status":"success","data":{…}}' },
    ]);
  }
  const { id, parentId, mtime, name, permissions, mimetype, size, type, etag, children, ...extra } =
    json.data;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const idN = num(id);
  if (idN === undefined || typeof name !== 'string' || (type !== 'file' && type !== 'dir')) {
    return fail([{ field: 'data', message: 'needs a numeric id, a name and type file|dir' }]);
  }
  return succeed({
    id: idN,
    ...(num(parentId) === undefined ? {} : { parentId: num(parentId) }),
    mtime: num(mtime) ?? 0,
    name,
    permissions: num(permissions) ?? 0,
    mimetype: typeof mimetype === 'string' ? mimetype : '',
    size: num(size) ?? 0,
    type,
    etag: typeof etag === 'string' ? etag : '',
    ...(Array.isArray(children) ? { children: children.filter(isJsonObject) } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  });
}
