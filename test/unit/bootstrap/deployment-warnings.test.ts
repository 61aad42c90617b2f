import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../config/load-config.ts';
import { deploymentWarnings } from '../../../gateway/bootstrap/deployment-warnings.ts';

const base = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_LEDGER_KEY: 'k'.repeat(40),
};

const configWith = (env: Record<string, string>, yaml?: string) =>
  loadConfig({
    env: { ...base, ...env, ...(yaml === undefined ? {} : { GATEWAY_CONFIG: '/etc/gw.yaml' }) },
    readFile: () => yaml ?? '',
  });

test('shared state without facade.baseUrl: one warning per translated backend', () => {
  const warnings = deploymentWarnings(configWith({ GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379' }));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]?.message ?? '', /facade\.baseUrl/);
  assert.deepEqual(warnings[0]?.fields, { backend: 'default', internalPort: 9300 });
});

test('no warning with facade.baseUrl set, or with embedded state (one process)', () => {
  assert.deepEqual(
    deploymentWarnings(
      configWith(
        { GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379' },
        'facade:\n  baseUrl: http://gateway-internal.svc:9300\n',
      ),
    ),
    [],
  );
  assert.deepEqual(deploymentWarnings(configWith({})), []);
});
