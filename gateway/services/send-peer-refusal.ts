/**
 * A peer's non-2xx OCM answer as the GatewayError the backend gets back (OCM error bodies are
 * `{message, validationErrors}`, ocm-versions §3.3): the peer's message shortened and cleaned.
 */
import { GatewayError } from '../core/errors/gateway-error.ts';
import { isJsonObject } from '../core/model/json-value.ts';
import { peerRefusalCode } from '../core/outgoing/peer-refusal.ts';
import type { PeerJsonResponse } from '../ports/peer-http.ts';

export function peerRefusal(response: PeerJsonResponse): GatewayError {
  const body = response.json;
  const raw = isJsonObject(body) && typeof body.message === 'string' ? body.message : '';
  // The peer's text ends up in the backend's UI and logs: printable characters only.
  const message = raw.replace(/[^\x20-\x7e\u00a0-\uffff]/g, ' ').slice(0, 200);
  const retryAfter = Number(response.headers['retry-after']);
  return new GatewayError(
    peerRefusalCode(response.status),
    `The peer answered HTTP ${response.status}${message === '' ? '' : `: ${message}`}.`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {},
  );
}
