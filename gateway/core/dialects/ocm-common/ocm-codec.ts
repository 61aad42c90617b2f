/** Builds a dialect's Codec from its OcmDialectRules; every call is guarded so a codec never throws. */
import type { Codec, CodecOptions, MessageCodec } from '../../model/codec.ts';
import type { JsonValue } from '../../model/json-value.ts';
import { fail, type ParseResult } from '../../model/parse-result.ts';
import { describeOcmDialect } from './describe-ocm-dialect.ts';
import { parseDiscoveryBody, serialiseDiscoveryBody } from './discovery-body.ts';
import { parseErrorBody, serialiseErrorBody } from './error-body.ts';
import {
  parseInviteAcceptedBody,
  parseInviteAcceptedReplyBody,
  serialiseInviteAcceptedBody,
  serialiseInviteAcceptedReplyBody,
} from './invite-body.ts';
import { parseNotificationBody, serialiseNotificationBody } from './notification-body.ts';
import {
  parseNotificationReplyBody,
  serialiseNotificationReplyBody,
} from './notification-reply-body.ts';
import type { OcmDialectRules } from './ocm-dialect-rules.ts';
import { parseShareBody, serialiseShareBody } from './share-body.ts';
import { parseShareCreatedBody, serialiseShareCreatedBody } from './share-created-body.ts';
import {
  parseOAuthErrorBody,
  parseTokenRequestBody,
  parseTokenResponseBody,
  serialiseOAuthErrorBody,
  serialiseTokenRequestBody,
  serialiseTokenResponseBody,
} from './token-body.ts';
import type { CodecMode } from '../../model/codec.ts';

/** The message of the issue returned when a codec hit a bug instead of a bad input. */
export const CODEC_FAULT = 'could not be processed (internal codec fault)';

function guarded<T>(run: () => ParseResult<T>): ParseResult<T> {
  try {
    return run();
  } catch {
    return fail([{ field: '', message: CODEC_FAULT }]);
  }
}

function message<C>(
  parse: (wire: unknown, mode: CodecMode) => ParseResult<C>,
  serialise: (value: C) => ParseResult<JsonValue>,
): MessageCodec<C, JsonValue> {
  return {
    parse: (wire: unknown, options?: CodecOptions) =>
      guarded(() => parse(wire, options?.mode ?? 'lenient')),
    serialise: (value: C) => guarded(() => serialise(value)),
  };
}

export function createOcmCodec(rules: OcmDialectRules): Codec<JsonValue> {
  const codec: Codec<JsonValue> = {
    id: rules.id,
    ...(rules.variant !== undefined && { variant: rules.variant }),
    describe: () => describeOcmDialect(rules),
    shareCreate: message(
      (wire, mode) => parseShareBody(wire, rules, mode),
      (share) => serialiseShareBody(share, rules),
    ),
    shareCreated: message(
      (wire, mode) => parseShareCreatedBody(wire, rules, mode),
      (created) => serialiseShareCreatedBody(created, rules),
    ),
    notification: message(
      (wire, mode) => parseNotificationBody(wire, rules, mode),
      (notification) => serialiseNotificationBody(notification, rules),
    ),
    notificationReply: message(
      (wire, mode) => parseNotificationReplyBody(wire, mode),
      (reply) => serialiseNotificationReplyBody(reply, rules),
    ),
    discovery: message(
      (wire, mode) => parseDiscoveryBody(wire, rules, mode),
      (doc) => serialiseDiscoveryBody(doc, rules),
    ),
    error: message(parseErrorBody, serialiseErrorBody),
    ...(rules.invite !== 'none' && {
      inviteAccepted: message(
        (wire, mode) => parseInviteAcceptedBody(wire, rules, mode),
        (invite) => serialiseInviteAcceptedBody(invite, rules),
      ),
      inviteAcceptedReply: message(parseInviteAcceptedReplyBody, serialiseInviteAcceptedReplyBody),
    }),
    ...(rules.token !== 'none' && {
      tokenRequest: message(
        (wire, mode) => parseTokenRequestBody(wire, rules, mode),
        (request) => serialiseTokenRequestBody(request, rules),
      ),
      tokenResponse: message(
        (wire, mode) => parseTokenResponseBody(wire, rules, mode),
        (response) => serialiseTokenResponseBody(response, rules),
      ),
    }),
    ...(rules.oauthErrors && { tokenError: message(parseOAuthErrorBody, serialiseOAuthErrorBody) }),
  };
  return codec;
}
