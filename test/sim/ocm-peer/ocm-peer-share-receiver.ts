/** POST <endPoint>/shares on a simulated OCM peer, strict about its own version (ocm-versions.md §3):
 * required fields, shareType/resourceType enums, protocol forms, requirements, criteria, signature. */
import { json } from '../common/sim-router.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { OcmPeerContext } from './ocm-peer-context.ts';
import { authenticate } from './ocm-peer-signing.ts';
import type { ReceivedWebdav } from './ocm-peer-state.ts';

type Body = Record<string, unknown>;
type Parsed =
  { style: 'legacy' | 'multi' | 'named'; webdav: ReceivedWebdav } | { error: SimResponse };

export const bad = (message: string, fields: string[] = [], why = 'INVALID'): SimResponse =>
  json(400, { message, validationErrors: fields.map((name) => ({ name, message: why })) });
const refuse = (status: number, message: string): SimResponse => json(status, { message });

export function hostOfAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1
    ? ''
    : address
        .slice(at + 1)
        .replace(/^https?:\/\//, '')
        .replace(/\/.*$/, '')
        .toLowerCase();
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

function checkRequirements(
  ctx: OcmPeerContext,
  reqs: string[],
  where: string,
): SimResponse | undefined {
  const unknown = reqs.filter((r) => !ctx.traits.knownRequirements.includes(r));
  if (unknown.length > 0)
    return bad(`Unsupported requirement ${unknown.join(', ')}`, [`protocol.${where}.requirements`]);
  const mfa = reqs.includes('must-use-mfa') || reqs.includes('mfa-enforced');
  const mfaCapable =
    ctx.capabilities().includes('enforce-mfa') || ctx.capabilities().includes('/mfa-capable');
  if (mfa && !mfaCapable)
    return bad('This server cannot enforce MFA', [`protocol.${where}.requirements`]);
  if (ctx.criteria().includes('must-exchange-token') && !reqs.includes('must-exchange-token')) {
    return bad('This server requires must-exchange-token on every protocol', [
      `protocol.${where}.requirements`,
    ]);
  }
  return undefined;
}

function checkWebapp(ctx: OcmPeerContext, w: Body, webdavReqs: string[]): SimResponse | undefined {
  const targets = strings(w.targets);
  const perms = strings(w.permissions);
  const reqs = strings(w.requirements) ?? [];
  if (typeof w.uri !== 'string' || !/^https?:\/\//.test(w.uri))
    return bad('webapp.uri must be absolute', ['protocol.webapp.uri']);
  if (
    targets === undefined ||
    targets.length === 0 ||
    targets.some((t) => !['blank', 'iframe'].includes(t))
  ) {
    return bad('webapp.targets invalid', ['protocol.webapp.targets']);
  }
  if (perms === undefined || perms.length === 0)
    return bad('webapp.permissions required', ['protocol.webapp.permissions']);
  if (typeof w.sharedSecret !== 'string')
    return bad('webapp.sharedSecret required', ['protocol.webapp.sharedSecret']);
  if (!reqs.includes('must-exchange-token'))
    return bad('webapp requires must-exchange-token', ['protocol.webapp.requirements']);
  if ([...reqs].sort().join() !== [...webdavReqs].sort().join())
    return bad('requirements of all protocols must agree', ['protocol']);
  return checkRequirements(ctx, reqs, 'webapp');
}

function parseProtocol(ctx: OcmPeerContext, body: Body): Parsed {
  const p = body.protocol as Body;
  const t = ctx.traits;
  const name = p.name;
  const options = p.options as Body | undefined;
  if (
    typeof name !== 'string' &&
    !(t.version === '1.3' && ctx.capabilities().includes('protocol-object'))
  ) {
    return { error: bad('protocol.name is required', ['protocol.name'], 'REQUIRED') };
  }
  if (name === 'webdav' && typeof options === 'object' && p.webdav === undefined) {
    if (typeof options.sharedSecret !== 'string')
      return {
        error: bad(
          'protocol.options.sharedSecret is required',
          ['protocol.options.sharedSecret'],
          'REQUIRED',
        ),
      };
    return { style: 'legacy', webdav: { sharedSecret: options.sharedSecret, requirements: [] } };
  }
  if (t.legacyProtocolOnly)
    return {
      error: refuse(
        501,
        `Protocol ${JSON.stringify(name)} is not supported, only webdav with options`,
      ),
    };
  if (name !== undefined && name !== 'multi' && name !== 'webdav')
    return { error: refuse(501, `Protocol ${JSON.stringify(name)} is not supported`) };
  const w = p.webdav;
  if (typeof w !== 'object' || w === null) {
    const other = ['webapp', 'ssh', 'datatx'].some((k) => k in p);
    return {
      error: other
        ? refuse(501, 'None of the offered protocols can be accessed by this server')
        : bad('protocol.webdav is required', ['protocol.webdav'], 'REQUIRED'),
    };
  }
  const wd = w as Body;
  const reqs = wd.requirements === undefined ? [] : strings(wd.requirements);
  if (
    reqs === undefined ||
    (wd.requirements !== undefined && reqs.length === 0 && t.version === '1.2')
  ) {
    return {
      error: bad('protocol.webdav.requirements must be a non-empty string array', [
        'protocol.webdav.requirements',
      ]),
    };
  }
  const secret = typeof wd.sharedSecret === 'string' ? wd.sharedSecret : undefined;
  const uri = typeof wd.uri === 'string' ? wd.uri : undefined;
  if (t.webdavUriAndSecretRequired && (uri === undefined || secret === undefined)) {
    return {
      error: bad(
        'protocol.webdav.uri and sharedSecret are required',
        ['protocol.webdav.uri', 'protocol.webdav.sharedSecret'],
        'REQUIRED',
      ),
    };
  }
  if (secret === undefined && uri === undefined && typeof body.code !== 'string') {
    return {
      error: bad(
        'protocol.webdav needs a sharedSecret or uri',
        ['protocol.webdav.sharedSecret'],
        'REQUIRED',
      ),
    };
  }
  const reqError = checkRequirements(ctx, reqs, 'webdav');
  if (reqError !== undefined) return { error: reqError };
  if (t.version === '1.3' && typeof p.webapp === 'object' && p.webapp !== null) {
    const webappError = checkWebapp(ctx, p.webapp as Body, reqs);
    if (webappError !== undefined) return { error: webappError };
  }
  const permissions = strings(wd.permissions);
  return {
    style: name === 'multi' || name === undefined ? 'multi' : 'named',
    webdav: { uri, sharedSecret: secret, permissions, requirements: reqs },
  };
}

export async function receiveShare(ctx: OcmPeerContext, req: SimRequest): Promise<SimResponse> {
  if (
    req.bodyKind !== 'json' ||
    typeof req.body !== 'object' ||
    req.body === null ||
    Array.isArray(req.body)
  ) {
    return bad('Body must be a JSON object');
  }
  const b = req.body as Body;
  const t = ctx.traits;
  const required = [
    'shareWith',
    'name',
    'providerId',
    'owner',
    'shareType',
    'resourceType',
    ...(t.senderRequired ? ['sender'] : []),
  ];
  const missing = required.filter((k) => typeof b[k] !== 'string' || b[k] === '');
  if (typeof b.protocol !== 'object' || b.protocol === null) missing.push('protocol');
  if (missing.length > 0) return bad('Missing or invalid required fields', missing, 'REQUIRED');
  const sender = typeof b.sender === 'string' ? b.sender : (b.owner as string);
  const auth = await authenticate(ctx, req, hostOfAddress(sender));
  if ('refused' in auth) return refuse(auth.refused.status, auth.refused.message);
  if (auth.signed && hostOfAddress(b.owner as string) !== auth.host.toLowerCase()) {
    return refuse(403, 'The owner does not belong to the signing server');
  }
  const shareWith = b.shareWith as string;
  const user = shareWith.slice(0, shareWith.lastIndexOf('@'));
  const hostOk =
    t.version === '1.0' ||
    t.version === '1.1' ||
    hostOfAddress(shareWith) === ctx.host().toLowerCase();
  if (!ctx.state.users.has(user) || !hostOk)
    return bad('Recipient not found', ['shareWith'], 'NOT_FOUND');
  const shareType = b.shareType as string;
  if (t.version !== '1.0' && !['user', 'group', 'federation'].includes(shareType))
    return bad('Invalid shareType', ['shareType']);
  if (shareType !== 'user') return refuse(501, `Share type ${shareType} is not supported`);
  if (!['file', 'folder'].includes(b.resourceType as string))
    return refuse(501, `Resource type ${JSON.stringify(b.resourceType)} is not supported`);
  if (
    ctx.criteria().includes('must-invite') &&
    !ctx.state.contacts.some((c) => c.address === sender)
  ) {
    return refuse(403, 'An invite must have been exchanged first');
  }
  const parsed = parseProtocol(ctx, b);
  if ('error' in parsed) return parsed.error;
  ctx.state.addReceived({
    providerId: b.providerId as string,
    senderHost: hostOfAddress(b.owner as string),
    owner: b.owner as string,
    sender,
    shareWith,
    name: b.name as string,
    resourceType: b.resourceType as string,
    shareType,
    style: parsed.style,
    webdav: parsed.webdav,
    code: typeof b.code === 'string' ? b.code : undefined,
    accepted: false,
    signedBy: auth.signed ? auth.keyId : undefined,
    body: b,
  });
  return json(201, { recipientDisplayName: ctx.state.users.get(user)?.displayName ?? user });
}
