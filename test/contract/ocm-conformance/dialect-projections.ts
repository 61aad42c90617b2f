/**
 * What a canonical message looks like after serialise → parse through one OCM dialect: the
 * canonical value minus what the dialect cannot carry (the list below documents it field by field).
 * Written independently of the codec code, from the dialect rules (which are data).
 */
import type { CanonicalDiscovery } from '../../../gateway/core/model/canonical-discovery.ts';
import type {
  CanonicalNotification,
  CanonicalNotificationReply,
} from '../../../gateway/core/model/canonical-notification.ts';
import type {
  CanonicalShare,
  CanonicalShareCreated,
  WebappProtocol,
  WebdavProtocol,
} from '../../../gateway/core/model/canonical-share.ts';
import type { CanonicalInviteAcceptance } from '../../../gateway/core/model/canonical-invite.ts';
import type {
  CanonicalTokenRequest,
  CanonicalTokenResponse,
} from '../../../gateway/core/model/canonical-token.ts';
import type { OcmDialectRules } from '../../../gateway/core/dialects/ocm-common/ocm-dialect-rules.ts';

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function highestViewMode(permissions: readonly string[]): 'view' | 'read' | 'write' {
  if (permissions.includes('write')) return 'write';
  if (permissions.includes('read')) return 'read';
  return 'view';
}

function projectWebdav(w: WebdavProtocol, rules: OcmDialectRules): WebdavProtocol | undefined {
  const r = rules.share;
  if (r.protocolForm === 'options') {
    // v1.0 / proposal1: only the secret and the opaque options survive.
    return compact({
      sharedSecret: w.sharedSecret,
      permissions: [],
      requirements: [],
      legacyOptions: w.legacyOptions,
    });
  }
  if (r.webdavUriAndSecretRequired && (w.uri === undefined || w.sharedSecret === undefined))
    return undefined;
  return compact({
    uri: w.uri,
    sharedSecret: w.sharedSecret,
    permissions: w.permissions,
    requirements: r.requirements === 'none' ? [] : w.requirements,
    accessTypes: r.accessTypes ? w.accessTypes : undefined,
    size: r.accessTypes ? w.size : undefined,
    legacyOptions: r.protocolForm === 'multi' ? undefined : w.legacyOptions,
    extra: w.extra,
  });
}

function projectWebapp(w: WebappProtocol, rules: OcmDialectRules): WebappProtocol | undefined {
  const style = rules.share.webapp;
  if (style === 'none') return undefined;
  if (style === 'uri-permissions-targets') {
    const ok =
      w.permissions.length > 0 &&
      (w.targets ?? []).length > 0 &&
      w.sharedSecret !== undefined &&
      (w.requirements ?? []).includes('must-exchange-token');
    return ok ? compact({ ...w, viewMode: undefined }) : undefined;
  }
  // 1.1 / 1.2: one view mode stands for the permissions.
  const mode =
    w.viewMode ?? (w.permissions.length > 0 ? highestViewMode(w.permissions) : undefined);
  return compact({
    uri: w.uri,
    permissions: mode === undefined ? [] : [mode],
    viewMode: mode,
    sharedSecret: w.sharedSecret,
    extra: w.extra,
  });
}

/** undefined when the dialect cannot carry any of the share's protocols (serialise must fail). */
export function projectShare(
  share: CanonicalShare,
  rules: OcmDialectRules,
): CanonicalShare | undefined {
  const r = rules.share;
  const p = share.protocols;
  const webdav = p.webdav === undefined ? undefined : projectWebdav(p.webdav, rules);
  if (r.protocolForm === 'options' && webdav?.sharedSecret === undefined) return undefined;
  const webapp =
    p.webapp === undefined || r.protocolForm === 'options'
      ? undefined
      : projectWebapp(p.webapp, rules);
  const ssh = r.ssh ? p.ssh : undefined;
  const unknown = r.otherProtocols ? p.unknown : {};
  if (
    webdav === undefined &&
    webapp === undefined &&
    ssh === undefined &&
    Object.keys(unknown).length === 0
  )
    return undefined;
  return compact({
    ...share,
    legacy: undefined,
    expiration: r.expiration ? share.expiration : undefined,
    code: r.code ? share.code : undefined,
    protocols: compact({ webdav, webapp, ssh, unknown }),
  });
}

export function projectShareCreated(
  created: CanonicalShareCreated,
  rules: OcmDialectRules,
): CanonicalShareCreated | undefined {
  const c = rules.shareCreated;
  if (c.body === 'empty-array') return {};
  if (c.displayNameRequired && created.recipientDisplayName === undefined) return undefined;
  return compact({
    ...created,
    recipientUserId: c.recipientUserId ? created.recipientUserId : undefined,
    recipientPublicKeys: c.recipientPublicKeys ? created.recipientPublicKeys : undefined,
  });
}

