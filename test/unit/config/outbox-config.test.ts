import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../config/config-error.ts';
import { loadConfig } from '../../../config/load-config.ts';

const env = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_CONFIG: '/etc/gw.yaml',
};
const load = (yaml: string) => loadConfig({ env, readFile: () => yaml });

test('the outbox has defaults and takes its intervals from the file', () => {
  assert.deepEqual(load('').outbox, {
    intervalSeconds: 5,
    retryBaseSeconds: 30,
    retryMaxSeconds: 3600,
    giveUpHours: 168,
  });
  assert.deepEqual(load('outbox:\n  intervalSeconds: 20\n  giveUpHours: 24\n').outbox, {
    intervalSeconds: 20,
    retryBaseSeconds: 30,
    retryMaxSeconds: 3600,
    giveUpHours: 24,
  });
});

test('bad outbox settings are refused with where and why', () => {
  for (const [yaml, where] of [
    ['outbox:\n  intervalSeconds: 0\n', 'outbox.intervalSeconds'],
    ['outbox:\n  retryBaseSeconds: 600\n  retryMaxSeconds: 60\n', 'outbox.retryMaxSeconds'],
    ['outbox:\n  giveUpDays: 3\n', 'outbox'],
  ] as const) {
    try {
      load(yaml);
      assert.fail(`expected a ConfigError for ${yaml}`);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      assert.ok(
        error.problems.some((p) => p.where.includes(where)),
        `${where} in ${JSON.stringify(error.problems)}`,
      );
    }
  }
});
