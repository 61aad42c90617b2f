import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCidrList } from './cidr.ts';
import {
  evaluatePeerAddress,
  evaluatePeerAddresses,
  type PeerAddressPolicy,
} from './peer-address-policy.ts';

const strict: PeerAddressPolicy = {
  allowPrivatePeers: false,
  hostAllowlisted: false,
  allowNetworks: [],
  denyNetworks: [],
};
const networks = (list: string[]) => parseCidrList(list, 'test').networks;

describe('evaluatePeerAddress', () => {
  test('public addresses pass; non-public ones are refused with their class named', () => {
    assert.equal(evaluatePeerAddress('93.184.216.34', strict).allowed, true);
    assert.equal(evaluatePeerAddress('2606:4700::1', strict).allowed, true);
    const loop = evaluatePeerAddress('127.0.0.1', strict);
    assert.equal(loop.allowed, false);
    assert.ok(!loop.allowed);
    assert.equal(loop.rule, 'non-public');
    assert.equal(loop.addressClass, 'loopback');
    assert.equal(loop.reason, '127.0.0.1 (loopback) is not a public address');
    const mapped = evaluatePeerAddress('::ffff:a00:1', strict);
    assert.ok(!mapped.allowed);
    assert.equal(mapped.reason, '::ffff:10.0.0.1 (private) is not a public address');
  });

  test('allowPrivatePeers and an allowlisted host unlock private, loopback, ULA, CGN', () => {
    for (const policy of [
      { ...strict, allowPrivatePeers: true },
      { ...strict, hostAllowlisted: true },
    ]) {
      for (const ip of ['127.0.0.1', '10.1.1.1', 'fd00::5', '::1', '100.64.0.9', 'fe80::1']) {
        assert.equal(evaluatePeerAddress(ip, policy).allowed, true, ip);
      }
    }
  });

  test('allowNetworks unlocks only the listed networks', () => {
    const policy = { ...strict, allowNetworks: networks(['10.20.0.0/16', 'fd00:1::/32']) };
    assert.equal(evaluatePeerAddress('10.20.3.4', policy).allowed, true);
    assert.equal(evaluatePeerAddress('::ffff:10.20.3.4', policy).allowed, true);
    assert.equal(evaluatePeerAddress('fd00:1::9', policy).allowed, true);
    assert.equal(evaluatePeerAddress('10.21.0.1', policy).allowed, false);
    assert.equal(evaluatePeerAddress('127.0.0.1', policy).allowed, false);
  });

  test('metadata endpoints are refused whatever is allowed', () => {
    const lax: PeerAddressPolicy = {
      allowPrivatePeers: true,
      hostAllowlisted: true,
      allowNetworks: networks(['0.0.0.0/0', '::/0']),
      denyNetworks: [],
    };
    for (const ip of [
      '169.254.169.254',
      '::ffff:169.254.169.254',
      'fd00:ec2::254',
      '168.63.129.16',
      '100.100.100.200',
    ]) {
      const verdict = evaluatePeerAddress(ip, lax);
      assert.ok(!verdict.allowed, ip);
      assert.equal(verdict.rule, 'metadata');
    }
  });

  test('unspecified, multicast, broadcast and non-addresses are never connectable', () => {
    const lax = { ...strict, allowPrivatePeers: true, hostAllowlisted: true };
    for (const ip of ['0.0.0.0', '::', 'ff02::1', '224.0.0.1', '255.255.255.255', 'peer.example']) {
      const verdict = evaluatePeerAddress(ip, lax);
      assert.ok(!verdict.allowed, ip);
      assert.equal(verdict.rule, 'never-connectable');
    }
  });

  test('denyNetworks win over everything, including through an embedded IPv4', () => {
    const policy: PeerAddressPolicy = {
      allowPrivatePeers: true,
      hostAllowlisted: true,
      allowNetworks: networks(['10.0.0.0/8']),
      denyNetworks: networks(['10.9.0.0/16', '203.0.112.0/24', '2a00:dead::/32']),
    };
    for (const ip of [
      '10.9.1.1',
      '203.0.112.4',
      '::ffff:203.0.112.4',
      '64:ff9b::cb00:7004',
      '2002:cb00:7004::1',
      '2a00:dead::1',
    ]) {
      const verdict = evaluatePeerAddress(ip, policy);
      assert.ok(!verdict.allowed, ip);
      assert.equal(verdict.rule, 'deny-network', ip);
    }
    assert.equal(evaluatePeerAddress('10.8.1.1', policy).allowed, true);
  });
});

describe('evaluatePeerAddresses', () => {
  test('one non-public address refuses the whole name, in any position', () => {
    assert.equal(evaluatePeerAddresses(['93.184.216.34', '2606:4700::1'], strict).allowed, true);
    for (const list of [
      ['93.184.216.34', '127.0.0.1'],
      ['127.0.0.1', '93.184.216.34'],
      ['2606:4700::1', 'fd00::1'],
    ]) {
      const verdict = evaluatePeerAddresses(list, strict);
      assert.ok(!verdict.allowed);
      assert.equal(verdict.rule, 'non-public');
    }
  });

  test('an empty answer is refused, not allowed', () => {
    const verdict = evaluatePeerAddresses([], strict);
    assert.ok(!verdict.allowed);
    assert.equal(verdict.rule, 'no-address');
  });

  test('never throws and never allows a non-public address under the strict policy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), { maxLength: 4 }),
        (ips) => {
          const verdict = evaluatePeerAddresses(ips, strict);
          if (verdict.allowed) {
            for (const ip of ips)
              assert.equal(evaluatePeerAddress(ip, strict).addressClass, 'public');
          }
        },
      ),
    );
  });
});
