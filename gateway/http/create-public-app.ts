/** The public listener: federation endpoints for peers (added by later flows) and pass-through of everything else. */
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../ports/logger.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import { requestId } from './middleware/request-id.ts';
import { requestLog } from './middleware/request-log.ts';
import { ocmErrorResponder } from './ocm-error-responder.ts';

export interface PublicAppOptions {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** Federation routes mounted before the pass-through (OCM discovery, shares, notifications…). */
  readonly federationRoutes?: readonly RequestHandler[];
  /** Streams everything else to the backend; must see the raw, unparsed request. */
  readonly passthrough: RequestHandler;
}

export function createPublicApp(options: PublicAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(requestId());
  app.use(requestLog({ listener: 'public', logger: options.logger, metrics: options.metrics }));
  for (const routes of options.federationRoutes ?? []) app.use(routes);
  const passthrough = options.passthrough;
  app.use((req, res, next) => {
    res.locals.route = 'passthrough';
    passthrough(req, res, next);
  });
  app.use(ocmErrorResponder(options.logger));
  return app;
}
