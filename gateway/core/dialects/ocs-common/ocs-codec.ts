/** Builds an OCS codec from its rules; every call is guarded so a codec never throws. */
import type {
  CanonicalDiscovery,
  CanonicalNotificationReply,
  CanonicalShare,
  CanonicalShareCreated,
  Codec,
  JsonObject,
  MessageCodec,
  ParseResult,
} from '../../model/index.ts';
import { fail } from '../../model/index.ts';
import type { OcsResponseWire } from '../ocs-envelope/index.ts';
import type {
  LegacyCanonicalError,
  LegacyCanonicalNotification,
  OcsCodecOptions,
  OcsFormRequest,
  OcsWire,
} from './ocs-codec-types.ts';
import type { OcsDialectRules } from './ocs-dialect-rules.ts';
import { parseOcsCreateShare } from './parse-ocs-create-share.ts';
import { serialiseOcsCreateShare } from './serialise-ocs-create-share.ts';
import { parseOcsNotification } from './parse-ocs-notification.ts';
import { serialiseOcsNotification } from './serialise-ocs-notification.ts';
import {
  parseOcsError,
  parseOcsNotificationReply,
  parseOcsShareCreated,
  serialiseOcsError,
  serialiseOcsNotificationReply,
  serialiseOcsShareCreated,
} from './ocs-replies.ts';
import { parseOcsDiscovery, serialiseOcsDiscovery } from './ocs-discovery.ts';
import {
  parseOcsMove,
  parseOcsMoveReply,
  serialiseOcsMove,
  serialiseOcsMoveReply,
  type OcsMove,
  type OcsMoveResult,
} from './ocs-move.ts';
import { describeOcsDialect } from './describe-ocs-dialect.ts';

/** A message codec whose options also take the OCS ones (format, receiver, statuscode). */
export interface OcsMessageCodec<C, W> extends MessageCodec<C, W> {
  readonly parse: (wire: unknown, options?: OcsCodecOptions) => ParseResult<C>;
  readonly serialise: (value: C, options?: OcsCodecOptions) => ParseResult<W>;
}

export interface OcsCodec extends Codec<OcsWire> {
  readonly rules: OcsDialectRules;
  readonly shareCreate: OcsMessageCodec<CanonicalShare, OcsFormRequest>;
  readonly shareCreated: OcsMessageCodec<CanonicalShareCreated, OcsResponseWire>;
  /** Parses into a LegacyCanonicalNotification (permission bits kept in `legacy`). */
  readonly notification: OcsMessageCodec<LegacyCanonicalNotification, OcsFormRequest>;
  readonly notificationReply: OcsMessageCodec<CanonicalNotificationReply, OcsResponseWire>;
  readonly discovery: OcsMessageCodec<CanonicalDiscovery, JsonObject>;
  /** Parses into a LegacyCanonicalError (OCS statuscode and HTTP status kept in `legacy`). */
  readonly error: OcsMessageCodec<LegacyCanonicalError, OcsResponseWire>;
  /** Legacy-only: Nextcloud's move call and its answer (absent from the Pydio variant). */
  readonly move?: OcsMessageCodec<OcsMove, OcsFormRequest>;
  readonly moveReply?: OcsMessageCodec<OcsMoveResult, OcsResponseWire>;
}

/** The message of the issue returned when a codec hit a bug instead of a bad input. */
export const OCS_CODEC_FAULT = 'could not be processed (internal codec fault)';

function guarded<T>(run: () => ParseResult<T>): ParseResult<T> {
  try {
    return run();
  } catch {
    return fail([{ field: '', message: OCS_CODEC_FAULT }]);
  }
}

function message<C, W>(
  parse: (wire: unknown, options: OcsCodecOptions) => ParseResult<C>,
  serialise: (value: C, options: OcsCodecOptions) => ParseResult<W>,
): OcsMessageCodec<C, W> {
  return {
    parse: (wire, options = {}) => guarded(() => parse(wire, options)),
    serialise: (value, options = {}) => guarded(() => serialise(value, options)),
  };
}

export function createOcsCodec(rules: OcsDialectRules): OcsCodec {
  return {
    id: rules.id,
    ...(rules.variant === undefined ? {} : { variant: rules.variant }),
    rules,
    describe: () => describeOcsDialect(rules),
    shareCreate: message(
      (wire, o) => parseOcsCreateShare(wire, rules, o),
      (share) => serialiseOcsCreateShare(share, rules),
    ),
    shareCreated: message(parseOcsShareCreated, (v, o) => serialiseOcsShareCreated(v, rules, o)),
    notification: message(
      (wire, o) => parseOcsNotification(wire, rules, o),
      (v, o) => serialiseOcsNotification(v, rules, o),
    ),
    notificationReply: message(parseOcsNotificationReply, (v, o) =>
      serialiseOcsNotificationReply(v, rules, o),
    ),
    discovery: message(
      (wire, o) => parseOcsDiscovery(wire, rules, o.mode ?? 'lenient'),
      (v) => serialiseOcsDiscovery(v, rules),
    ),
    error: message(parseOcsError, (v, o) => serialiseOcsError(v, rules, o)),
    ...(rules.move
      ? {
          move: message(
            (wire, o) => parseOcsMove(wire, rules, o),
            (v) => serialiseOcsMove(v, rules),
          ),
          moveReply: message(parseOcsMoveReply, (v, o) => serialiseOcsMoveReply(v, rules, o)),
        }
      : {}),
  };
}
