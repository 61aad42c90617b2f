import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compilePeerPolicy,
  evaluatePeerPolicy,
  type PeerPolicy,
  type PeerPolicyConfig,
} from './peer-policy.ts';

const base: PeerPolicyConfig = {
  allowHosts: [],
  denyHosts: [],
  allowNetworks: [],
  denyNetworks: [],
  signatures: 'prefer',
  rateLimit: { requests: 600, windowSeconds: 60 },
  perPeerRateLimit: { requests: 120, windowSeconds: 60 },
  peers: [],
};

function compile(overrides: Partial<PeerPolicyConfig>): PeerPolicy {
  const result = compilePeerPolicy({ ...base, ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

function kind(policy: PeerPolicy, host: string | undefined, address: string | undefined) {
  const verdict = evaluatePeerPolicy({ host, address }, policy);
  return verdict.kind === 'deny' ? `deny:${verdict.reason}` : verdict.kind;
}

describe('evaluatePeerPolicy', () => {
  test('no lists: everyone is allowed, known host or not', () => {
    const policy = compile({});
    assert.equal(kind(policy, 'peer.example.org', '192.0.2.1'), 'allow');
    assert.equal(kind(policy, undefined, '192.0.2.1'), 'allow');
  });

  test('denyNetworks refuses by address, IPv4-mapped IPv6 included', () => {
    const policy = compile({ denyNetworks: ['198.51.100.0/24', '2001:db8:bad::/48'] });
    assert.equal(kind(policy, undefined, '198.51.100.7'), 'deny:denied-network');
    assert.equal(kind(policy, undefined, '::ffff:198.51.100.7'), 'deny:denied-network');
    assert.equal(kind(policy, 'ok.example', '2001:db8:bad::1'), 'deny:denied-network');
    assert.equal(kind(policy, undefined, '198.51.101.7'), 'allow');
  });

  test('denyHosts matches the canonical host, exact or by *.domain', () => {
    const policy = compile({ denyHosts: ['spam.example', '*.bad.example'] });
    assert.equal(kind(policy, 'SPAM.example.', '192.0.2.1'), 'deny:denied-host');
    assert.equal(kind(policy, 'a.b.bad.example', '192.0.2.1'), 'deny:denied-host');
    // The parent itself and look-alike suffixes are not covered by the wildcard.
    assert.equal(kind(policy, 'bad.example', '192.0.2.1'), 'allow');
    assert.equal(kind(policy, 'notbad.example', '192.0.2.1'), 'allow');
    assert.equal(kind(policy, 'bad.example.attacker.test', '192.0.2.1'), 'allow');
  });

  test('a host deny list cannot be decided without the host: needs-host', () => {
    const policy = compile({ denyHosts: ['spam.example'] });
    assert.equal(kind(policy, undefined, '192.0.2.1'), 'needs-host');
    // An unparsable claim is no host either.
    assert.equal(kind(policy, 'not a host', '192.0.2.1'), 'needs-host');
  });

  test('allowHosts: listed hosts pass, others are refused, unknown hosts wait for the host', () => {
    const policy = compile({ allowHosts: ['cloud.partner.example', '*.cern.example'] });
    assert.equal(kind(policy, 'cloud.partner.example', '192.0.2.1'), 'allow');
    assert.equal(kind(policy, 'eos.cern.example', '192.0.2.1'), 'allow');
    assert.equal(kind(policy, 'other.example', '192.0.2.1'), 'deny:not-allowed');
    assert.equal(kind(policy, undefined, '192.0.2.1'), 'needs-host');
  });

  test('allowNetworks alone gates by address; the host cannot help', () => {
    const policy = compile({ allowNetworks: ['192.0.2.0/24'] });
    assert.equal(kind(policy, undefined, '192.0.2.9'), 'allow');
    assert.equal(kind(policy, 'cloud.partner.example', '203.0.113.9'), 'deny:not-allowed');
    assert.equal(kind(policy, undefined, '203.0.113.9'), 'deny:not-allowed');
    assert.equal(kind(policy, undefined, undefined), 'deny:not-allowed');
  });

  test('allowHosts and allowNetworks form one allowlist (either one admits)', () => {
    const policy = compile({ allowHosts: ['a.example'], allowNetworks: ['10.0.0.0/8'] });
    assert.equal(kind(policy, 'a.example', '203.0.113.1'), 'allow');
    assert.equal(kind(policy, 'b.example', '10.1.2.3'), 'allow');
    assert.equal(kind(policy, undefined, '10.1.2.3'), 'allow');
    assert.equal(kind(policy, 'b.example', '203.0.113.1'), 'deny:not-allowed');
  });

  test('deny wins over allow, for hosts and for networks', () => {
    const policy = compile({
      allowHosts: ['*.corp.example'],
      denyHosts: ['evil.corp.example'],
      allowNetworks: ['10.0.0.0/8'],
      denyNetworks: ['10.66.0.0/16'],
    });
    assert.equal(kind(policy, 'evil.corp.example', '10.1.1.1'), 'deny:denied-host');
    assert.equal(kind(policy, 'good.corp.example', '10.66.1.1'), 'deny:denied-network');
    // Allowed by network, but a host deny list exists and the host is not known yet.
    assert.equal(kind(policy, undefined, '10.1.1.1'), 'needs-host');
  });

  test('a port in a pattern must match; a claim without port means 443', () => {
    const policy = compile({ allowHosts: ['lab.example:8443', 'web.example:443'] });
    assert.equal(kind(policy, 'lab.example:8443', '192.0.2.1'), 'allow');
    assert.equal(kind(policy, 'lab.example', '192.0.2.1'), 'deny:not-allowed');
    assert.equal(kind(policy, 'web.example', '192.0.2.1'), 'allow');
  });

  test('the deny detail names the rule and the caller, for the log', () => {
    const verdict = evaluatePeerPolicy(
      { host: 'spam.example', address: '192.0.2.1' },
      compile({ denyHosts: ['spam.example'] }),
    );
    if (verdict.kind !== 'deny') assert.fail(`expected a denial, got ${verdict.kind}`);
    assert.match(verdict.detail, /spam\.example.*denyHosts/);
  });
});

describe('compilePeerPolicy', () => {
  test('every bad entry is reported with its field, none is skipped', () => {
    const result = compilePeerPolicy({
      ...base,
      allowHosts: ['ok.example', 'bad host', '*.org', 'a.*.example'],
      denyHosts: ['*.10.0.0.1'],
      allowNetworks: ['10.0.0.1/8'],
      denyNetworks: ['nonsense'],
      peers: [{ host: 'x y' }, { host: 'p.example' }, { host: 'P.example.' }],
    });
    if (result.ok) assert.fail('expected issues');
    assert.deepEqual(
      result.issues.map((i) => i.field),
      [
        'policy.allowHosts.1',
        'policy.allowHosts.2',
        'policy.allowHosts.3',
        'policy.denyHosts.0',
        'policy.allowNetworks.0',
        'policy.denyNetworks.0',
        'peers.0.host',
        'peers.2.host',
      ],
    );
  });
});
