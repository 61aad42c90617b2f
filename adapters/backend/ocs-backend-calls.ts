/**
 * Legacy OCS calls on the backend (legacy-protocols §1.1–1.9): form POST to
 * `<backend>/ocs/v{1,2}.php/cloud/shares[/{id}/{action}]?format=json`, success iff statuscode
 * 100/200 with HTTP 2xx; v1 refusals come as HTTP 200 with the code in `meta.statuscode`, v2 as
 * HTTP errors; XML answers are read too.
 */
import { backendFailureToGatewayError } from '../../gateway/core/backend/index.ts';
import {
  readOcsResponse,
  type OcsCodec,
  type OcsFormRequest,
} from '../../gateway/core/dialects/ocs-common/index.ts';
import { ocsV1Codec } from '../../gateway/core/dialects/ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from '../../gateway/core/dialects/ocs-v2/index.ts';
import type { OcsDialectId } from '../../gateway/core/model/dialect-id.ts';
import { retryAfterSeconds, type BackendHttpResponse } from './backend-transport.ts';
import { unreadable, type BackendCallContext } from './backend-call-context.ts';

export function ocsCodecFor(id: OcsDialectId, variant: string | undefined): OcsCodec {
  if (id === 'ocs-v1') return ocsV1Codec;
  return variant === 'pydio8' ? ocsV2Pydio8Codec : ocsV2Codec;
}

/** The answer as the OCS codecs read it: `{status, body}`. */
export interface OcsAnswer {
  readonly status: number;
  readonly body: string;
}

/** POSTs the form; resolves with the answer when the backend counted it a success. */
export async function postOcs(
  context: BackendCallContext,
  form: OcsFormRequest,
  what: string,
): Promise<OcsAnswer> {
  const res: BackendHttpResponse = await context.transport.request({
    method: 'POST',
    url: `${context.backendUrl}${form.path}?${form.query}`,
    headers: { 'content-type': form.contentType },
    body: form.body,
  });
  const answer = { status: res.status, body: res.text };
  const read = readOcsResponse(answer);
  const envelope = read.ok ? read.value.envelope : undefined;
  if (read.ok && read.value.success) return answer;
  if (envelope === undefined && res.status >= 200 && res.status < 300) throw unreadable(what);
  throw backendFailureToGatewayError(
    {
      httpStatus: res.status,
      ...(envelope === undefined
        ? {}
        : { ocsStatuscode: envelope.meta.statuscode, message: envelope.meta.message }),
      ...optionalRetryAfter(res),
    },
    context,
  );
}

export function optionalRetryAfter(res: BackendHttpResponse): { retryAfterSeconds?: number } {
  const seconds = retryAfterSeconds(res.headers);
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}
