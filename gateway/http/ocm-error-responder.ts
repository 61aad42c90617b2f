/** Renders a GatewayError as an OCM error body ({message, validationErrors}) with its status and Retry-After. */
import type { ErrorRequestHandler, Response } from 'express';
import { GatewayError, toGatewayError } from '../core/errors/gateway-error.ts';
import { ocmErrorBody, type OcmErrorStyle } from '../core/errors/ocm-error-body.ts';
import type { Logger } from '../ports/logger.ts';

/** `style`: the caller's dialect family (ocm-error-body.ts); OCM 1.x unless the route knows better. */
export function sendOcmError(
  res: Response,
  error: GatewayError,
  style: OcmErrorStyle = 'ocm',
): void {
  if (error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  res.status(error.status).json(ocmErrorBody(error, style));
}

/** Last express error handler: nothing escapes as a stack trace; 5xx are logged with their cause. */
export function ocmErrorResponder(logger: Logger): ErrorRequestHandler {
  return (raw: unknown, req, res, next) => {
    if (res.headersSent) {
      next(raw);
      return;
    }
    const error = fromExpressError(raw);
    const fields = {
      requestId: res.locals.requestId as string | undefined,
      code: error.code,
      path: req.originalUrl,
      cause: error.cause,
    };
    if (error.status >= 500) logger.error(error.message, fields);
    else logger.info(`refused: ${error.message}`, fields);
    sendOcmError(res, error);
  };
}

/** Body-parser and other http-errors carry a status; keep the 4xx meaning instead of hiding it as 500. */
function fromExpressError(raw: unknown): GatewayError {
  if (raw instanceof GatewayError) return raw;
  const status = (raw as { status?: unknown } | null)?.status;
  if (status === 413) return new GatewayError('PAYLOAD_TOO_LARGE', 'Request body too large.');
  if (status === 415) return new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body type.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError('INVALID_REQUEST', 'The request body could not be read.');
  }
  return toGatewayError(raw);
}
