/** The docs data (Codec.describe()) of an OCM dialect, derived from its OcmDialectRules. */
import type { DialectDescription, FieldMapping, MessageDescription } from '../../model/codec.ts';
import { capabilitySpellings, criteriaSpellings } from './capability-names.ts';
import { describeShareCreate, describeShareCreated } from './describe-ocm-share.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { grantTypeOf, tokenTypeOf } from './token-body.ts';

function describeNotification(rules: OcmDialectRules): MessageDescription[] {
  const empty = rules.notification.emptyReply === 'empty-array' ? '`[]`' : '`{}`';
  return [
    {
      kind: 'notification',
      call: 'POST <endPoint>/notifications (request)',
      contentType: 'application/json',
      fields: [
        {
          wire: 'notificationType',
          canonical: 'notificationType',
          required: true,
          note: 'SHARE_CHANGE_PERMISSION read as RESHARE_CHANGE_PERMISSION (alias kept)',
        },
        {
          wire: 'resourceType',
          canonical: 'resourceType',
          required: rules.notification.resourceTypeRequired,
        },
        { wire: 'providerId', canonical: 'providerId', required: true },
        { wire: 'notification.sharedSecret', canonical: 'notification.sharedSecret' },
        {
          wire: 'notification.message',
          canonical: 'notification.message',
          note: 'Nextcloud `messgage` read too',
        },
        {
          wire: 'notification.shareWith / senderId / shareType',
          canonical: 'notification.shareWith / senderId / shareType',
          note: 'REQUEST_RESHARE',
        },
        {
          wire: 'notification.permission',
          canonical: 'notification.permissions',
          note: '`permissions` read too',
        },
        { wire: 'notification.<other>', canonical: 'notification.extra' },
      ],
    },
    {
      kind: 'notificationReply',
      call: 'POST <endPoint>/notifications (201 response)',
      contentType: 'application/json',
      fields: [
        {
          wire: 'token + sharedSecret',
          canonical: 'reshare.sharedSecret',
          note: 'both written; Nextcloud reads token, ownCloud sharedSecret',
        },
        { wire: 'providerId', canonical: 'reshare.providerId', note: 'number kept as number' },
      ],
      notes: [`Without a reshare reply the body is ${empty}.`],
    },
  ];
}

function describeDiscovery(rules: OcmDialectRules): MessageDescription {
  const d = rules.discovery;
  const key = d.resourceKey === 'both' ? 'resourceTypes + shareTypes' : d.resourceKey;
  const fields: FieldMapping[] = [
    { wire: 'enabled', canonical: 'enabled', required: true },
    {
      wire: 'apiVersion',
      canonical: 'apiVersion',
      required: true,
      note: `written as ${d.apiVersion} unless the canonical one is of this dialect`,
    },
    { wire: 'endPoint', canonical: 'endPoint', required: true },
    { wire: 'provider', canonical: 'provider' },
    {
      wire: `${key}[]`,
      canonical: 'resourceTypes[]',
      required: true,
      note:
        d.resourceKey === 'resourceTypes'
          ? '`shareTypes` (ownCloud 10) read too'
          : 'ownCloud 10 list has no inner shareTypes',
    },
    {
      wire: 'resourceTypes[].protocols.<name>',
      canonical: 'resourceTypes[].protocols.<name>',
      note: d.objectProtocols ? 'string or object' : 'strings only',
    },
  ];
  if (d.nextcloudVersion)
    fields.push({ wire: 'version', canonical: 'version', note: 'Nextcloud, non-spec' });
  if (d.capabilities !== 'none') {
    const spellings = Object.entries(capabilitySpellings(d.capabilities)).map(([c, w]) =>
      c === w ? w : `${w} (${c})`,
    );
    fields.push({
      wire: 'capabilities',
      canonical: 'capabilities + capabilitiesRaw',
      note: `writes ${spellings.join(', ')}`,
    });
  }
  if (d.criteria && (d.capabilities === 'v1.2' || d.capabilities === 'v1.3')) {
    const spellings = Object.entries(criteriaSpellings(d.capabilities)).map(([c, w]) =>
      c === w ? w : `${w} (${c})`,
    );
    fields.push({
      wire: 'criteria',
      canonical: 'criteria + criteriaRaw',
      note: `writes ${spellings.join(', ')}`,
    });
  }
  if (d.cavagePublicKey)
    fields.push({
      wire: 'publicKey.keyId / publicKeyPem',
      canonical: 'publicKey',
      note: 'pre-1.2 `id` read as keyId',
    });
  if (d.publicKeys) fields.push({ wire: 'publicKeys[]', canonical: 'publicKeys[]' });
  if (d.tokenEndPoint) fields.push({ wire: 'tokenEndPoint', canonical: 'tokenEndPoint' });
  if (d.inviteAcceptDialog)
    fields.push({ wire: 'inviteAcceptDialog', canonical: 'inviteAcceptDialog' });
  if (d.jwksUri)
    fields.push({ wire: 'jwksUri', canonical: 'jwksUri', note: 'Nextcloud, non-spec' });
  fields.push({ wire: '<other keys>', canonical: 'extra' });
  return {
    kind: 'discovery',
    call: `GET ${d.paths.join(', ')} (200 response)`,
    contentType: 'application/json',
    fields,
  };
}

