/** What every backend call needs: where the backend is, how to reach it, how to word its failures. */
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { ValidationIssue } from '../../gateway/core/errors/validation-issue.ts';
import type { BackendTransport } from './backend-transport.ts';

export interface BackendCallContext {
  /** GATEWAY_BACKEND_URL without trailing slash. */
  readonly backendUrl: string;
  readonly publicUrl: string;
  readonly transport: BackendTransport;
}

/** The gateway could not express the call in the backend's dialect (a field it cannot carry). */
export function untranslatable(what: string, issues: readonly ValidationIssue[]): GatewayError {
  return new GatewayError(
    'INVALID_REQUEST',
    `The ${what} cannot be expressed in the backend's dialect.`,
    { issues },
  );
}

export function unreadable(what: string): GatewayError {
  return new GatewayError(
    'UPSTREAM_UNREACHABLE',
    `The backend's answer to the ${what} could not be read.`,
  );
}
