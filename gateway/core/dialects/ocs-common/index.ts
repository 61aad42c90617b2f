/**
 * Shared parts of the OCS codecs (ocs-v1, ocs-v2 and its Pydio 8 variant): createShare and
 * share-update forms, answers, move, /ocs-provider/, /status.php, shareinfo, ids and share types.
 */
export * from './ocs-codec.ts';
export * from './ocs-codec-types.ts';
export * from './ocs-dialect-rules.ts';
export * from './ocs-actions.ts';
export * from './ocs-share-path.ts';
export * from './ocs-form.ts';
export * from './ocs-error-messages.ts';
export * from './ocs-move.ts';
export * from './ocs-provider.ts';
export * from './ocs-discovery.ts';
export * from './status-php.ts';
export * from './share-info.ts';
export * from './share-type-number.ts';
export * from './legacy-id.ts';
export { isValidLegacyShareName, parseOcsCreateShare } from './parse-ocs-create-share.ts';
export {
  serialiseOcsCreateShare,
  OWNCLOUD_MAX_TOKEN_LENGTH,
} from './serialise-ocs-create-share.ts';
export {
  parseOcsNotification,
  readCallTarget,
  type OcsCallInput,
} from './parse-ocs-notification.ts';
export { serialiseOcsNotification } from './serialise-ocs-notification.ts';
export * from './ocs-replies.ts';
export { readOcsResponse, type OcsReadResponse } from './ocs-response.ts';
export * from './public-webdav-auth.ts';
