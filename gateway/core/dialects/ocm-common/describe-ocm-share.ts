/** Field-mapping docs data for the share call and its 201 answer, derived from OcmDialectRules. */
import type { FieldMapping, MessageDescription } from '../../model/codec.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';

const FORM_NOTES: Readonly<Record<string, string>> = {
  options: '`{name:"webdav", options:{sharedSecret,…}}` only',
  'named-with-options':
    '`name:"webdav"` + `options` + `webdav` for one protocol; `name:"multi"` for several',
  'multi-with-options':
    '`name:"multi"`; `options.sharedSecret` also written for old receivers unless the share has requirements',
  multi: '`name:"multi"` with typed protocol objects; `options` read but never written',
};

function protocolFields(rules: OcmDialectRules): FieldMapping[] {
  const r = rules.share;
  const fields: FieldMapping[] = [
    {
      wire: 'protocol.name',
      canonical: '-',
      required: r.protocolForm !== 'multi',
      note: FORM_NOTES[r.protocolForm],
    },
    {
      wire: 'protocol.options.sharedSecret',
      canonical: 'protocols.webdav.sharedSecret',
      required: r.protocolForm === 'options',
      ...(r.protocolForm === 'multi' && { note: 'read only' }),
    },
    {
      wire: 'protocol.options.*',
      canonical: 'protocols.webdav.legacyOptions',
      ...(r.protocolForm === 'multi' && { note: 'read only' }),
    },
  ];
  if (r.protocolForm === 'options') return fields;
  const req = r.webdavUriAndSecretRequired;
  fields.push(
    {
      wire: 'protocol.webdav.uri',
      canonical: 'protocols.webdav.uri',
      required: req,
      note: 'kept as sent (relative or absolute)',
    },
    {
      wire: 'protocol.webdav.sharedSecret',
      canonical: 'protocols.webdav.sharedSecret',
      required: req,
    },
    {
      wire: 'protocol.webdav.permissions',
      canonical: 'protocols.webdav.permissions',
      note: 'read, write, share',
    },
  );
  if (r.requirements !== 'none') {
    fields.push({
      wire: 'protocol.webdav.requirements',
      canonical: 'protocols.webdav.requirements',
      note: '`mfa-enforced` read as `must-use-mfa`',
    });
  }
  if (r.accessTypes) {
    fields.push(
      { wire: 'protocol.webdav.accessTypes', canonical: 'protocols.webdav.accessTypes' },
      { wire: 'protocol.webdav.size', canonical: 'protocols.webdav.size' },
    );
  }
  if (r.webapp === 'uriTemplate-viewMode' || r.webapp === 'uri-viewMode') {
    const uriKey = r.webapp === 'uriTemplate-viewMode' ? 'uriTemplate' : 'uri';
    fields.push(
      { wire: `protocol.webapp.${uriKey}`, canonical: 'protocols.webapp.uri', required: true },
      {
        wire: 'protocol.webapp.viewMode',
        canonical: 'protocols.webapp.viewMode + permissions',
        note: 'permissions = [viewMode]',
      },
      { wire: 'protocol.webapp.sharedSecret', canonical: 'protocols.webapp.sharedSecret' },
    );
  } else if (r.webapp === 'uri-permissions-targets') {
    fields.push(
      {
        wire: 'protocol.webapp.uri',
        canonical: 'protocols.webapp.uri',
        required: true,
        note: 'absolute',
      },
      { wire: 'protocol.webapp.targets', canonical: 'protocols.webapp.targets', required: true },
      {
        wire: 'protocol.webapp.permissions',
        canonical: 'protocols.webapp.permissions',
        required: true,
      },
      {
        wire: 'protocol.webapp.requirements',
        canonical: 'protocols.webapp.requirements',
        required: true,
        note: 'must include must-exchange-token',
      },
      {
        wire: 'protocol.webapp.sharedSecret',
        canonical: 'protocols.webapp.sharedSecret',
        required: true,
      },
      {
        wire: 'protocol.webapp.appName / appIconHint / mediaTypes',
        canonical: 'protocols.webapp.appName / appIconHint / mediaTypes',
      },
    );
  }
  if (r.ssh) {
    fields.push(
      { wire: 'protocol.ssh.uri', canonical: 'protocols.ssh.uri', required: true },
      { wire: 'protocol.ssh.accessTypes', canonical: 'protocols.ssh.accessTypes' },
    );
  }
  if (r.otherProtocols)
    fields.push({
      wire: 'protocol.<other>',
      canonical: 'protocols.unknown.<other>',
      note: 'raw JSON object',
    });
  return fields;
}

