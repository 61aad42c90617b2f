/**
 * createShare form (legacy-protocols.md §1.3, all field generations) → canonical share:
 * base six fields (OC 8.2/9.0), + ownerFederatedId/sharedBy/sharedByFederatedId (OC 9.1, NC 10+),
 * + shareType (NC 14+), and ownCloud 10.1's bare-uid `sharedByFederatedId` (lenient only).
 */
import type {
  CanonicalShare,
  CodecMode,
  JsonObject,
  ParseResult,
  ShareType,
} from '../../model/index.ts';
import {
  formatCloudId,
  normalizeRemoteUrl,
  parseCloudId,
  type ServerLocation,
} from '../../address/index.ts';
import { isRequestWrapper, OcsFieldReader, readOcsForm } from './ocs-form.ts';
import { ocsShareTypeToCanonical } from './share-type-number.ts';
import { isAlphanumeric, legacyIdNumber } from './legacy-id.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type { OcsCodecOptions } from './ocs-codec-types.ts';

/** File-name check receivers apply ("The mountpoint name contains invalid characters."). */
export function isValidLegacyShareName(name: string): boolean {
  const trimmed = name.trim();
  return trimmed !== '' && trimmed !== '.' && trimmed !== '..' && !/[/\\\p{Cc}]/u.test(name);
}

export function parseOcsCreateShare(
  wire: unknown,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): ParseResult<CanonicalShare> {
  const form = readOcsForm(isRequestWrapper(wire) ? wire.body : wire);
  if (!form.ok) return form;
  const mode: CodecMode = options.mode ?? 'lenient';
  const r = new OcsFieldReader(form.value, mode);
  const shareWithUid = r.required('shareWith');
  const token = r.required('token');
  const name = r.required('name');
  const remoteIdText = r.required('remoteId');
  const ownerUid = r.required('owner');
  const remoteText = r.required('remote');
  const ownerFederatedId = r.optional('ownerFederatedId');
  const sharedBy = r.optional('sharedBy');
  const sharedByFederatedId = r.optional('sharedByFederatedId');
  const shareTypeText = r.optional('shareType');

  if (name !== undefined && !isValidLegacyShareName(name)) {
    r.issue('name', 'The mountpoint name contains invalid characters.');
  }
  if (token !== undefined && rules.alphanumericIds && !isAlphanumeric(token)) {
    r.quirk('token', 'Pydio 8 keeps only [A-Za-z0-9] of the token');
  }
  const remoteId = remoteIdText === undefined ? undefined : legacyIdNumber(remoteIdText);
  if (remoteIdText !== undefined && remoteId === undefined) {
    r.quirk('remoteId', 'is not a positive integer (legacy receivers cast it with (int))');
  }
  const remote = remoteText === undefined ? undefined : normalizeRemoteUrl(remoteText, 'remote');
  if (remote !== undefined && !remote.ok) r.issues.push(...remote.issues);
  const server = remote?.ok === true ? remote.value.server : undefined;

  const owner = readOwner(r, ownerFederatedId, ownerUid, server);
  const sender = readSender(r, { sharedBy, sharedByFederatedId, ownerUid, owner, server });
  const shareType = readShareType(r, shareTypeText);
  const shareWith = qualifyShareWith(r, shareWithUid, options.receiver);
  const extra: JsonObject = Object.fromEntries(r.unread(['format']));

  if (
    token === undefined ||
    name === undefined ||
    remoteIdText === undefined ||
    ownerUid === undefined ||
    remote?.ok !== true ||
    owner === undefined ||
    sender === undefined ||
    shareWith === undefined
  ) {
    return r.failed();
  }
  const share: CanonicalShare = {
    providerId: remoteIdText,
    shareWith,
    name,
    owner,
    ownerDisplayName: ownerUid,
    sender,
    senderDisplayName: sharedBy ?? ownerUid,
    shareType: shareType.type,
    resourceType: 'file',
    protocols: { webdav: { sharedSecret: token, permissions: [], requirements: [] }, unknown: {} },
    legacy: {
      ...(remoteId === undefined ? {} : { remoteId }),
      remote: remote.value.url,
      ownerUid,
      ...(sharedBy === undefined ? {} : { sharedByUid: sharedBy }),
      ...(shareType.number === undefined ? {} : { shareTypeNumber: shareType.number }),
    },
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return r.result(share);
}

function readOwner(
  r: OcsFieldReader,
  federatedId: string | undefined,
  uid: string | undefined,
  server: ServerLocation | undefined,
): string | undefined {
  if (federatedId !== undefined) {
    const parsed = parseCloudId(federatedId, 'ownerFederatedId', { lenient: r.mode === 'lenient' });
    if (parsed.ok) return formatCloudId(parsed.value);
    r.quirk(
      'ownerFederatedId',
      `${parsed.issues[0]?.message ?? 'is not a cloud id'}; built from owner and remote`,
    );
  }
  // Receivers build owner@<remote>; we keep an http:// scheme so the peer stays reachable.
  return uid === undefined || server === undefined
    ? undefined
    : formatCloudId({ user: uid, server });
}

function readSender(
  r: OcsFieldReader,
  f: {
    sharedBy: string | undefined;
    sharedByFederatedId: string | undefined;
    ownerUid: string | undefined;
    owner: string | undefined;
    server: ServerLocation | undefined;
  },
): string | undefined {
  const onRemote = (uid: string) =>
    f.server === undefined ? undefined : formatCloudId({ user: uid, server: f.server });
  if (f.sharedByFederatedId !== undefined) {
    const parsed = parseCloudId(f.sharedByFederatedId, 'sharedByFederatedId', {
      lenient: r.mode === 'lenient',
    });
    if (parsed.ok) return formatCloudId(parsed.value);
    r.quirk(
      'sharedByFederatedId',
      'is a bare uid, not a cloud id (ownCloud 10.1+ legacy fallback bug)',
    );
    if (f.sharedByFederatedId === f.ownerUid) return f.owner;
    return onRemote(f.sharedByFederatedId);
  }
  if (f.sharedBy === undefined || f.sharedBy === f.ownerUid) return f.owner;
  r.warn(
    'sharedByFederatedId',
    `is missing; the sender is taken to be ${f.sharedBy} on the sending server`,
  );
  return onRemote(f.sharedBy);
}

function readShareType(
  r: OcsFieldReader,
  text: string | undefined,
): { type: ShareType; number?: number } {
  if (text === undefined) return { type: 'user' };
  const number = /^[0-9]{1,3}$/.test(text) ? Number(text) : undefined;
  const type = number === undefined ? undefined : ocsShareTypeToCanonical(number);
  if (type === undefined) {
    r.quirk(
      'shareType',
      `"${text.slice(0, 10)}" is not a federated share type (6 or 9); taken as a user share`,
    );
    return number === undefined ? { type: 'user' } : { type: 'user', number };
  }
  return { type, ...(number === undefined ? {} : { number }) };
}

function qualifyShareWith(
  r: OcsFieldReader,
  uid: string | undefined,
  receiver: string | undefined,
): string | undefined {
  if (uid === undefined) return undefined;
  if (receiver === undefined) return uid;
  const server = normalizeRemoteUrl(receiver, 'receiver');
  if (!server.ok) {
    r.issues.push(...server.issues);
    return undefined;
  }
  return formatCloudId({ user: uid, server: server.value.server });
}
