/**
 * application/x-www-form-urlencoded bodies of the OCS federated-sharing calls
 * (legacy-protocols.md §1.1): read as PHP `$_POST` would (last duplicate wins), written with
 * URLSearchParams (PHP decodes `+` as a space, as URLSearchParams writes it).
 */
import { fail, succeed, type CodecMode, type ParseResult } from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';

export type OcsForm = ReadonlyMap<string, string>;

/** True for `{ body, … }` request wrappers (no legacy form has a field called `body`). */
export function isRequestWrapper(
  wire: unknown,
): wire is { readonly body: unknown } & Record<string, unknown> {
  return (
    typeof wire === 'object' &&
    wire !== null &&
    !(wire instanceof URLSearchParams) &&
    'body' in wire
  );
}

/** Accepts the raw body string, URLSearchParams, or a decoded record (JSON bodies of OC 10.1+ / NC). */
export function readOcsForm(input: unknown, field = 'body'): ParseResult<OcsForm> {
  if (typeof input === 'string') return succeed(new Map(new URLSearchParams(input)));
  if (input instanceof URLSearchParams) return succeed(new Map(input));
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail([{ field, message: 'must be a form-encoded string or a record of fields' }]);
  }
  const form = new Map<string, string>();
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string') form.set(key, value);
    else if (typeof value === 'number' && Number.isFinite(value)) form.set(key, String(value));
    else if (value !== null && value !== undefined) {
      issues.push({ field: key, message: 'must be a text value, not a list or object' });
    }
  }
  return issues.length > 0 ? fail(issues) : succeed(form);
}

export function writeOcsForm(fields: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString();
}

/** Collects issues (refusals) and warnings (accepted quirks) while reading one form. */
export class OcsFieldReader {
  readonly form: OcsForm;
  readonly mode: CodecMode;
  readonly issues: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  readonly #read = new Set<string>();

  constructor(form: OcsForm, mode: CodecMode) {
    this.form = form;
    this.mode = mode;
  }

  issue(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  /** A known quirk: a warning in lenient mode, a refusal in strict mode. */
  quirk(field: string, message: string): void {
    (this.mode === 'strict' ? this.issues : this.warnings).push({ field, message });
  }

  warn(field: string, message: string): void {
    this.warnings.push({ field, message });
  }

  /** The value, or undefined when absent or empty. */
  optional(key: string): string | undefined {
    this.#read.add(key);
    const value = this.form.get(key);
    return value === undefined || value === '' ? undefined : value;
  }

  /** Receivers test required fields for PHP truthiness: absent, `''` and `'0'` all count as missing. */
  required(key: string): string | undefined {
    const value = this.optional(key);
    if (value === undefined || value === '0') {
      this.issue(key, 'is required (absent, empty or "0" counts as missing on legacy receivers)');
      return undefined;
    }
    return value;
  }

  /** Fields nobody asked for, minus the ones to drop silently. */
  unread(ignore: readonly string[] = []): [string, string][] {
    return [...this.form].filter(([key]) => !this.#read.has(key) && !ignore.includes(key));
  }

  /** The refusal, for when a value could not be built (an issue is always recorded by then). */
  failed<T>(): ParseResult<T> {
    return fail(
      this.issues.length > 0 ? this.issues : [{ field: 'body', message: 'could not be read' }],
    );
  }

  result<T>(value: T): ParseResult<T> {
    return this.issues.length > 0 ? fail(this.issues) : succeed(value, this.warnings);
  }
}
