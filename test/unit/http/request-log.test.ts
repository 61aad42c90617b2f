import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { requestLog } from '../../../gateway/http/middleware/request-log.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { captureLogger, type LogLine } from './capture-logger.ts';
import { serveApp } from './serve-app.ts';

test('plain pass-through is logged at http level, federation routes at info, 5xx at warn', async () => {
  const lines: LogLine[] = [];
  const app = express();
  app.use(
    requestLog({ listener: 'public', logger: captureLogger(lines), metrics: createMetrics() }),
  );
  app.use('/ocm/shares', (_req, res) => {
    res.locals.route = '/ocm/shares';
    res.status(201).end();
  });
  app.use('/broken', (_req, res) => {
    res.locals.route = 'passthrough';
    res.status(502).end();
  });
  app.use((_req, res) => {
    res.locals.route = 'passthrough';
    res.status(200).end('ok');
  });
  const served = await serveApp(app);
  try {
    for (const path of ['/remote.php/webdav/a.txt', '/ocm/shares', '/broken']) {
      await (await fetch(`${served.url}${path}`)).arrayBuffer();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const levels = Object.fromEntries(lines.map((l) => [String(l.fields.path), l.level]));
    assert.deepEqual(levels, {
      '/remote.php/webdav/a.txt': 'http',
      '/ocm/shares': 'info',
      '/broken': 'warn',
    });
    assert.ok(lines.every((l) => l.message === 'request'));
  } finally {
    await served.close();
  }
});
