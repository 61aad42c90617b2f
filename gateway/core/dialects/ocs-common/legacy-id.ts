/**
 * Legacy share ids: every OCS receiver casts `remoteId` and the path `{id}` with `(int)`, so a
 * non-numeric OCM `providerId` must be aliased to a number by the ledger before it goes out.
 */

const DIGITS = /^[0-9]+$/;

/** The id as a positive safe integer, or undefined (0 counts as "missing" for PHP receivers). */
export function legacyIdNumber(value: string): number | undefined {
  if (!DIGITS.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export const NON_NUMERIC_ID_MESSAGE =
  'is not a positive integer; legacy receivers cast ids with (int), so the ledger must map it to a numeric alias first';

/** Pydio 8 sanitises token and remoteId to [A-Za-z0-9]: anything else would silently change. */
export function isAlphanumeric(value: string): boolean {
  return /^[A-Za-z0-9]+$/.test(value);
}
