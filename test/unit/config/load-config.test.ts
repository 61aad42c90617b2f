import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../config/load-config.ts';
import { ConfigError } from '../../../config/config-error.ts';

const base = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org/',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080/nextcloud',
};
const noFile = (): string => {
  throw new Error('no file expected');
};

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

test('defaults of DESIGN §6 apply on a minimal environment', () => {
  const config = loadConfig({ env: base, readFile: noFile });
  assert.deepEqual(config.listeners, {
    host: '127.0.0.1',
    publicPort: 9200,
    internalPort: 9300,
    adminPort: 9400,
  });
  assert.equal(config.publicUrl, 'https://cloud.example.org');
  assert.equal(config.backendUrl, 'http://127.0.0.1:8080/nextcloud');
  assert.equal(config.backendDialect, 'auto');
  assert.deepEqual(config.state, { kind: 'embedded', dataDir: './data' });
  assert.equal(config.allowPrivatePeers, false);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.timeouts.backendResponseMs, 60_000);
  assert.equal(config.capabilityCache.negativeSeconds, 300);
  assert.equal(config.policy.signatures, 'prefer');
});

test('the configuration is frozen all the way down', () => {
  const config = loadConfig({ env: base, readFile: noFile });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.listeners));
  assert.ok(Object.isFrozen(config.policy.allowHosts));
  assert.throws(() => {
    (config.listeners as { publicPort: number }).publicPort = 1;
  }, TypeError);
});

test('every problem is listed at once, each with a fix', () => {
  const error = problemsOf(() =>
    loadConfig({
      env: {
        GATEWAY_PORT: 'eighty',
        GATEWAY_ADMIN_PORT: '70000',
        GATEWAY_BACKEND_DIALECT: 'ocm-9',
        GATEWAY_LOG_LEVEL: 'loud',
        GATEWAY_REDIS_URL: 'http://127.0.0.1:6379',
      },
      readFile: noFile,
    }),
  );
  const where = error.problems.map((p) => p.where).sort();
  // Bad values do not hide the missing required ones.
  assert.deepEqual(where, [
    'GATEWAY_ADMIN_PORT',
    'GATEWAY_BACKEND_DIALECT',
    'GATEWAY_BACKEND_URL',
    'GATEWAY_LOG_LEVEL',
    'GATEWAY_PORT',
    'GATEWAY_PUBLIC_URL',
    'GATEWAY_REDIS_URL',
  ]);
  for (const p of error.problems) assert.ok(p.fix.length > 5, p.where);
  assert.match(error.message, /7 problems/);
  assert.match(error.message, /GATEWAY_PORT: .*got "eighty"/);
});

test('required URLs are reported when the rest is fine', () => {
  const error = problemsOf(() => loadConfig({ env: {}, readFile: noFile }));
  assert.deepEqual(error.problems.map((p) => p.where).sort(), [
    'GATEWAY_BACKEND_URL',
    'GATEWAY_PUBLIC_URL',
  ]);
});

