/** The internal listener, for the backend only: the facade /peers/<host>/… and the forward proxy (added by later flows). */
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../ports/logger.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import { requestId } from './middleware/request-id.ts';
import { requestLog } from './middleware/request-log.ts';
import { ocmErrorResponder } from './ocm-error-responder.ts';

export interface InternalAppOptions {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly routes?: readonly RequestHandler[];
  /** The forward proxy's middleware: sees every request first, passes origin-form ones on. */
  readonly forwardProxy?: RequestHandler;
}

export function createInternalApp(options: InternalAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(requestId());
  app.use(requestLog({ listener: 'internal', logger: options.logger, metrics: options.metrics }));
  if (options.forwardProxy !== undefined) app.use(options.forwardProxy);
  for (const routes of options.routes ?? []) app.use(routes);
  app.use((req, _res, next) => {
    next(new GatewayError('NOT_FOUND', `No internal route for ${req.method} ${req.path}.`));
  });
  app.use(ocmErrorResponder(options.logger));
  return app;
}
