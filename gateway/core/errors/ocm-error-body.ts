/**
 * The OCM error body in the caller's own dialect (ocm-versions §3.3, legacy-protocols §3):
 *  - `ocm` (OCM 1.0 → I-D-05 callers): `{message: <code>, detail, validationErrors?}` — the spec's
 *    `Error` with its code-like message (e.g. `RESOURCE_NOT_FOUND`), the reason in `detail`;
 *  - `proposal1` (Nextcloud 14–30 and ownCloud 10.1+, which log or show `message` as text):
 *    `{message: <reason>}`, and on 400 the `validationErrors` list Nextcloud always writes (`[]`
 *    when no field is named). No field of any other name.
 * Internal errors never carry their reason.
 */
import type { DialectId } from '../model/dialect-id.ts';
import type { ErrorCode } from './error-catalog.ts';
import type { ValidationIssue } from './validation-issue.ts';

export type OcmErrorStyle = 'ocm' | 'proposal1';

export interface OcmErrorInput {
  readonly code: ErrorCode;
  readonly status: number;
  /** Human-readable reason (GatewayError.message): never a secret. */
  readonly message: string;
  readonly issues: readonly ValidationIssue[];
}

export interface OcmErrorBody {
  message: string;
  detail?: string;
  validationErrors?: { name: string; message: string }[];
}

export function ocmErrorBody(error: OcmErrorInput, style: OcmErrorStyle = 'ocm'): OcmErrorBody {
  const validationErrors = error.issues.map((i) => ({ name: i.field, message: i.message }));
  const reason = error.code === 'INTERNAL' ? undefined : error.message;
  if (style === 'proposal1') {
    const body: OcmErrorBody = { message: reason ?? error.code };
    if (error.status === 400 || validationErrors.length > 0)
      body.validationErrors = validationErrors;
    return body;
  }
  const body: OcmErrorBody = { message: error.code };
  if (reason !== undefined) body.detail = reason;
  if (validationErrors.length > 0) body.validationErrors = validationErrors;
  return body;
}

/**
 * Which style a caller reads: its dialect when discovery told it; else signed callers are OCM 1.2+
 * (early-OCM servers never sign), and unsigned unknown ones get the early-OCM style, which is
 * also a valid OCM `Error` for 1.0 / 1.1 callers.
 */
export function ocmErrorStyleFor(dialect: DialectId | undefined, signed: boolean): OcmErrorStyle {
  if (dialect !== undefined) return dialect === 'ocm-proposal1' ? 'proposal1' : 'ocm';
  return signed ? 'ocm' : 'proposal1';
}
