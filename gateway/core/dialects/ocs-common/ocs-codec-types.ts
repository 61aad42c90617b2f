/**
 * Wire and option types of the OCS codecs, and the legacy side-records they attach to canonical
 * notifications and errors (the canonical model has no slot for OCS bitmasks or status codes).
 */
import type {
  CanonicalError,
  CanonicalNotification,
  CodecOptions,
  JsonValue,
} from '../../model/index.ts';
import type { OcsFormat, OcsResponseWire } from '../ocs-envelope/index.ts';

export interface OcsCodecOptions extends CodecOptions {
  /** Response body format, from the request's `format` query (`ocsFormatFromQuery`); default XML. */
  readonly format?: OcsFormat;
  /**
   * shareCreate.parse: base URL of the receiving server (the backend). Legacy `shareWith` is a
   * bare local uid; with this it becomes the cloud id `uid@host/path`. Without it, it stays bare.
   */
  readonly receiver?: string;
  /** error.serialise: the OCS status code to answer with (default: the error's own, else 400). */
  readonly statuscode?: number;
}

/** A legacy call ready for the HTTP client: POST `<receiver base URL><path>?<query>`. */
export interface OcsFormRequest {
  readonly method: 'POST';
  /** Relative to the receiver's base URL, sub-path excluded: `/ocs/v2.php/cloud/shares/42/accept`. */
  readonly path: string;
  /** Without `?`; senders always ask for JSON. */
  readonly query: string;
  readonly contentType: 'application/x-www-form-urlencoded';
  readonly body: string;
}

/** What the OCS codecs produce: requests, responses, or (discovery) a JSON document. */
export type OcsWire = OcsFormRequest | OcsResponseWire | JsonValue;

/** Side-record of what only the OCS form carried. */
export interface NotificationLegacyRecord {
  /** The permission bitmask as sent (`permission` on reshare, `permissions` on update). */
  readonly permissionBits?: number;
  /** accept/decline forwarded along a re-share chain (Nextcloud `sendUpdateToRemote`) carry `remoteId`. */
  readonly remoteId?: string;
  /** The action as it arrived when it was not the standard name (`reshare_undo`). */
  readonly action?: string;
}

export interface LegacyCanonicalNotification extends CanonicalNotification {
  readonly legacy?: NotificationLegacyRecord;
}

export interface LegacyCanonicalError extends CanonicalError {
  /** The OCS `meta.statuscode` (e.g. 400, 403, 410, 503) and the HTTP status it came with. */
  readonly legacy?: { readonly statuscode: number; readonly httpStatus?: number };
}