export function projectNotification(
  n: CanonicalNotification,
  rules: OcmDialectRules,
): CanonicalNotification | undefined {
  // The OpenAPI of 1.0–1.2 requires resourceType; the codec refuses to write it without one.
  if (n.resourceType === undefined && rules.notification.resourceTypeRequired) return undefined;
  const payload = n.notification;
  return compact({
    ...n,
    notificationTypeAlias: undefined,
    notification: compact({
      ...payload,
      messageKey: undefined,
      permissionsKey:
        payload.permissions === undefined ? undefined : (payload.permissionsKey ?? 'permission'),
    }),
  });
}

export function projectNotificationReply(
  reply: CanonicalNotificationReply,
): CanonicalNotificationReply {
  if (reply.reshare === undefined) return reply;
  const numeric =
    reply.reshare.providerIdIsNumber === true &&
    /^(0|[1-9]\d{0,14})$/.test(reply.reshare.providerId);
  return {
    ...reply,
    reshare: compact({ ...reply.reshare, providerIdIsNumber: numeric ? true : undefined }),
  };
}

/** Capability / criteria raw spellings are checked separately; they are left out here. */
export function projectDiscovery(
  doc: CanonicalDiscovery,
  rules: OcmDialectRules,
): Omit<CanonicalDiscovery, 'capabilitiesRaw' | 'criteriaRaw'> {
  const d = rules.discovery;
  const capabilities =
    d.capabilities === 'none'
      ? []
      : d.capabilities === 'v1.1'
        ? doc.capabilities.filter((c) => c === 'notifications' || c === 'invites')
        : doc.capabilities.filter((c) => d.capabilities === 'v1.2' || c !== 'webdav-uri');
  const stringOnly = (
    protocols: CanonicalDiscovery['resourceTypes'][number]['protocols'],
  ): typeof protocols =>
    d.objectProtocols
      ? protocols
      : Object.fromEntries(Object.entries(protocols).filter(([, v]) => typeof v === 'string'));
  return compact({
    ...doc,
    capabilitiesRaw: undefined,
    criteriaRaw: undefined,
    apiVersion: d.ownsApiVersion(doc.apiVersion) ? doc.apiVersion : d.apiVersion,
    version: d.nextcloudVersion ? doc.version : undefined,
    resourceTypes: doc.resourceTypes.map((rt) => ({
      name: rt.name,
      shareTypes: d.resourceKey === 'shareTypes' ? [] : rt.shareTypes,
      protocols: stringOnly(rt.protocols),
    })),
    resourceTypesKey: d.resourceKey === 'shareTypes' ? 'shareTypes' : 'resourceTypes',
    capabilities,
    criteria: d.criteria ? doc.criteria : [],
    publicKey: d.cavagePublicKey ? doc.publicKey : undefined,
    publicKeys: d.publicKeys ? doc.publicKeys.filter((k) => k.algorithm !== undefined) : [],
    jwksUri: d.jwksUri ? doc.jwksUri : undefined,
    tokenEndPoint: d.tokenEndPoint ? doc.tokenEndPoint : undefined,
    inviteAcceptDialog: d.inviteAcceptDialog ? doc.inviteAcceptDialog : undefined,
  });
}

export function projectInvite(
  invite: CanonicalInviteAcceptance,
  rules: OcmDialectRules,
): CanonicalInviteAcceptance {
  if (rules.invite === 'url') {
    const url = invite.recipientProviderUrl ?? `https://${invite.recipientProvider}`;
    return { ...invite, recipientProvider: new URL(url).host, recipientProviderUrl: url };
  }
  return compact({ ...invite, recipientProviderUrl: undefined });
}

export function projectTokenRequest(
  request: CanonicalTokenRequest,
  rules: OcmDialectRules,
): CanonicalTokenRequest {
  return {
    ...request,
    grantType:
      rules.token === 'form-authorization-code' ? 'authorization_code' : 'ocm_authorization_code',
  };
}

export function projectTokenResponse(
  response: CanonicalTokenResponse,
  rules: OcmDialectRules,
): CanonicalTokenResponse | undefined {
  const form = rules.token === 'form-authorization-code';
  if (form && response.expiresIn === undefined) return undefined;
  return compact({
    ...response,
    tokenType: form ? 'Bearer' : 'bearer',
    refreshToken: form ? undefined : response.refreshToken,
  });
}
