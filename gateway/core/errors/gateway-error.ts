/** The error type every layer throws or returns; responders render it in the caller's dialect. */
import { ERROR_CATALOG, type ErrorCode } from './error-catalog.ts';
import type { ValidationIssue } from './validation-issue.ts';

export interface GatewayErrorOptions {
  /** Field-level reasons, rendered as OCM `validationErrors`. */
  readonly issues?: readonly ValidationIssue[];
  /** Seconds the caller should wait before retrying (503, 429). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: readonly ValidationIssue[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Normalises anything thrown into a GatewayError; unknown errors become INTERNAL with a generic message. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('INTERNAL', 'Internal gateway error.', { cause: error });
}
