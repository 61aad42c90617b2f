import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePeerPolicy, type PeerPolicy } from './peer-policy.ts';
import { peerSettingsFor } from './peer-overrides.ts';

function policy(): PeerPolicy {
  const result = compilePeerPolicy({
    allowHosts: [],
    denyHosts: [],
    allowNetworks: [],
    denyNetworks: [],
    signatures: 'prefer',
    rateLimit: { requests: 600, windowSeconds: 60 },
    perPeerRateLimit: { requests: 120, windowSeconds: 60 },
    peers: [
      { host: 'old.example', dialect: 'ocs-v2', signatures: 'ignore' },
      { host: 'big.example', rateLimit: { requests: 5000, windowSeconds: 60 } },
      { host: 'lab.example:8443', signatures: 'require' },
      { host: 'lab.example', signatures: 'ignore' },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

test('a listed peer gets its overrides, the rest falls back to the global policy', () => {
  assert.deepEqual(peerSettingsFor('Old.Example', policy()), {
    dialect: 'ocs-v2',
    signatures: 'ignore',
    rateLimit: { requests: 120, windowSeconds: 60 },
    entry: 'old.example',
  });
  assert.deepEqual(peerSettingsFor('big.example', policy()), {
    dialect: undefined,
    signatures: 'prefer',
    rateLimit: { requests: 5000, windowSeconds: 60 },
    entry: 'big.example',
  });
});

test('unknown or absent hosts get the defaults', () => {
  for (const host of ['stranger.example', undefined, 'not a host']) {
    assert.deepEqual(peerSettingsFor(host, policy()), {
      dialect: undefined,
      signatures: 'prefer',
      rateLimit: { requests: 120, windowSeconds: 60 },
      entry: undefined,
    });
  }
});

test('host:port entries win over the port-less entry of the same host', () => {
  assert.equal(peerSettingsFor('lab.example:8443', policy()).signatures, 'require');
  assert.equal(peerSettingsFor('lab.example:9000', policy()).signatures, 'ignore');
  assert.equal(peerSettingsFor('lab.example', policy()).signatures, 'ignore');
});

test('subdomains do not inherit a peer entry', () => {
  assert.equal(peerSettingsFor('sub.old.example', policy()).entry, undefined);
});
