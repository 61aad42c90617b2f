import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../config/config-error.ts';
import { loadConfig } from '../../../config/load-config.ts';

const env = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_CONFIG: 'gateway.yaml',
};

function load(yaml: string) {
  return loadConfig({ env, readFile: () => yaml });
}

test('forwardProxy defaults: loopback clients only, no interception, other traffic allowed', () => {
  assert.deepEqual(load('{}').forwardProxy, {
    allowedClients: ['127.0.0.0/8', '::1/128'],
    intercept: false,
    tunnelPolicy: 'allow',
  });
});

test('bad forwardProxy values stop start-up, each named', () => {
  try {
    load(
      'forwardProxy:\n  allowedClients: [10.0.0.1/8, nonsense]\n  intercept: yes-please\n  tunnelPolicy: maybe\n',
    );
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    const text = error.message;
    assert.match(
      text,
      /forwardProxy\.allowedClients\.0.*host bits are set; did you mean 10\.0\.0\.0\/8/,
    );
    assert.match(text, /forwardProxy\.allowedClients\.1/);
    assert.match(text, /forwardProxy\.intercept/);
    assert.match(text, /forwardProxy\.tunnelPolicy/);
  }
});
