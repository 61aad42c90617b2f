/**
 * The backend, called in ITS dialect through the codecs (DESIGN §3 flows 1 and 6): shares as OCS
 * createShare (remote = the peer's facade URL, remoteId = the ledger alias) or as early-OCM JSON
 * to the backend's own endPoint; notifications routed per the profile (OCM, or the legacy call
 * where the backend only has that: ownCloud 10's revoke, Nextcloud's move).
 */
import type { BackendProfile } from '../../gateway/core/backend/index.ts';
import { notificationToOcsAction } from '../../gateway/core/dialects/ocs-common/index.ts';
import { codecFor } from '../../gateway/core/dialects/dialect-registry.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { facadeUrlFor, peerPathOf } from '../../gateway/core/facade/index.ts';
import {
  isOcmDialect,
  NOTIFICATION_TYPE_ALIASES,
  type CanonicalShare,
  type Codec,
} from '../../gateway/core/model/index.ts';
import type {
  BackendAction,
  BackendClient,
  BackendNotified,
  BackendProfileSource,
  BackendShareCreated,
} from '../../gateway/ports/backend-client.ts';
import { untranslatable, unreadable, type BackendCallContext } from './backend-call-context.ts';
import type { BackendTransport } from './backend-transport.ts';
import { postOcm } from './ocm-backend-calls.ts';
import { ocsCodecFor, postOcs } from './ocs-backend-calls.ts';

export interface HttpBackendClientOptions {
  /** GATEWAY_BACKEND_URL. */
  readonly backendUrl: string;
  /** GATEWAY_PUBLIC_URL: replaces the backend URL in messages peers may see. */
  readonly publicUrl: string;
  /** How the backend reaches the facade (defaultFacadeBaseUrl). */
  readonly facadeBaseUrl: string;
  readonly profile: BackendProfileSource;
  readonly transport: BackendTransport;
}

function ocmCodec(profile: BackendProfile): Codec {
  const codec = codecFor(profile.dialect, profile.variant) ?? codecFor(profile.dialect);
  if (codec === undefined) throw new GatewayError('INTERNAL', 'No codec for the backend dialect.');
  return codec;
}

function ocmUrl(profile: BackendProfile, path: '/shares' | '/notifications'): string {
  const endPoint = profile.ocmEndPoint?.url;
  if (endPoint === undefined)
    throw new GatewayError('NOT_IMPLEMENTED', 'The backend advertises no OCM endPoint.');
  return `${endPoint.replace(/\/+$/, '')}${path}`;
}

function userPart(shareWith: string): string {
  const at = shareWith.lastIndexOf('@');
  return at > 0 ? shareWith.slice(0, at) : shareWith;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
}

function unsupported(profile: BackendProfile, what: string): GatewayError {
  const { name, version } = profile.product;
  const which = name === 'unknown' ? profile.dialect : [name, version].filter(Boolean).join(' ');
  return new GatewayError('NOT_IMPLEMENTED', `The backend (${which}) has no ${what} call.`);
}

export function createHttpBackendClient(options: HttpBackendClientOptions): BackendClient {
  const context: BackendCallContext = {
    backendUrl: options.backendUrl.replace(/\/+$/, ''),
    publicUrl: options.publicUrl,
    transport: options.transport,
  };

  async function createOcs(profile: BackendProfile, share: CanonicalShare) {
    const codec = ocsCodecFor(profile.ocsDialect, profile.ocsVariant);
    const form = codec.shareCreate.serialise(share);
    if (!form.ok) throw untranslatable('share', form.issues);
    const answer = await postOcs(context, form.value, 'share');
    const created = codec.shareCreated.parse(answer);
    // OCS answers carry no recipient name: the uid is the best the backend tells.
    return {
      recipientDisplayName: userPart(share.shareWith),
      displayNameFromBackend: false,
      ...(created.ok && idOf(created.value.extra?.id) !== undefined
        ? { backendShareId: idOf(created.value.extra?.id) }
        : {}),
      warnings: [...form.warnings, ...(created.ok ? created.warnings : created.issues)],
    };
  }

  async function createOcm(profile: BackendProfile, share: CanonicalShare) {
    const codec = ocmCodec(profile);
    const body = codec.shareCreate?.serialise(share);
    if (body === undefined || !body.ok) throw untranslatable('share', body?.issues ?? []);
    const answer = await postOcm(context, codec, ocmUrl(profile, '/shares'), body.value);
    const created = codec.shareCreated?.parse(answer ?? [], { mode: 'lenient' });
    const name = created?.ok === true ? created.value.recipientDisplayName : undefined;
    return {
      recipientDisplayName: name ?? userPart(share.shareWith),
      displayNameFromBackend: name !== undefined,
      warnings: [...body.warnings, ...(created?.ok === true ? created.warnings : [])],
    };
  }

  return {
    createShare: async (request) => {
      const profile = options.profile.current();
      const peerPath = peerPathOf([request.share.sender, request.share.owner], request.peerHost);
      const remote = facadeUrlFor(request.peerHost, options.facadeBaseUrl, peerPath);
      if (!remote.ok) throw untranslatable('share', remote.issues);
      const share: CanonicalShare = {
        ...request.share,
        legacy: { ...request.share.legacy, remote: remote.value },
      };
      const created: BackendShareCreated = isOcmDialect(profile.dialect)
        ? await createOcm(profile, share)
        : await createOcs(profile, share);
      return created;
    },

    notify: async ({ notification }) => {
      const profile = options.profile.current();
      const type =
        NOTIFICATION_TYPE_ALIASES[notification.notificationType] ?? notification.notificationType;
      const action: BackendAction | undefined = notificationToOcsAction(type);
      const route = action === undefined ? undefined : profile.actions[action];
      if (action === undefined || route === undefined) {
        throw unsupported(profile, action ?? type.toLowerCase());
      }
      if (route === 'ocm') {
        const codec = ocmCodec(profile);
        const body = codec.notification?.serialise(notification);
        if (body === undefined || !body.ok)
          throw untranslatable('notification', body?.issues ?? []);
        const url = ocmUrl(profile, '/notifications');
        const answer = await postOcm(context, codec, url, body.value);
        const reply = codec.notificationReply?.parse(answer ?? [], { mode: 'lenient' });
        if (reply?.ok !== true) throw unreadable('notification');
        return {
          reply: reply.value,
          via: 'ocm',
          warnings: body.warnings,
        } satisfies BackendNotified;
      }
      const codec = ocsCodecFor(profile.ocsDialect, profile.ocsVariant);
      const form = codec.notification.serialise(notification);
      if (!form.ok) throw untranslatable('notification', form.issues);
      const answer = await postOcs(context, form.value, 'notification');
      const reply = codec.notificationReply.parse(answer);
      if (!reply.ok) throw unreadable('notification');
      return { reply: reply.value, via: 'ocs', warnings: [...form.warnings, ...reply.warnings] };
    },

    move: async (request) => {
      const profile = options.profile.current();
      const codec = ocsCodecFor(profile.ocsDialect, profile.ocsVariant);
      if (
        profile.actions.move !== 'ocs' ||
        codec.move === undefined ||
        codec.moveReply === undefined
      )
        throw unsupported(profile, 'move');
      const form = codec.move.serialise(request);
      if (!form.ok) throw untranslatable('move', form.issues);
      const answer = await postOcs(context, form.value, 'move');
      const moved = codec.moveReply.parse(answer);
      if (!moved.ok) throw unreadable('move');
      return moved.value;
    },
  };
}