function describeInvite(rules: OcmDialectRules): MessageDescription[] {
  if (rules.invite === 'none') return [];
  const url = rules.invite === 'url';
  return [
    {
      kind: 'inviteAccepted',
      call: 'POST <endPoint>/invite-accepted (request)',
      contentType: 'application/json',
      fields: [
        {
          wire: 'recipientProvider',
          canonical: url ? 'recipientProvider (host) + recipientProviderUrl' : 'recipientProvider',
          required: true,
          note: url ? 'URL' : 'FQDN',
        },
        { wire: 'token', canonical: 'token', required: true },
        { wire: 'userID', canonical: 'userID', required: true },
        { wire: 'email', canonical: 'email', required: true },
        { wire: 'name', canonical: 'name', required: true },
      ],
    },
    {
      kind: 'inviteAcceptedReply',
      call: 'POST <endPoint>/invite-accepted (200 response)',
      contentType: 'application/json',
      fields: ['userID', 'email', 'name'].map((f) => ({ wire: f, canonical: f, required: true })),
    },
  ];
}

function describeToken(rules: OcmDialectRules): MessageDescription[] {
  if (rules.token === 'none') return [];
  const form = rules.token === 'form-authorization-code';
  const out: MessageDescription[] = [
    {
      kind: 'tokenRequest',
      call: form ? 'POST <tokenEndPoint> (request)' : 'POST <endPoint>/token (request)',
      contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
      fields: [
        {
          wire: 'grant_type',
          canonical: 'grantType',
          required: true,
          note: `written as ${grantTypeOf(rules)}`,
        },
        { wire: 'client_id', canonical: 'clientId', required: true },
        {
          wire: 'code',
          canonical: 'code',
          required: true,
          note: form ? "the share's sharedSecret" : "the share's code",
        },
      ],
    },
    {
      kind: 'tokenResponse',
      call: form ? 'POST <tokenEndPoint> (200 response)' : 'POST <endPoint>/token (200 response)',
      contentType: 'application/json',
      fields: [
        { wire: 'access_token', canonical: 'accessToken', required: true },
        {
          wire: 'token_type',
          canonical: 'tokenType',
          required: true,
          note: `written as ${tokenTypeOf(rules)}`,
        },
        { wire: 'expires_in', canonical: 'expiresIn', required: form },
        ...(form ? [] : [{ wire: 'refresh_token', canonical: 'refreshToken' }]),
      ],
    },
  ];
  if (rules.oauthErrors) {
    out.push({
      kind: 'tokenError',
      call: 'POST <tokenEndPoint> (400 response)',
      contentType: 'application/json',
      fields: [
        { wire: 'error', canonical: 'error', required: true, note: 'RFC 6749 §5.2 code' },
        { wire: 'error_description', canonical: 'errorDescription' },
      ],
    });
  }
  return out;
}

function cannotCarry(rules: OcmDialectRules): string[] {
  const r = rules.share;
  const d = rules.discovery;
  const out = ['share.legacy (OCS-only fields)'];
  if (!r.expiration) out.push('share.expiration');
  if (!r.code) out.push('share.code');
  if (r.protocolForm === 'options')
    out.push('protocols.webdav.uri / permissions / requirements / accessTypes / size / extra');
  else {
    if (r.requirements === 'none') out.push('protocols.webdav.requirements');
    if (!r.accessTypes) out.push('protocols.webdav.accessTypes / size');
  }
  if (r.protocolForm === 'multi') out.push('protocols.webdav.legacyOptions');
  if (r.webapp === 'none') out.push('protocols.webapp');
  else if (r.webapp !== 'uri-permissions-targets')
    out.push(
      'protocols.webapp.targets / requirements / appName / appIconHint / mediaTypes; permissions beyond the highest view mode',
    );
  else out.push('protocols.webapp.viewMode (derived from permissions)');
  if (!r.ssh) out.push('protocols.ssh');
  if (!r.otherProtocols) out.push('protocols.unknown');
  if (!rules.shareCreated.recipientUserId) out.push('shareCreated.recipientUserId');
  if (!rules.shareCreated.recipientPublicKeys) out.push('shareCreated.recipientPublicKeys');
  if (rules.shareCreated.body === 'empty-array') out.push('shareCreated.* (body is `[]`)');
  if (d.capabilities === 'none') out.push('discovery.capabilities');
  if (!d.criteria) out.push('discovery.criteria');
  if (!d.objectProtocols) out.push('discovery.resourceTypes[].protocols object values');
  if (!d.cavagePublicKey) out.push('discovery.publicKey');
  if (!d.publicKeys) out.push('discovery.publicKeys');
  if (!d.tokenEndPoint) out.push('discovery.tokenEndPoint');
  if (!d.inviteAcceptDialog) out.push('discovery.inviteAcceptDialog');
  if (!d.jwksUri) out.push('discovery.jwksUri');
  if (!d.nextcloudVersion) out.push('discovery.version');
  if (rules.token === 'form-authorization-code') out.push('tokenResponse.refreshToken');
  return out;
}

export function describeOcmDialect(rules: OcmDialectRules): DialectDescription {
  return {
    id: rules.id,
    ...(rules.variant !== undefined && { variant: rules.variant }),
    title: rules.title,
    sources: rules.sources,
    messages: [
      describeDiscovery(rules),
      describeShareCreate(rules),
      describeShareCreated(rules),
      ...describeNotification(rules),
      ...describeInvite(rules),
      ...describeToken(rules),
      {
        kind: 'error',
        call: 'any call (4xx/5xx response)',
        contentType: 'application/json',
        fields: [
          { wire: 'message', canonical: 'message', required: true },
          {
            wire: 'validationErrors[].name / message',
            canonical: 'validationErrors[]',
            note: 'written only when non-empty',
          },
        ],
      },
    ],
    quirks: rules.quirks,
    cannotCarry: cannotCarry(rules),
  };
}
