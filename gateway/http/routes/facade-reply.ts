/**
 * Answers on the facade in the forms old servers read (legacy-protocols §1.2): OCS envelopes
 * (`format=json` else XML; v1 always HTTP 200 with the code inside, v2 real statuses) and the
 * early-OCM JSON bodies (`{message, validationErrors}` on errors).
 */
import type { Response } from 'express';
import {
  buildOcsResponse,
  ocsFormatFromQuery,
  OCS_STATUS,
  type OcsFormat,
  type OcsVersion,
} from '../../core/dialects/ocs-envelope/index.ts';
import type { GatewayError } from '../../core/errors/gateway-error.ts';
import type { JsonValue } from '../../core/model/json-value.ts';

export interface OcsAnswerForm {
  readonly version: OcsVersion;
  readonly format: OcsFormat;
}

export function ocsFormatOf(query: string): OcsFormat {
  return ocsFormatFromQuery(new URLSearchParams(query).get('format'));
}

function retryAfter(res: Response, error: GatewayError): void {
  if (error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
}

export function sendOcsSuccess(res: Response, form: OcsAnswerForm, data?: JsonValue): void {
  const wire = buildOcsResponse({
    ...form,
    statuscode: 100,
    ...(data === undefined ? {} : { data }),
  });
  if (!wire.ok) {
    res.status(500).type('text/plain').send('Internal gateway error.');
    return;
  }
  res.status(wire.value.status).type(wire.value.contentType).send(wire.value.body);
}

/**
 * 997 for authentication, 996 for the gateway's own faults, else the error's HTTP status as the
 * OCS code: a peer's 501 stays 501, which old senders take as "not possible" (a reshare request
 * then falls back to re-sharing the mount) where a 500 would abort with an error.
 */
export function sendOcsFailure(res: Response, form: OcsAnswerForm, error: GatewayError): void {
  retryAfter(res, error);
  const statuscode =
    error.code === 'UNAUTHENTICATED'
      ? OCS_STATUS.unauthorised
      : error.code === 'INTERNAL'
        ? OCS_STATUS.serverError
        : error.status;
  const message = error.code === 'INTERNAL' ? 'Internal gateway error.' : error.message;
  let wire = buildOcsResponse({ ...form, statuscode, message });
  if (!wire.ok) wire = buildOcsResponse({ ...form, statuscode, message: null });
  if (!wire.ok) {
    res.status(400).type('text/plain').send('Bad request.');
    return;
  }
  res.status(wire.value.status).type(wire.value.contentType).send(wire.value.body);
}

export function sendOcmFailure(res: Response, error: GatewayError): void {
  retryAfter(res, error);
  const body: { message: string; validationErrors: { name: string; message: string }[] } = {
    message: error.code === 'INTERNAL' ? 'Internal gateway error.' : error.message,
    validationErrors: error.issues.map((i) => ({ name: i.field, message: i.message })),
  };
  res.status(error.status).json(body);
}

/** A legacy peer's answer, relayed to the backend as it came. */
export function sendRelayed(
  res: Response,
  answer: {
    readonly status: number;
    readonly contentType: string | undefined;
    readonly body: string;
  },
): void {
  res.status(answer.status);
  res.type(answer.contentType ?? 'application/json; charset=utf-8');
  res.send(answer.body);
}