test('Redis needs a shared ledger key, and the key is never echoed', () => {
  const missing = problemsOf(() =>
    loadConfig({ env: { ...base, GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379' }, readFile: noFile }),
  );
  assert.deepEqual(
    missing.problems.map((p) => p.where),
    ['GATEWAY_LEDGER_KEY'],
  );
  const short = problemsOf(() =>
    loadConfig({ env: { ...base, GATEWAY_LEDGER_KEY: 'hunter2-top-secret' }, readFile: noFile }),
  );
  assert.ok(!short.message.includes('hunter2'));
  const ok = loadConfig({
    env: {
      ...base,
      GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379/2',
      GATEWAY_LEDGER_KEY_FILE: '/run/secrets/k',
    },
    readFile: (path) => (path === '/run/secrets/k' ? `${'k'.repeat(40)}\n` : noFile()),
  });
  assert.deepEqual(ok.state, {
    kind: 'redis',
    connection: { mode: 'standalone', url: 'redis://127.0.0.1:6379/2' },
    keyPrefix: 'ocmgw:',
    dataDir: './data',
    ledgerDurability: { replicas: 0, timeoutMs: 1000 },
  });
  assert.equal(ok.ledgerKey, 'k'.repeat(40));
});

test('previous ledger keys: listed inline (commas, line breaks) or in a file, each at least 32 characters, never echoed', () => {
  const [a, b] = ['a'.repeat(40), 'b'.repeat(40)];
  assert.deepEqual(loadConfig({ env: base, readFile: noFile }).ledgerPreviousKeys, []);
  const inline = loadConfig({
    env: { ...base, GATEWAY_LEDGER_PREVIOUS_KEYS: ` ${a} ,\n${b},` },
    readFile: noFile,
  });
  assert.deepEqual(inline.ledgerPreviousKeys, [a, b]);
  const fromFile = loadConfig({
    env: { ...base, GATEWAY_LEDGER_PREVIOUS_KEYS_FILE: '/run/secrets/old' },
    readFile: (path) => (path === '/run/secrets/old' ? `${a}\r\n\n${b}\n` : noFile()),
  });
  assert.deepEqual(fromFile.ledgerPreviousKeys, [a, b]);

  const short = problemsOf(() =>
    loadConfig({
      env: { ...base, GATEWAY_LEDGER_PREVIOUS_KEYS: `${a},hunter2-old` },
      readFile: noFile,
    }),
  );
  assert.deepEqual(
    short.problems.map((p) => p.where),
    ['GATEWAY_LEDGER_PREVIOUS_KEYS'],
  );
  assert.match(short.message, /key 2 is 11 characters long/);
  assert.ok(!short.message.includes('hunter2'));
  assert.ok(!short.message.includes(a));
  const both = problemsOf(() =>
    loadConfig({
      env: { ...base, GATEWAY_LEDGER_PREVIOUS_KEYS: a, GATEWAY_LEDGER_PREVIOUS_KEYS_FILE: '/x' },
      readFile: noFile,
    }),
  );
  assert.deepEqual(
    both.problems.map((p) => p.where),
    ['GATEWAY_LEDGER_PREVIOUS_KEYS_FILE'],
  );
  const unreadable = problemsOf(() =>
    loadConfig({ env: { ...base, GATEWAY_LEDGER_PREVIOUS_KEYS_FILE: '/nope' }, readFile: noFile }),
  );
  assert.match(unreadable.message, /cannot read \/nope/);
});

test('URLs with credentials or queries are refused', () => {
  const error = problemsOf(() =>
    loadConfig({
      env: { ...base, GATEWAY_BACKEND_URL: 'http://admin:pw@127.0.0.1:8080/?x=1' },
      readFile: noFile,
    }),
  );
  assert.deepEqual(
    error.problems.map((p) => p.where),
    ['GATEWAY_BACKEND_URL'],
  );
});

test('booleans are parsed as words, not by truthiness', () => {
  const on = loadConfig({ env: { ...base, GATEWAY_ALLOW_PRIVATE_PEERS: '1' }, readFile: noFile });
  const off = loadConfig({
    env: { ...base, GATEWAY_ALLOW_PRIVATE_PEERS: 'false' },
    readFile: noFile,
  });
  assert.equal(on.allowPrivatePeers, true);
  assert.equal(off.allowPrivatePeers, false);
});

test('the YAML file is validated with paths, unknown keys refused', () => {
  const yaml = [
    'timeouts:',
    '  backendConnectMs: -5',
    'policy:',
    '  signatures: always',
    'peers:',
    '  - host: a.example',
    '  - host: a.example',
    'surprise: true',
  ].join('\n');
  const error = problemsOf(() =>
    loadConfig({ env: { ...base, GATEWAY_CONFIG: 'g.yaml' }, readFile: () => yaml }),
  );
  const where = error.problems.map((p) => p.where).sort();
  assert.deepEqual(where, [
    'g.yaml: (top level)',
    'g.yaml: peers.1.host',
    'g.yaml: policy.signatures',
    'g.yaml: timeouts.backendConnectMs',
  ]);
});

test('unreadable or broken YAML is one clear problem', () => {
  const error = problemsOf(() =>
    loadConfig({ env: { ...base, GATEWAY_CONFIG: 'x.yaml' }, readFile: () => 'a: [unclosed' }),
  );
  assert.equal(error.problems.length, 1);
  assert.match(error.problems[0]!.where, /GATEWAY_CONFIG \(x\.yaml\)/);
});
