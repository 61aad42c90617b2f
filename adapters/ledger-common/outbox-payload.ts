/** Outbox payloads are JSON sealed with the SecretBox: notifications may carry shared secrets. */
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { SecretBox } from '../ledger-crypto/secret-box.ts';

export function sealPayload(box: SecretBox, payload: unknown): Promise<string> {
  let json: string | undefined;
  try {
    json = toJson(payload);
  } catch (error) {
    return Promise.reject(notSerialisable(error));
  }
  if (json === undefined) return Promise.reject(notSerialisable(undefined));
  return box.seal(json);
}

/** JSON.stringify gives undefined for undefined, functions and symbols, whatever lib.d.ts says. */
function toJson(value: unknown): string | undefined {
  return JSON.stringify(value);
}

export async function openPayload(box: SecretBox, sealed: string): Promise<unknown> {
  return JSON.parse(await box.open(sealed)) as unknown;
}

function notSerialisable(cause: unknown): GatewayError {
  return new GatewayError('INVALID_REQUEST', 'The outbox item cannot be recorded.', {
    issues: [{ field: 'payload', message: 'must be JSON-serialisable' }],
    cause,
  });
}
