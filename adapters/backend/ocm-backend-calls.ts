/**
 * Early-OCM calls on the backend (legacy-protocols §3.1–3.2): JSON POST to its own
 * `<endPoint>/shares` and `<endPoint>/notifications`; success is 201 (any 2xx is taken), ownCloud
 * answers `[]`; refusals are `{message[, validationErrors]}` with 400/403/501/503.
 */
import { backendFailureToGatewayError } from '../../gateway/core/backend/index.ts';
import type { Codec } from '../../gateway/core/model/codec.ts';
import { optionalRetryAfter } from './ocs-backend-calls.ts';
import type { BackendCallContext } from './backend-call-context.ts';

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** POSTs JSON to `<endPoint><path>`; resolves with the parsed 2xx body (undefined if empty). */
export async function postOcm(
  context: BackendCallContext,
  codec: Codec,
  url: string,
  body: unknown,
): Promise<unknown> {
  const res = await context.transport.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = parseJson(res.text);
  if (res.status >= 200 && res.status < 300) return json;
  const error = json === undefined ? undefined : codec.error?.parse(json, { mode: 'lenient' });
  const refusal = error?.ok === true ? error.value : undefined;
  throw backendFailureToGatewayError(
    {
      httpStatus: res.status,
      ...(refusal === undefined
        ? {}
        : {
            message: refusal.message,
            issues: refusal.validationErrors.map((v) => ({ field: v.name, message: v.message })),
          }),
      ...optionalRetryAfter(res),
    },
    context,
  );
}
