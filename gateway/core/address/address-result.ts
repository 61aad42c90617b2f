/** Result type of the address parsers: a value, or the reasons the input was refused (never a throw). */
import type { ValidationIssue } from '../errors/validation-issue.ts';

export type AddressResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export function addressOk<T>(value: T): AddressResult<T> {
  return { ok: true, value };
}

export function addressFail<T>(field: string, message: string): AddressResult<T> {
  return { ok: false, issues: [{ field, message }] };
}