export function describeShareCreate(rules: OcmDialectRules): MessageDescription {
  const r = rules.share;
  const fields: FieldMapping[] = [
    {
      wire: 'shareWith',
      canonical: 'shareWith',
      required: true,
      note: 'identifier@host; a scheme after @ is stripped (lenient)',
    },
    { wire: 'name', canonical: 'name', required: true },
    { wire: 'description', canonical: 'description' },
    {
      wire: 'providerId',
      canonical: 'providerId',
      required: true,
      note: 'a JSON number is accepted (lenient)',
    },
    { wire: 'owner', canonical: 'owner', required: true },
    { wire: 'ownerDisplayName', canonical: 'ownerDisplayName' },
  ];
  const fallback = r.senderRequired ? 'lenient: owner when missing' : 'owner when missing';
  if (r.senderKeys !== 'sharedBy') {
    fields.push(
      { wire: 'sender', canonical: 'sender', required: r.senderRequired, note: fallback },
      { wire: 'senderDisplayName', canonical: 'senderDisplayName' },
    );
  }
  if (r.senderKeys !== 'sender') {
    fields.push(
      { wire: 'sharedBy', canonical: 'sender', note: `Nextcloud name; ${fallback}` },
      { wire: 'sharedByDisplayName', canonical: 'senderDisplayName' },
    );
  }
  fields.push(
    {
      wire: 'shareType',
      canonical: 'shareType',
      required: true,
      note: r.shareTypeEnum ? 'user | group | federation' : 'no enum in this version',
    },
    { wire: 'resourceType', canonical: 'resourceType', required: true },
  );
  if (r.expiration)
    fields.push({ wire: 'expiration', canonical: 'expiration', note: 'epoch seconds' });
  if (r.code) fields.push({ wire: 'code', canonical: 'code', note: 'pre-1.2 nonce for /token' });
  fields.push(...protocolFields(rules), { wire: '<other keys>', canonical: 'extra' });
  return {
    kind: 'shareCreate',
    call: 'POST <endPoint>/shares (request)',
    contentType: 'application/json',
    fields,
  };
}

export function describeShareCreated(rules: OcmDialectRules): MessageDescription {
  const c = rules.shareCreated;
  if (c.body === 'empty-array') {
    return {
      kind: 'shareCreated',
      call: 'POST <endPoint>/shares (201 response)',
      contentType: 'application/json',
      fields: [],
      notes: ['Written as `[]` (ownCloud 10); an object body is read as usual.'],
    };
  }
  const fields: FieldMapping[] = [
    {
      wire: 'recipientDisplayName',
      canonical: 'recipientDisplayName',
      required: c.displayNameRequired,
    },
  ];
  if (c.recipientUserId)
    fields.push({ wire: 'recipientUserId', canonical: 'recipientUserId', note: 'Nextcloud' });
  if (c.recipientPublicKeys)
    fields.push({
      wire: 'recipientPublicKeys',
      canonical: 'recipientPublicKeys',
      note: 'required when ssh was offered',
    });
  return {
    kind: 'shareCreated',
    call: 'POST <endPoint>/shares (201 response)',
    contentType: 'application/json',
    fields,
  };
}
