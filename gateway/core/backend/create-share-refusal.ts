/**
 * Which share field a backend's createShare refusal is about, from the fixed wording of legacy and
 * early-OCM servers (legacy-protocols §1.3, §3.1): "User does not exists" (OC 9 / NC), "User does
 * not exist" (OC 10.1+), `User "bob" does not exists at …` (Nextcloud OCM), "The mountpoint name
 * contains invalid characters.", "Token too long". OCM peers then get the spec's validationErrors
 * (`{name: "shareWith", message: "NOT_FOUND"}`) instead of a bare sentence.
 */
import type { ValidationIssue } from '../errors/validation-issue.ts';

const RULES: readonly { readonly pattern: RegExp; readonly issue: ValidationIssue }[] = [
  {
    pattern: /\buser\b.*\bdoes not exists?\b/i,
    issue: { field: 'shareWith', message: 'NOT_FOUND' },
  },
  {
    pattern: /\bmountpoint name contains invalid characters\b/i,
    issue: { field: 'name', message: 'contains invalid characters' },
  },
  {
    pattern: /\btoken too long\b/i,
    issue: { field: 'protocol.webdav.sharedSecret', message: 'is too long for the backend' },
  },
];

/** The issues a refusal names; none when its wording is not one of the known ones. */
export function createShareRefusalIssues(message: string): ValidationIssue[] {
  return RULES.filter((r) => r.pattern.test(message)).map((r) => r.issue);
}
