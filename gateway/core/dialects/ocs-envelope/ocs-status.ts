/**
 * OCS status codes and their HTTP mapping (legacy-protocols.md §1.2; ownCloud `OC_API`,
 * Nextcloud `BaseResponse`): v1 always answers HTTP 200, v2 turns the status code into the HTTP status.
 */

export type OcsVersion = 1 | 2;

export const OCS_STATUS = {
  /** Success on v1 (and what ownCloud returns internally). */
  okV1: 100,
  /** Success on v2. */
  okV2: 200,
  serverError: 996,
  unauthorised: 997,
  notFound: 998,
  unknownError: 999,
} as const;

/** The success code a server of this version writes into `meta.statuscode`. */
export function ocsSuccessCode(version: OcsVersion): number {
  return version === 1 ? OCS_STATUS.okV1 : OCS_STATUS.okV2;
}

/** What senders (ownCloud ≥ 9.0, every Nextcloud) accept as success: 100 or 200. */
export function isOcsSuccess(statuscode: number): boolean {
  return statuscode === OCS_STATUS.okV1 || statuscode === OCS_STATUS.okV2;
}

/** The statuscode as rendered on this version: success becomes 100 on v1 and 200 on v2. */
export function ocsRenderedStatuscode(version: OcsVersion, statuscode: number): number {
  return isOcsSuccess(statuscode) ? ocsSuccessCode(version) : statuscode;
}

/**
 * HTTP status of a response. v1: 200 except 997 → 401. v2: success → 200, 997 → 401,
 * 998 → 404, 996/999 → 500, any other 2xx–5xx as is, everything else → 400.
 */
export function ocsHttpStatus(version: OcsVersion, statuscode: number): number {
  if (statuscode === OCS_STATUS.unauthorised) return 401;
  if (version === 1 || isOcsSuccess(statuscode)) return 200;
  if (statuscode === OCS_STATUS.notFound) return 404;
  if (statuscode === OCS_STATUS.serverError || statuscode === OCS_STATUS.unknownError) return 500;
  if (Number.isInteger(statuscode) && statuscode >= 200 && statuscode < 600) return statuscode;
  return 400;
}

/** `meta.status`: `ok` for success, otherwise `failure` (Pydio 8 writes `fail`). */
export function ocsStatusWord(statuscode: number): 'ok' | 'failure' {
  return isOcsSuccess(statuscode) ? 'ok' : 'failure';
}
