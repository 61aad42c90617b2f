import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../config/config-error.ts';
import { loadConfig } from '../../../config/load-config.ts';

const base = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org/',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080/nextcloud',
  GATEWAY_LEDGER_KEY: 'k'.repeat(40),
};
const noFile = (): string => {
  throw new Error('no file expected');
};

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ env: { ...base, ...env }, readFile: noFile });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

const stateOf = (env: Record<string, string>) =>
  loadConfig({ env: { ...base, ...env }, readFile: noFile }).state;

test('cluster mode: seed nodes (IPv6 in brackets) and a password', () => {
  assert.deepEqual(
    stateOf({
      GATEWAY_REDIS_MODE: 'cluster',
      GATEWAY_REDIS_NODES: '10.0.0.1:7000, redis-1.internal:7001,[::1]:7002',
      GATEWAY_REDIS_PASSWORD: 'pw',
      GATEWAY_REDIS_KEY_PREFIX: 'fleet-a:',
    }),
    {
      kind: 'redis',
      connection: {
        mode: 'cluster',
        nodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: 'redis-1.internal', port: 7001 },
          { host: '::1', port: 7002 },
        ],
        password: 'pw',
        tls: false,
      },
      keyPrefix: 'fleet-a:',
      dataDir: './data',
      // A Cluster failover promotes a replica too: ledger writes wait for those in sync.
      ledgerDurability: { replicas: 'online', timeoutMs: 1000 },
    },
  );
});

test('sentinel mode: Sentinels, master group name, TLS', () => {
  const state = stateOf({
    GATEWAY_REDIS_MODE: 'sentinel',
    GATEWAY_REDIS_NODES: '127.0.0.1:26379',
    GATEWAY_REDIS_SENTINEL_NAME: 'mymaster',
    GATEWAY_REDIS_TLS: '1',
  });
  assert.ok(state.kind === 'redis');
  assert.deepEqual(state.connection, {
    mode: 'sentinel',
    nodes: [{ host: '127.0.0.1', port: 26379 }],
    sentinelName: 'mymaster',
    tls: true,
  });
  // Sentinel: ledger writes wait for the replicas in sync unless told otherwise.
  assert.deepEqual(state.ledgerDurability, { replicas: 'online', timeoutMs: 1000 });
});

test('ledger writes wait for as many replicas as asked, as long as asked', () => {
  const sentinel = stateOf({
    GATEWAY_REDIS_MODE: 'sentinel',
    GATEWAY_REDIS_NODES: '127.0.0.1:26379',
    GATEWAY_REDIS_SENTINEL_NAME: 'mymaster',
    GATEWAY_REDIS_WAIT_REPLICAS: '2',
    GATEWAY_REDIS_WAIT_TIMEOUT_MS: '250',
  });
  assert.ok(sentinel.kind === 'redis');
  assert.deepEqual(sentinel.ledgerDurability, { replicas: 2, timeoutMs: 250 });
  const off = stateOf({
    GATEWAY_REDIS_MODE: 'sentinel',
    GATEWAY_REDIS_NODES: '127.0.0.1:26379',
    GATEWAY_REDIS_SENTINEL_NAME: 'mymaster',
    GATEWAY_REDIS_WAIT_REPLICAS: '0',
  });
  assert.ok(off.kind === 'redis');
  assert.equal(off.ledgerDurability.replicas, 0);
  const standalone = stateOf({
    GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379',
    GATEWAY_REDIS_WAIT_REPLICAS: '1',
  });
  assert.ok(standalone.kind === 'redis');
  assert.equal(standalone.ledgerDurability.replicas, 1);
  const online = stateOf({
    GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379',
    GATEWAY_REDIS_WAIT_REPLICAS: 'online',
  });
  assert.ok(online.kind === 'redis');
  assert.equal(online.ledgerDurability.replicas, 'online');
  const cluster = stateOf({
    GATEWAY_REDIS_MODE: 'cluster',
    GATEWAY_REDIS_NODES: 'h:7000',
    GATEWAY_REDIS_WAIT_REPLICAS: '1',
  });
  assert.ok(cluster.kind === 'redis');
  assert.equal(cluster.ledgerDurability.replicas, 1);
});

