/**
 * Nextcloud's `POST /cloud/shares/{id}/move` (legacy-protocols.md §1.9): the share now lives at
 * another owner. No OCM or ownCloud equivalent, so it has its own legacy-only type.
 */
import type { ParseResult, SerialiseResult } from '../../model/index.ts';
import { fail, isJsonObject, succeed } from '../../model/index.ts';
import { formatCloudId, formatServerBase, parseCloudId } from '../../address/index.ts';
import type { OcsResponseWire } from '../ocs-envelope/index.ts';
import { OcsFieldReader, readOcsForm, writeOcsForm } from './ocs-form.ts';
import { readCallTarget } from './parse-ocs-notification.ts';
import { ocsSharePath } from './ocs-share-path.ts';
import { legacyIdNumber, NON_NUMERIC_ID_MESSAGE } from './legacy-id.ts';
import { readOcsResponse, refusalIssue, respondOcs } from './ocs-response.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import type { OcsCodecOptions, OcsFormRequest } from './ocs-codec-types.ts';

export interface OcsMove {
  /** The path id: the share's current owner-side id. */
  readonly providerId: string;
  readonly sharedSecret: string;
  /** `remote`: the new owner's cloud id (`alice@new.example.com`). */
  readonly newOwner: string;
  /** `remote_id`: the new owner-side id; the receiver defaults it to the path id. */
  readonly newProviderId: string;
}

/** The answer's data: the new owner's base URL and uid. */
export interface OcsMoveResult {
  readonly remote: string;
  readonly owner: string;
}

const NO_MOVE = 'this dialect variant has no move call (Nextcloud only)';

export function parseOcsMove(
  wire: unknown,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): ParseResult<OcsMove> {
  if (!rules.move) return fail([{ field: 'action', message: NO_MOVE }]);
  const target = readCallTarget(wire);
  if (!target.ok) return target;
  if (target.value.action !== 'move') return fail([{ field: 'action', message: 'is not move' }]);
  const form = readOcsForm(target.value.body);
  if (!form.ok) return form;
  const r = new OcsFieldReader(form.value, options.mode ?? 'lenient');
  const providerId = target.value.id;
  if (legacyIdNumber(providerId) === undefined) r.quirk('id', 'is not a positive integer');
  const sharedSecret = r.required('token');
  const remote = r.required('remote');
  const newProviderId = r.optional('remote_id') ?? providerId;
  let newOwner: string | undefined;
  if (remote !== undefined) {
    const parsed = parseCloudId(remote, 'remote', { lenient: r.mode === 'lenient' });
    if (parsed.ok) newOwner = formatCloudId(parsed.value);
    else r.issues.push(...parsed.issues);
  }
  if (sharedSecret === undefined || newOwner === undefined) return r.failed();
  return r.result({ providerId, sharedSecret, newOwner, newProviderId });
}

export function serialiseOcsMove(
  move: OcsMove,
  rules: OcsDialectRules,
): SerialiseResult<OcsFormRequest> {
  if (!rules.move) return fail([{ field: 'action', message: NO_MOVE }]);
  const issues = [];
  if (legacyIdNumber(move.providerId) === undefined)
    issues.push({ field: 'providerId', message: NON_NUMERIC_ID_MESSAGE });
  if (legacyIdNumber(move.newProviderId) === undefined)
    issues.push({ field: 'newProviderId', message: NON_NUMERIC_ID_MESSAGE });
  if (move.sharedSecret === '') issues.push({ field: 'sharedSecret', message: 'is required' });
  const owner = parseCloudId(move.newOwner, 'newOwner', { lenient: true });
  if (!owner.ok) issues.push(...owner.issues);
  if (issues.length > 0) return fail(issues);
  return succeed({
    method: 'POST',
    path: ocsSharePath(rules.version, rules.flavour, move.providerId, 'move'),
    query: 'format=json',
    contentType: 'application/x-www-form-urlencoded',
    body: writeOcsForm([
      ['token', move.sharedSecret],
      ['remote', move.newOwner],
      ['remote_id', move.newProviderId],
    ]),
  });
}

/** What the receiver answers after applying a move: `{remote: "https://new.example.com", owner: "alice"}`. */
export function ocsMoveResultFor(move: OcsMove): ParseResult<OcsMoveResult> {
  const owner = parseCloudId(move.newOwner, 'newOwner', { lenient: true });
  if (!owner.ok) return owner;
  return succeed({ remote: formatServerBase(owner.value.server), owner: owner.value.user });
}

export function serialiseOcsMoveReply(
  result: OcsMoveResult,
  rules: OcsDialectRules,
  options: OcsCodecOptions = {},
): SerialiseResult<OcsResponseWire> {
  return respondOcs(rules, options, 100, { remote: result.remote, owner: result.owner });
}

export function parseOcsMoveReply(
  wire: unknown,
  options: OcsCodecOptions = {},
): ParseResult<OcsMoveResult> {
  const read = readOcsResponse(wire, options);
  if (!read.ok) return read;
  if (!read.value.success) return fail([refusalIssue(read.value)]);
  const data = read.value.envelope?.data;
  if (!isJsonObject(data) || typeof data.remote !== 'string' || typeof data.owner !== 'string') {
    return fail([{ field: 'ocs.data', message: 'must hold the strings remote and owner' }]);
  }
  return succeed({ remote: data.remote, owner: data.owner }, read.warnings);
}
