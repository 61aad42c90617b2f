import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyAddress, embeddedIpv4, isPublicAddress } from './address-class.ts';
import { parseCidr } from './cidr.ts';
import { formatIpAddress, parseIpv6 } from './ip-address.ts';
import {
  IPV4_RANGES,
  IPV6_EMBEDDING_RANGES,
  IPV6_RANGES,
  METADATA_ADDRESSES,
  type AddressClass,
} from './special-ranges.ts';

function expectAll(cases: readonly (readonly [string, AddressClass])[]): void {
  for (const [ip, expected] of cases) assert.equal(classifyAddress(ip), expected, ip);
}

describe('classifyAddress: IPv4', () => {
  test('special-purpose blocks', () => {
    expectAll([
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'reserved'],
      ['10.0.0.1', 'private'],
      ['10.255.255.255', 'private'],
      ['100.64.0.1', 'carrier-grade-nat'],
      ['100.127.255.254', 'carrier-grade-nat'],
      ['100.128.0.1', 'public'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['169.254.1.1', 'link-local'],
      ['172.15.255.255', 'public'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.0', 'public'],
      ['192.0.0.8', 'reserved'],
      ['192.0.2.10', 'documentation'],
      ['192.88.99.1', 'reserved'],
      ['192.168.0.1', 'private'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.9', 'documentation'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.255', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['255.255.255.254', 'reserved'],
      ['255.255.255.255', 'broadcast'],
      ['8.8.8.8', 'public'],
      ['93.184.216.34', 'public'],
    ]);
  });

  test('cloud metadata endpoints, even inside public or CGN blocks', () => {
    expectAll([
      ['169.254.169.254', 'metadata'],
      ['169.254.170.2', 'metadata'],
      ['100.100.100.200', 'metadata'],
      ['168.63.129.16', 'metadata'],
      ['168.63.129.17', 'public'],
    ]);
  });

  test('odd spellings are judged by the address they denote (as Node resolves them)', () => {
    expectAll([
      ['2130706433', 'loopback'],
      ['0177.0.0.1', 'loopback'],
      ['127.1', 'loopback'],
      ['0x7f.0.0.1', 'loopback'],
      ['0x7f000001', 'loopback'],
      ['012.0.0.1', 'private'],
      ['010.0.0.1', 'public'], // octal: 8.0.0.1, as inet_aton and the URL parser read it
      ['2852039166', 'metadata'], // 169.254.169.254
      ['0', 'unspecified'],
      ['127.0.0.1.', 'loopback'],
    ]);
  });

  test('the URL parser already normalises these spellings to the same address', () => {
    for (const text of ['0177.0.0.1', '2130706433', '127.1', '0x7f.1']) {
      assert.equal(new URL(`http://${text}/`).hostname, '127.0.0.1');
    }
  });
});

describe('classifyAddress: IPv6', () => {
  test('special-purpose blocks', () => {
    expectAll([
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456::1', 'unique-local'],
      ['fec0::1', 'private'],
      ['ff02::1', 'multicast'],
      ['100::1', 'reserved'],
      ['2001:db8::1', 'documentation'],
      ['3fff::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['2001:10::1', 'reserved'],
      ['5f00::1', 'reserved'],
      ['4000::1', 'reserved'],
      ['1::1', 'reserved'],
      ['2606:4700:4700::1111', 'public'],
      ['2a00:1450:4001:80b::200e', 'public'],
      ['64:ff9b:1::a00:1', 'private'],
    ]);
  });

  test('metadata endpoints over IPv6', () => {
    expectAll([
      ['fd00:ec2::254', 'metadata'],
      ['fd00:ec2:0::254', 'metadata'],
      ['fd20:ce::254', 'metadata'],
      ['fd00:ec2::255', 'unique-local'],
    ]);
  });

  test('IPv4 carried inside IPv6 is judged by the IPv4 host', () => {
    expectAll([
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:a00:1', 'private'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'metadata'],
      ['::ffff:8.8.8.8', 'public'],
      ['[::ffff:a00:1]', 'private'],
      ['::10.0.0.1', 'private'], // IPv4-compatible (deprecated)
      ['::127.0.0.1', 'loopback'],
      ['::8.8.8.8', 'reserved'], // not routable as IPv6 even when the IPv4 is public
      ['::ffff:0:10.0.0.1', 'private'], // SIIT "IPv4-translated"
      ['64:ff9b::10.0.0.1', 'private'], // NAT64
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'metadata'],
      ['64:ff9b::8.8.8.8', 'public'],
      ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
      ['2002:7f00:1::', 'loopback'],
      ['2002:808:808::1', 'public'],
      ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private'], // Teredo, client 10.0.0.1 inverted
      ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // client 127.0.0.1
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'documentation'], // RFC 4380 example: 192.0.2.45
      ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'public'], // client 8.8.8.8
    ]);
  });

  test('embeddedIpv4 names the carried host', () => {
    const carried = (ip: string): string | undefined => {
      const inner = embeddedIpv4(parseIpv6(ip)!);
      return inner === undefined ? undefined : formatIpAddress(inner);
    };
    assert.equal(carried('::ffff:a00:1'), '10.0.0.1');
    assert.equal(carried('64:ff9b::a00:1'), '10.0.0.1');
    assert.equal(carried('2002:c000:204::1'), '192.0.2.4');
    assert.equal(carried('2001:0:4136:e378:8000:63bf:3fff:fdd2'), '192.0.2.45');
    assert.equal(carried('2606:4700::1'), undefined);
  });
});

describe('classifyAddress: not an address', () => {
  test('host names and garbage are invalid, never public', () => {
    for (const text of [
      '',
      'peer.example',
      'localhost',
      '1.2.3.4.5',
      '::g',
      '[::1',
      '999.1.1.1',
      ' ',
    ]) {
      assert.equal(classifyAddress(text), 'invalid', JSON.stringify(text));
      assert.equal(isPublicAddress(text), false);
    }
  });

  test('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        classifyAddress(text);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6()), (text) => {
        assert.notEqual(classifyAddress(text), 'invalid', text);
      }),
    );
  });
});

test('the range tables are valid networks', () => {
  for (const r of [...IPV4_RANGES, ...IPV6_RANGES, ...IPV6_EMBEDDING_RANGES]) {
    assert.ok(parseCidr(r.cidr).ok, r.cidr);
  }
  for (const ip of METADATA_ADDRESSES) assert.equal(classifyAddress(ip), 'metadata', ip);
});