test('standalone: the password may sit beside the URL, never in both places', () => {
  assert.deepEqual(
    stateOf({ GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379', GATEWAY_REDIS_PASSWORD: 'p' }),
    {
      kind: 'redis',
      connection: { mode: 'standalone', url: 'redis://127.0.0.1:6379', password: 'p' },
      keyPrefix: 'ocmgw:',
      dataDir: './data',
      ledgerDurability: { replicas: 0, timeoutMs: 1000 },
    },
  );
  const both = problemsOf({
    GATEWAY_REDIS_URL: 'redis://:hunter2@127.0.0.1:6379',
    GATEWAY_REDIS_PASSWORD: 'hunter3',
  });
  assert.deepEqual(
    both.problems.map((p) => p.where),
    ['GATEWAY_REDIS_PASSWORD'],
  );
  assert.ok(!both.message.includes('hunter'), 'no password echoed');
});

test('clear problems for an incomplete or mixed Redis set-up', () => {
  const cases: [Record<string, string>, string[], RegExp][] = [
    [{ GATEWAY_REDIS_MODE: 'cluster' }, ['GATEWAY_REDIS_NODES'], /required with .*=cluster/],
    [
      { GATEWAY_REDIS_MODE: 'sentinel', GATEWAY_REDIS_NODES: 'h:26379' },
      ['GATEWAY_REDIS_SENTINEL_NAME'],
      /required with GATEWAY_REDIS_MODE=sentinel/,
    ],
    [
      {
        GATEWAY_REDIS_MODE: 'cluster',
        GATEWAY_REDIS_NODES: 'h:7000',
        GATEWAY_REDIS_URL: 'redis://h:6379',
      },
      ['GATEWAY_REDIS_URL'],
      /only read with GATEWAY_REDIS_MODE=standalone/,
    ],
    [{ GATEWAY_REDIS_NODES: 'h:7000' }, ['GATEWAY_REDIS_NODES'], /sentinel or cluster/],
    [
      { GATEWAY_REDIS_MODE: 'cluster', GATEWAY_REDIS_NODES: 'h:7000,h' },
      ['GATEWAY_REDIS_NODES'],
      /"h" is not host:port/,
    ],
    [
      { GATEWAY_REDIS_MODE: 'cluster', GATEWAY_REDIS_NODES: 'h:70000' },
      ['GATEWAY_REDIS_NODES'],
      /"h:70000" is not host:port/,
    ],
    [{ GATEWAY_REDIS_MODE: 'ring' }, ['GATEWAY_REDIS_MODE'], /standalone, sentinel or cluster/],
    [
      { GATEWAY_REDIS_URL: 'redis://h:6379', GATEWAY_REDIS_SENTINEL_NAME: 'm' },
      ['GATEWAY_REDIS_SENTINEL_NAME'],
      /only read with GATEWAY_REDIS_MODE=sentinel/,
    ],
    [
      { GATEWAY_REDIS_URL: 'redis://h:6379', GATEWAY_REDIS_TLS: '1' },
      ['GATEWAY_REDIS_TLS'],
      /rediss:\/\//,
    ],
    [{ GATEWAY_REDIS_PASSWORD: 'x' }, ['GATEWAY_REDIS_PASSWORD'], /no Redis is configured/],
    [
      { GATEWAY_REDIS_URL: 'redis://h:6379', GATEWAY_REDIS_WAIT_TIMEOUT_MS: '0' },
      ['GATEWAY_REDIS_WAIT_TIMEOUT_MS'],
      /./,
    ],
    [
      { GATEWAY_REDIS_URL: 'redis://h:6379', GATEWAY_REDIS_WAIT_REPLICAS: 'all' },
      ['GATEWAY_REDIS_WAIT_REPLICAS'],
      /must be online or a number of replicas/,
    ],
  ];
  for (const [env, where, message] of cases) {
    const error = problemsOf(env);
    assert.deepEqual(
      error.problems.map((p) => p.where),
      where,
      JSON.stringify(env),
    );
    assert.match(error.message, message, JSON.stringify(env));
  }
});

test('the ledger key is required in every Redis mode', () => {
  const error = problemsOf({
    GATEWAY_LEDGER_KEY: '',
    GATEWAY_REDIS_MODE: 'cluster',
    GATEWAY_REDIS_NODES: '127.0.0.1:7000',
  });
  assert.deepEqual(
    error.problems.map((p) => p.where),
    ['GATEWAY_LEDGER_KEY'],
  );
});
