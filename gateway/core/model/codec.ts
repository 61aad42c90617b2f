/**
 * The contract every dialect codec fulfils (DESIGN §2): pure parse (wire → canonical) and
 * serialise (canonical → wire) per call, plus a description used to generate docs/dialects.md.
 */
import type { DialectId } from './dialect-id.ts';
import type { ParseResult, SerialiseResult } from './parse-result.ts';
import type { CanonicalShare, CanonicalShareCreated } from './canonical-share.ts';
import type {
  CanonicalNotification,
  CanonicalNotificationReply,
} from './canonical-notification.ts';
import type { CanonicalDiscovery } from './canonical-discovery.ts';
import type {
  CanonicalInviteAcceptance,
  CanonicalInviteAcceptedReply,
} from './canonical-invite.ts';
import type {
  CanonicalOAuthError,
  CanonicalTokenRequest,
  CanonicalTokenResponse,
} from './canonical-token.ts';
import type { CanonicalError } from './canonical-error.ts';

/**
 * `lenient` (default) accepts the known quirks of real servers and reports them as warnings;
 * `strict` applies the version's own rules only (conformance tests, refusing bad peers).
 */
export type CodecMode = 'strict' | 'lenient';

export interface CodecOptions {
  readonly mode?: CodecMode;
}

export type WireContentType =
  'application/json' | 'application/x-www-form-urlencoded' | 'text/xml' | 'application/xml';

/** One call of one dialect, both directions. W is the wire value serialise produces. */
export interface MessageCodec<C, W = unknown> {
  /** Never throws: bad input gives `{ok:false, issues}` naming each field. */
  readonly parse: (wire: unknown, options?: CodecOptions) => ParseResult<C>;
  /** Never throws; `warnings` name canonical fields this dialect cannot carry. */
  readonly serialise: (value: C, options?: CodecOptions) => SerialiseResult<W>;
}

/** The calls the canonical model knows; a codec implements the subset its dialect has. */
export interface CodecMessages<W = unknown> {
  /** POST <endPoint>/shares body (OCS: createShare form). */
  readonly shareCreate?: MessageCodec<CanonicalShare, W>;
  /** 201 body of a share creation. */
  readonly shareCreated?: MessageCodec<CanonicalShareCreated, W>;
  /** POST <endPoint>/notifications body (OCS: accept/decline/unshare/reshare/permissions/revoke). */
  readonly notification?: MessageCodec<CanonicalNotification, W>;
  /** 201 body of a notification (the REQUEST_RESHARE reply included). */
  readonly notificationReply?: MessageCodec<CanonicalNotificationReply, W>;
  /** The discovery document. */
  readonly discovery?: MessageCodec<CanonicalDiscovery, W>;
  readonly inviteAccepted?: MessageCodec<CanonicalInviteAcceptance, W>;
  readonly inviteAcceptedReply?: MessageCodec<CanonicalInviteAcceptedReply, W>;
  readonly tokenRequest?: MessageCodec<CanonicalTokenRequest, W>;
  readonly tokenResponse?: MessageCodec<CanonicalTokenResponse, W>;
  /** RFC 6749 error body of the token endpoint (I-D-05). */
  readonly tokenError?: MessageCodec<CanonicalOAuthError, W>;
  /** Error body of every other call. */
  readonly error?: MessageCodec<CanonicalError, W>;
}

export type MessageKind = keyof CodecMessages;

export const MESSAGE_KINDS = [
  'shareCreate',
  'shareCreated',
  'notification',
  'notificationReply',
  'discovery',
  'inviteAccepted',
  'inviteAcceptedReply',
  'tokenRequest',
  'tokenResponse',
  'tokenError',
  'error',
] as const satisfies readonly MessageKind[];

/** How one wire field maps to the canonical model (docs data). */
export interface FieldMapping {
  /** Dotted wire path, e.g. `protocol.options.sharedSecret`. */
  readonly wire: string;
  /** Dotted canonical path, e.g. `protocols.webdav.sharedSecret`; `-` when not kept. */
  readonly canonical: string;
  /** Required by this dialect's own rules (strict mode). */
  readonly required?: boolean;
  readonly note?: string;
}

export interface MessageDescription {
  readonly kind: MessageKind;
  /** E.g. `POST <endPoint>/shares (request)`. */
  readonly call: string;
  readonly contentType: WireContentType;
  readonly fields: readonly FieldMapping[];
  readonly notes?: readonly string[];
}

export interface DialectDescription {
  readonly id: DialectId;
  readonly variant?: string;
  readonly title: string;
  /** Spec sources or server versions the codec follows. */
  readonly sources: readonly string[];
  readonly messages: readonly MessageDescription[];
  /** Lenient-mode quirks accepted, and canonical fields this dialect cannot carry. */
  readonly quirks?: readonly string[];
  readonly cannotCarry?: readonly string[];
}

/** A dialect codec. `variant` distinguishes flavours of one dialect (e.g. Nextcloud vs ownCloud 10). */
export interface Codec<W = unknown> extends CodecMessages<W> {
  readonly id: DialectId;
  readonly variant?: string;
  describe(): DialectDescription;
}
