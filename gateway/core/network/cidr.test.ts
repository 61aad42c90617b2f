import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  anyNetworkContains,
  formatNetwork,
  networkContains,
  parseCidr,
  parseCidrList,
  type IpNetwork,
} from './cidr.ts';
import { parseIpAddress } from './ip-address.ts';

function net(text: string): IpNetwork {
  const result = parseCidr(text);
  assert.ok(result.ok, text);
  return result.network;
}
const ip = (text: string) => parseIpAddress(text)!;

describe('parseCidr', () => {
  test('reads IPv4 and IPv6 networks and bare addresses', () => {
    assert.equal(formatNetwork(net('10.0.0.0/8')), '10.0.0.0/8');
    assert.equal(formatNetwork(net(' fd00::/8 ')), 'fd00::/8');
    assert.equal(formatNetwork(net('192.0.2.7')), '192.0.2.7/32');
    assert.equal(formatNetwork(net('2001:db8::1')), '2001:db8::1/128');
    assert.equal(formatNetwork(net('0.0.0.0/0')), '0.0.0.0/0');
    assert.equal(formatNetwork(net('::/0')), '::/0');
  });

  test('explains what is wrong', () => {
    const message = (text: string): string => {
      const result = parseCidr(text);
      assert.ok(!result.ok, text);
      return result.message;
    };
    assert.match(message('10.0.0.1/8'), /host bits are set; did you mean 10\.0\.0\.0\/8/);
    assert.match(message('fd00::1/8'), /did you mean fd00::\/8/);
    assert.match(message('10.0.0.0/33'), /0–32/);
    assert.match(message('::/129'), /0–128/);
    assert.match(message('10.0.0.0/x'), /not a number/);
    assert.match(message('10.0.0.0/08'), /not a number/);
    assert.match(message('peer.example/24'), /not an IPv4 or IPv6 address/);
    assert.match(message('127.1/8'), /not an IPv4 or IPv6 address/);
  });

  test('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        parseCidr(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('networkContains', () => {
  test('IPv4 prefixes, byte-aligned or not', () => {
    assert.ok(networkContains(net('10.0.0.0/8'), ip('10.200.1.1')));
    assert.ok(!networkContains(net('10.0.0.0/8'), ip('11.0.0.1')));
    assert.ok(networkContains(net('172.16.0.0/12'), ip('172.31.255.255')));
    assert.ok(!networkContains(net('172.16.0.0/12'), ip('172.32.0.0')));
    assert.ok(networkContains(net('0.0.0.0/0'), ip('8.8.8.8')));
    assert.ok(networkContains(net('192.0.2.7/32'), ip('192.0.2.7')));
    assert.ok(!networkContains(net('192.0.2.7/32'), ip('192.0.2.6')));
  });

  test('IPv6 prefixes', () => {
    assert.ok(networkContains(net('fc00::/7'), ip('fdff::1')));
    assert.ok(!networkContains(net('fc00::/7'), ip('fe00::1')));
    assert.ok(networkContains(net('2001:db8:1230::/44'), ip('2001:db8:123f:ffff::1')));
    assert.ok(!networkContains(net('2001:db8:1230::/44'), ip('2001:db8:1240::1')));
  });

  test('IPv4 networks match IPv4-mapped IPv6 addresses and the other way round', () => {
    assert.ok(networkContains(net('10.0.0.0/8'), ip('::ffff:10.1.2.3')));
    assert.ok(networkContains(net('::ffff:10.0.0.0/104'), ip('10.1.2.3')));
    assert.ok(!networkContains(net('10.0.0.0/8'), ip('::10.1.2.3')));
    assert.ok(networkContains(net('::/0'), ip('10.1.2.3')));
    assert.ok(!networkContains(net('fd00::/8'), ip('10.1.2.3')));
  });

  test('a network contains exactly the addresses sharing its prefix', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 32 }),
        (a, b, prefix) => {
          const bytes = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
          const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
          const network = {
            address: { family: 4 as const, bytes: bytes((a & mask) >>> 0) },
            prefixLength: prefix,
          };
          const expected = (a & mask) >>> 0 === (b & mask) >>> 0;
          assert.equal(networkContains(network, { family: 4, bytes: bytes(b) }), expected);
        },
      ),
    );
  });
});

test('parseCidrList reports every bad entry by index and keeps the good ones', () => {
  const result = parseCidrList(
    ['10.0.0.0/8', 'nope', 'fd00::/8', '1.2.3.4/40'],
    'policy.allowNetworks',
  );
  assert.equal(result.networks.length, 2);
  assert.deepEqual(
    result.issues.map((i) => i.field),
    ['policy.allowNetworks.1', 'policy.allowNetworks.3'],
  );
  assert.ok(anyNetworkContains(result.networks, ip('fd12::1')));
  assert.ok(!anyNetworkContains(result.networks, ip('192.168.0.1')));
});
