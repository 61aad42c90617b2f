import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffConfig } from '../../../config/diff-config.ts';
import { loadConfig } from '../../../config/load-config.ts';

const env = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_CONFIG: 'gw.yaml',
};
const load = (yaml: string, extra: Record<string, string> = {}) =>
  loadConfig({ env: { ...env, ...extra }, readFile: () => yaml });

test('the same file twice changes nothing', () => {
  const yaml =
    'policy: { denyHosts: [spam.example] }\npeers: [{ host: a.example, dialect: ocm-1.2 }]';
  assert.deepEqual(diffConfig(load(yaml), load(yaml)), { live: [], restart: [] });
});

test('policy, per-peer overrides, federation body limits and WebSocket limits are live', () => {
  const before = load('peers: [{ host: a.example, dialect: ocm-1.2 }]');
  const after = load(`
policy:
  denyHosts: [spam.example]
  allowNetworks: [192.0.2.0/24]
  signatures: require
  perPeerRateLimit: { requests: 5, windowSeconds: 60 }
limits:
  sharesBodyBytes: 1000
  notificationsBodyBytes: 2000
  websocketTunnels: 10
  websocketTunnelsPerAddress: 2
  websocketIdleSeconds: 60
peers:
  - { host: a.example, dialect: ocm-1.3, signatures: ignore }
  - { host: b.example, rateLimit: { requests: 1, windowSeconds: 1 } }
`);
  const diff = diffConfig(before, after);
  assert.deepEqual(diff.restart, []);
  assert.deepEqual(diff.live, [
    'limits.notificationsBodyBytes',
    'limits.sharesBodyBytes',
    'limits.websocketIdleSeconds',
    'limits.websocketTunnels',
    'limits.websocketTunnelsPerAddress',
    'peers[a.example].dialect',
    'peers[a.example].signatures',
    'peers[b.example].host',
    'peers[b.example].rateLimit.requests',
    'peers[b.example].rateLimit.windowSeconds',
    'policy.allowNetworks',
    'policy.denyHosts',
    'policy.perPeerRateLimit.requests',
    'policy.signatures',
  ]);
});

test('ports, backends, data dir, Redis, timeouts and allowHttp need a restart', () => {
  const before = load('peers: [{ host: a.example }]');
  const after = load(
    `
timeouts: { backendConnectMs: 1234 }
forwardProxy: { intercept: true }
peers: [{ host: a.example, allowHttp: true }]
`,
    {
      GATEWAY_PORT: '9999',
      GATEWAY_BACKEND_URL: 'http://127.0.0.1:8081',
      GATEWAY_DATA_DIR: '/var/lib/gw',
      GATEWAY_REDIS_URL: 'redis://user:hunter2@127.0.0.1:6379',
      GATEWAY_LEDGER_KEY: 'k'.repeat(40),
    },
  );
  const diff = diffConfig(before, after);
  assert.deepEqual(diff.live, []);
  for (const name of [
    'listeners.publicPort',
    'backendUrl',
    'backends[default].url',
    'state.dataDir',
    'state.kind',
    'timeouts.backendConnectMs',
    'forwardProxy.intercept',
    'peers[a.example].allowHttp',
    'ledgerKey',
  ]) {
    assert.ok(diff.restart.includes(name), `${name} in ${diff.restart.join(', ')}`);
  }
  // Names only: no value (the Redis password, the ledger key) appears.
  assert.ok(!JSON.stringify(diff).includes('hunter2'));
  assert.ok(!JSON.stringify(diff).includes('kkkk'));
});

test('a peer added without allowHttp is live; removing one is live too', () => {
  const none = load('{}');
  const one = load('peers: [{ host: a.example, dialect: ocs-v1 }]');
  assert.deepEqual(diffConfig(none, one), {
    live: ['peers[a.example].dialect', 'peers[a.example].host'],
    restart: [],
  });
  assert.deepEqual(diffConfig(one, none).restart, []);
});
