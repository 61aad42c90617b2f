/**
 * The canonical model of the gateway (DESIGN §2): one superset of the newest OCM (I-D-05 / 1.3)
 * that every dialect codec parses into and serialises from. Translation is always
 * parse(dialect A) → canonical → serialise(dialect B).
 *
 * - dialect-id: the dialect ids, oldest first (`DIALECTS`, `compareDialects`).
 * - canonical-share / -notification / -invite / -token / -discovery / -error: the messages.
 *   Unknown wire fields are kept in `extra` (and unknown protocols in `protocols.unknown`);
 *   fields only OCS servers carry are in `CanonicalShare.legacy`.
 * - parse-result: `ParseResult<T>` returned by every parser and serialiser (they never throw);
 *   `succeed` / `fail` build it.
 * - codec: the `Codec` interface each dialect exports (`<id>Codec`), with `describe()` data for
 *   docs/dialects.md.
 * - json-value: `JsonValue`, `isJsonObject`, `toJsonValue`.
 */
export * from './json-value.ts';
export * from './dialect-id.ts';
export * from './parse-result.ts';
export * from './canonical-share.ts';
export * from './canonical-notification.ts';
export * from './canonical-invite.ts';
export * from './canonical-token.ts';
export * from './canonical-discovery.ts';
export * from './canonical-error.ts';
export * from './codec.ts';
