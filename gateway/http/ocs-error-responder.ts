/**
 * Renders a GatewayError in the OCS envelope for the legacy federated-sharing routes
 * (legacy-protocols.md §1.2): `/ocs/v1.php/…` answers HTTP 200 with the code in `meta.statuscode`
 * (401 for 997), `/ocs/v2.php/…` uses the code as the HTTP status; XML unless `format=json`.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import {
  buildOcsResponse,
  ocsFormatFromQuery,
  OCS_STATUS,
  type OcsFormat,
  type OcsVersion,
} from '../core/dialects/ocs-envelope/index.ts';
import { GatewayError, toGatewayError } from '../core/errors/gateway-error.ts';
import { ocmErrorBody } from '../core/errors/ocm-error-body.ts';
import type { Logger } from '../ports/logger.ts';
import { sendOcmError } from './ocm-error-responder.ts';

const OCS_PATH = /(?:^|\/)ocs\/v([12])\.php(?:\/|$)/;

/** The OCS version of a request target (`/ocs/v2.php/cloud/shares?format=json` → 2), or undefined. */
export function ocsVersionOfTarget(target: string): OcsVersion | undefined {
  const path = target.split('?', 1)[0] ?? '';
  const match = OCS_PATH.exec(path);
  if (match === null) return undefined;
  return match[1] === '1' ? 1 : 2;
}

/** `format` from the raw query (never throws on bad escapes, unlike a decoder). */
export function ocsFormatOfTarget(target: string): OcsFormat {
  const query = target.indexOf('?');
  if (query < 0) return 'xml';
  return ocsFormatFromQuery(new URLSearchParams(target.slice(query + 1)).get('format'));
}

/** The OCS status code for an error: 997 unauthorised, 996 server error, otherwise the HTTP status. */
function ocsStatuscodeOf(error: GatewayError): number {
  if (error.code === 'UNAUTHENTICATED') return OCS_STATUS.unauthorised;
  if (error.status >= 500 && error.code !== 'UNAVAILABLE') return OCS_STATUS.serverError;
  return error.status;
}

export function sendOcsError(
  res: Response,
  error: GatewayError,
  version: OcsVersion,
  format: OcsFormat,
): void {
  if (error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  const wire = ocsErrorWire(error, version, format);
  res.status(wire.status).type(wire.contentType).send(wire.body);
}

/** An error response as it goes on the wire (Retry-After aside). */
export interface ErrorWire {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

function ocsErrorWire(error: GatewayError, version: OcsVersion, format: OcsFormat): ErrorWire {
  const statuscode = ocsStatuscodeOf(error);
  const message = error.code === 'INTERNAL' ? 'Internal gateway error.' : error.message;
  let wire = buildOcsResponse({ version, format, statuscode, message });
  // A message the XML writer refuses (control characters) must not turn an error into a 500.
  if (!wire.ok) wire = buildOcsResponse({ version, format, statuscode, message: null });
  if (!wire.ok) return { status: 400, contentType: 'text/plain', body: 'Bad request.' };
  return wire.value;
}

/** What sendErrorInDialect answers, for a caller without express (the pass-through lane). */
export function errorWireInDialect(target: string, error: GatewayError): ErrorWire {
  const version = ocsVersionOfTarget(target);
  if (version !== undefined) return ocsErrorWire(error, version, ocsFormatOfTarget(target));
  return {
    status: error.status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(ocmErrorBody(error)),
  };
}

/** OCS envelope on `/ocs/v{1,2}.php/…` targets, the OCM JSON body everywhere else. */
export function sendErrorInDialect(req: Request, res: Response, error: GatewayError): void {
  const target = req.originalUrl;
  const version = ocsVersionOfTarget(target);
  if (version === undefined) sendOcmError(res, error);
  else sendOcsError(res, error, version, ocsFormatOfTarget(target));
}

/** Express error handler for OCS targets; any other request goes on to the next (OCM) responder. */
export function ocsErrorResponder(logger: Logger): ErrorRequestHandler {
  return (raw: unknown, req, res, next) => {
    const version = ocsVersionOfTarget(req.originalUrl);
    if (res.headersSent || version === undefined) {
      next(raw);
      return;
    }
    const error = fromExpressError(raw);
    const fields = {
      requestId: res.locals.requestId as string | undefined,
      code: error.code,
      path: req.originalUrl.split('?', 1)[0],
      cause: error.cause,
    };
    if (error.status >= 500) logger.error(error.message, fields);
    else logger.info(`refused: ${error.message}`, fields);
    sendOcsError(res, error, version, ocsFormatOfTarget(req.originalUrl));
  };
}

/** http-errors from express or a body parser carry a 4xx status that must not become a 996. */
function fromExpressError(raw: unknown): GatewayError {
  if (raw instanceof GatewayError) return raw;
  const status = (raw as { status?: unknown } | null)?.status;
  if (status === 413) return new GatewayError('PAYLOAD_TOO_LARGE', 'Request body too large.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError('INVALID_REQUEST', 'The request could not be read.');
  }
  return toGatewayError(raw);
}
