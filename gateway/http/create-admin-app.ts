/** The admin listener: liveness, readiness (every store reachable, degraded state in the body) and metrics. */
import express, { type Express } from 'express';
import type { Logger } from '../ports/logger.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import { requestId } from './middleware/request-id.ts';
import { requestLog } from './middleware/request-log.ts';

export interface ReadinessCheck {
  readonly name: string;
  health(): Promise<{ ok: boolean; detail: string }>;
}

export interface AdminAppOptions {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly checks: readonly ReadinessCheck[];
  /** False once shutdown has begun, so load balancers stop sending traffic first. */
  readonly isAccepting: () => boolean;
  readonly checkTimeoutMs?: number;
}

export function createAdminApp(options: AdminAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId());
  app.use(requestLog({ listener: 'admin', logger: options.logger, metrics: options.metrics }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.checks.map(async (check) => ({
        name: check.name,
        ...(await withTimeout(check, options.checkTimeoutMs ?? 2_000)),
      })),
    );
    const accepting = options.isAccepting();
    const ready = accepting && results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : accepting ? 'degraded' : 'shutting-down',
      checks: Object.fromEntries(results.map((r) => [r.name, { ok: r.ok, detail: r.detail }])),
    });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  app.use((_req, res) => {
    res
      .status(404)
      .json({ message: 'NOT_FOUND', detail: 'admin routes: /healthz /readyz /metrics' });
  });
  return app;
}

async function withTimeout(
  check: ReadinessCheck,
  ms: number,
): Promise<{ ok: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => {
      resolve({ ok: false, detail: `no answer within ${ms} ms` });
    }, ms);
  });
  try {
    return await Promise.race([
      check.health().catch((error: unknown) => ({
        ok: false,
        detail: error instanceof Error ? error.message : 'health check failed',
      })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
