/** The `describe()` data of the OCS codecs (source for docs/dialects.md). */
import type { DialectDescription, MessageDescription } from '../../model/index.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import { ocsSharePath } from './ocs-share-path.ts';

export function describeOcsDialect(rules: OcsDialectRules): DialectDescription {
  const base = ocsSharePath(rules.version, rules.flavour);
  const extended = rules.extendedCreateFields;
  const messages: MessageDescription[] = [
    {
      kind: 'shareCreate',
      call: `POST ${base}?format=json (createShare)`,
      contentType: 'application/x-www-form-urlencoded',
      fields: [
        {
          wire: 'shareWith',
          canonical: 'shareWith',
          required: true,
          note: 'local uid; qualified with options.receiver',
        },
        { wire: 'token', canonical: 'protocols.webdav.sharedSecret', required: true },
        { wire: 'name', canonical: 'name', required: true, note: 'no "/" or "\\"' },
        {
          wire: 'remoteId',
          canonical: 'providerId + legacy.remoteId',
          required: true,
          note: 'integer on the wire; the ledger maps string providerIds',
        },
        { wire: 'owner', canonical: 'legacy.ownerUid + ownerDisplayName', required: true },
        {
          wire: 'remote',
          canonical: 'legacy.remote',
          required: true,
          note: 'normalised, trailing slash',
        },
        ...(extended
          ? [
              {
                wire: 'ownerFederatedId',
                canonical: 'owner',
                note: 'missing: owner@<remote host/path>',
              },
              { wire: 'sharedBy', canonical: 'legacy.sharedByUid + senderDisplayName' },
              {
                wire: 'sharedByFederatedId',
                canonical: 'sender',
                note: 'OC 10.1 bare uid accepted in lenient mode',
              },
              {
                wire: 'shareType',
                canonical: 'shareType + legacy.shareTypeNumber',
                note: '6 user, 9 group (NC 14+)',
              },
            ]
          : []),
      ],
    },
    {
      kind: 'notification',
      call: `POST ${base}/{id}/{${rules.actions.join('|')}}`,
      contentType: 'application/x-www-form-urlencoded',
      fields: [
        { wire: '{id}', canonical: 'providerId', required: true, note: 'integer' },
        {
          wire: '{action}',
          canonical: 'notificationType',
          required: true,
          note: 'accept SHARE_ACCEPTED, decline SHARE_DECLINED, unshare SHARE_UNSHARED, reshare REQUEST_RESHARE, permissions RESHARE_CHANGE_PERMISSION, revoke (and NC reshare_undo) RESHARE_UNDO',
        },
        { wire: 'token', canonical: 'notification.sharedSecret', required: true },
        { wire: 'shareWith', canonical: 'notification.shareWith', note: 'reshare' },
        {
          wire: 'permission',
          canonical: 'notification.permissions + legacy.permissionBits',
          note: 'reshare, singular; bits',
        },
        {
          wire: 'remoteId',
          canonical: 'notification.senderId (reshare) / legacy.remoteId (accept, decline)',
        },
        {
          wire: 'permissions',
          canonical: 'notification.permissions + legacy.permissionBits',
          note: 'permissions call, plural, ctype_digit',
        },
      ],
    },
    {
      kind: 'notificationReply',
      call: 'OCS envelope answer; reshare: data {token, remoteId}',
      contentType: 'application/json',
      fields: [
        { wire: 'ocs.data.token', canonical: 'reshare.sharedSecret' },
        { wire: 'ocs.data.remoteId', canonical: 'reshare.providerId', note: 'integer' },
      ],
    },
    {
      kind: 'shareCreated',
      call: 'OCS envelope answer, data []',
      contentType: 'application/json',
      fields: [],
    },
    {
      kind: 'error',
      call: 'OCS envelope, failure status',
      contentType: 'application/json',
      fields: [
        { wire: 'ocs.meta.message', canonical: 'message' },
        { wire: 'ocs.meta.statuscode', canonical: 'legacy.statuscode' },
      ],
    },
    {
      kind: 'discovery',
      call: 'GET /ocs-provider/',
      contentType: 'application/json',
      fields: [
        {
          wire: 'services.FEDERATED_SHARING.endpoints.share',
          canonical: 'endPoint',
          note: 'relative path',
        },
        {
          wire: 'services.FEDERATED_SHARING.endpoints.webdav',
          canonical: 'resourceTypes[file].protocols.webdav',
        },
      ],
    },
  ];
  return {
    id: rules.id,
    ...(rules.variant === undefined ? {} : { variant: rules.variant }),
    title: rules.title,
    sources: [
      'reference/legacy-protocols.md §1–2, §4–5',
      'ownCloud 8.2–10.16, Nextcloud 9–current, Pydio 8 core.ocs',
    ],
    messages,
    quirks: [
      'JSON is answered only for ?format=json; XML otherwise (text/xml; charset=UTF-8)',
      `success statuscode ${rules.version === 1 ? '100, HTTP always 200' : '200; errors use the statuscode as HTTP status'}`,
      'sharedByFederatedId as a bare uid (ownCloud 10.1+) is accepted in lenient mode',
      'reshare_undo (Nextcloud ≥ 14 legacy fallback) is read as revoke in lenient mode',
      'Pydio 8: meta.status "fail", string statuscode, data omitted on errors (lenient)',
    ],
    cannotCarry: [
      'description, expiration, code, resourceType (file assumed)',
      'webdav.uri, webdav.permissions (read over WebDAV share-permissions), requirements, accessTypes',
      'webapp, ssh and other protocols; owner/sender display names other than the uid',
      'notification messages; permission delete bit on the OCM side; create/update fold into write',
      'recipientDisplayName in the createShare answer; validationErrors of errors',
    ],
  };
}
