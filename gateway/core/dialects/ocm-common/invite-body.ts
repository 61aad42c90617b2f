/**
 * Invite acceptance (POST <endPoint>/invite-accepted; ocm-versions §7): v1.1 sends
 * `recipientProvider` as a URL, pre-1.2 → I-D-05 as an FQDN with every field required.
 */
import type {
  CanonicalInviteAcceptance,
  CanonicalInviteAcceptedReply,
} from '../../model/canonical-invite.ts';
import type { CodecMode } from '../../model/codec.ts';
import type { JsonObject } from '../../model/json-value.ts';
import { fail, succeed, type ParseResult } from '../../model/parse-result.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { isWireRecord, WireReader } from './wire-reader.ts';

const FQDN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

function readProvider(
  reader: WireReader,
  value: string,
  style: 'url' | 'fqdn',
): { host?: string; url?: string } {
  const field = 'recipientProvider';
  if (/^https?:\/\//i.test(value)) {
    if (!URL.canParse(value)) {
      reader.issue(field, 'must be a URL or an FQDN');
      return {};
    }
    if (style === 'fqdn') reader.quirk(field, 'must be an FQDN, not a URL (a v1.1 form was sent)');
    return { host: new URL(value).host, url: value };
  }
  if (!FQDN.test(value)) {
    reader.issue(field, 'must be an FQDN (host[:port])');
    return {};
  }
  if (style === 'url') reader.quirk(field, 'must be a URL in v1.1 (an FQDN was sent)');
  return { host: value.toLowerCase() };
}

export function parseInviteAcceptedBody(
  wire: unknown,
  rules: OcmDialectRules,
  mode: CodecMode,
): ParseResult<CanonicalInviteAcceptance> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const style = rules.invite === 'url' ? 'url' : 'fqdn';
  const raw = reader.nonEmptyString(wire, 'recipientProvider', 'recipientProvider', {
    required: true,
  });
  const provider = raw === undefined ? {} : readProvider(reader, raw, style);
  const token = reader.nonEmptyString(wire, 'token', 'token', { required: true });
  const userID = reader.nonEmptyString(wire, 'userID', 'userID', { required: true });
  const email = reader.string(wire, 'email', 'email', { required: true });
  const name = reader.string(wire, 'name', 'name', { required: true });
  if (
    reader.issues.length > 0 ||
    provider.host === undefined ||
    token === undefined ||
    userID === undefined ||
    email === undefined ||
    name === undefined
  ) {
    return fail(reader.issues);
  }
  return succeed<CanonicalInviteAcceptance>(
    {
      recipientProvider: provider.host,
      ...(provider.url !== undefined && { recipientProviderUrl: provider.url }),
      token,
      userID,
      email,
      name,
    },
    reader.warnings,
  );
}

export function serialiseInviteAcceptedBody(
  invite: CanonicalInviteAcceptance,
  rules: OcmDialectRules,
): ParseResult<JsonObject> {
  const recipientProvider =
    rules.invite === 'url'
      ? (invite.recipientProviderUrl ?? `https://${invite.recipientProvider}`)
      : invite.recipientProvider;
  return succeed({
    recipientProvider,
    token: invite.token,
    userID: invite.userID,
    email: invite.email,
    name: invite.name,
  });
}

export function parseInviteAcceptedReplyBody(
  wire: unknown,
  mode: CodecMode,
): ParseResult<CanonicalInviteAcceptedReply> {
  const reader = new WireReader(mode);
  if (!isWireRecord(wire)) return fail([{ field: '', message: 'must be a JSON object' }]);
  const userID = reader.nonEmptyString(wire, 'userID', 'userID', { required: true });
  const email = reader.string(wire, 'email', 'email', { required: true });
  const name = reader.string(wire, 'name', 'name', { required: true });
  if (
    reader.issues.length > 0 ||
    userID === undefined ||
    email === undefined ||
    name === undefined
  ) {
    return fail(reader.issues);
  }
  return succeed({ userID, email, name }, reader.warnings);
}

export function serialiseInviteAcceptedReplyBody(
  reply: CanonicalInviteAcceptedReply,
): ParseResult<JsonObject> {
  return succeed({ userID: reply.userID, email: reply.email, name: reply.name });
}
