/** The result every parser and serialiser returns: never a throw, always a value or the reasons why not. */
import type { ValidationIssue } from '../errors/validation-issue.ts';

export type ParseResult<T> =
  | {
      readonly ok: true;
      readonly value: T;
      /** Quirks accepted, fields normalised or dropped: worth a debug log, not a refusal. */
      readonly warnings: readonly ValidationIssue[];
    }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Serialising can fail too (a field the dialect requires is missing): same shape. */
export type SerialiseResult<T> = ParseResult<T>;

export function succeed<T>(value: T, warnings: readonly ValidationIssue[] = []): ParseResult<T> {
  return { ok: true, value, warnings };
}

export function fail(issues: readonly ValidationIssue[]): { ok: false; issues: ValidationIssue[] } {
  return { ok: false, issues: [...issues] };
}
