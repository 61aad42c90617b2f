/**
 * Reads untrusted wire JSON field by field, collecting issues (refusals) and warnings (quirks
 * accepted in lenient mode). Never throws; messages name the field, never echo its value.
 */
import type { ValidationIssue } from '../../errors/validation-issue.ts';
import type { CodecMode } from '../../model/codec.ts';
import { toJsonValue, type JsonObject } from '../../model/json-value.ts';

export type WireRecord = Readonly<Record<string, unknown>>;

export function isWireRecord(value: unknown): value is WireRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: `__proto__` or inherited keys never count as wire fields. */
export function own(record: WireRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export interface ReadOptions {
  /** `true`: always required; `'strict'`: required in strict mode only (lenient fills a default). */
  readonly required?: boolean | 'strict';
}

export class WireReader {
  readonly mode: CodecMode;
  readonly issues: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];

  constructor(mode: CodecMode = 'lenient') {
    this.mode = mode;
  }

  get strict(): boolean {
    return this.mode === 'strict';
  }

  issue(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  warn(field: string, message: string): void {
    this.warnings.push({ field, message });
  }

  /** A known real-server deviation: accepted with a warning when lenient, refused when strict. */
  quirk(field: string, message: string): void {
    if (this.strict) this.issue(field, message);
    else this.warn(field, message);
  }

  missing(field: string, options: ReadOptions): void {
    if (options.required === true || (options.required === 'strict' && this.strict)) {
      this.issue(field, 'is required');
    }
  }

  string(
    record: WireRecord,
    key: string,
    field: string,
    options: ReadOptions = {},
  ): string | undefined {
    const value = own(record, key);
    if (value === undefined || value === null) {
      this.missing(field, options);
      return undefined;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) {
      this.quirk(field, 'must be a string (a number was sent)');
      return String(value);
    }
    this.issue(field, 'must be a string');
    return undefined;
  }

  /** A required string that must also be non-empty. */
  nonEmptyString(
    record: WireRecord,
    key: string,
    field: string,
    options: ReadOptions = {},
  ): string | undefined {
    const value = this.string(record, key, field, options);
    if (
      value === '' &&
      (options.required === true || (options.required === 'strict' && this.strict))
    ) {
      this.issue(field, 'must not be empty');
      return undefined;
    }
    return value;
  }

  integer(
    record: WireRecord,
    key: string,
    field: string,
    options: ReadOptions = {},
  ): number | undefined {
    const value = own(record, key);
    if (value === undefined || value === null) {
      this.missing(field, options);
      return undefined;
    }
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) {
      this.quirk(field, 'must be an integer (a numeric string was sent)');
      return Number(value);
    }
    this.issue(field, 'must be an integer');
    return undefined;
  }

  boolean(
    record: WireRecord,
    key: string,
    field: string,
    options: ReadOptions = {},
  ): boolean | undefined {
    const value = own(record, key);
    if (value === undefined || value === null) {
      this.missing(field, options);
      return undefined;
    }
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') {
      this.quirk(field, 'must be a boolean (a string was sent)');
      return value === 'true';
    }
    this.issue(field, 'must be a boolean');
    return undefined;
  }

  record(
    record: WireRecord,
    key: string,
    field: string,
    options: ReadOptions = {},
  ): WireRecord | undefined {
    const value = own(record, key);
    if (value === undefined || value === null) {
      this.missing(field, options);
      return undefined;
    }
    if (isWireRecord(value)) return value;
    this.issue(field, 'must be an object');
    return undefined;
  }

  /**
   * A list of strings. With `allowed`, values outside it are a quirk (dropped when lenient);
   * a single string where a list is expected is a quirk too.
   */
  stringList(
    record: WireRecord,
    key: string,
    field: string,
    options: ReadOptions & { readonly allowed?: readonly string[] } = {},
  ): string[] | undefined {
    let value = own(record, key);
    if (value === undefined || value === null) {
      this.missing(field, options);
      return undefined;
    }
    if (typeof value === 'string') {
      this.quirk(field, 'must be a list of strings (a single string was sent)');
      value = [value];
    }
    if (!Array.isArray(value)) {
      this.issue(field, 'must be a list of strings');
      return undefined;
    }
    const out: string[] = [];
    for (const [index, item] of (value as unknown[]).entries()) {
      if (typeof item !== 'string') {
        this.issue(`${field}[${index}]`, 'must be a string');
        continue;
      }
      if (options.allowed !== undefined && !options.allowed.includes(item)) {
        this.quirk(`${field}[${index}]`, `is not one of ${options.allowed.join(', ')}`);
        continue;
      }
      if (!out.includes(item)) out.push(item);
    }
    return out;
  }

  /** Keys of `record` not in `known`, copied as JSON (unserialisable values are dropped with a warning). */
  extra(record: WireRecord, known: readonly string[], field: string): JsonObject | undefined {
    let out: JsonObject | undefined;
    for (const key of Object.keys(record)) {
      if (known.includes(key) || key === '__proto__') continue;
      const copy = toJsonValue(record[key]);
      if (copy === undefined) {
        this.warn(field === '' ? key : `${field}.${key}`, 'is not JSON and was dropped');
        continue;
      }
      out ??= {};
      out[key] = copy;
    }
    return out;
  }
}
