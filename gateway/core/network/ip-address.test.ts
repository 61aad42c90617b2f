import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import fc from 'fast-check';
import {
  formatIpAddress,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
  unmapIpv4,
  type IpAddress,
} from './ip-address.ts';

const v6 = (bytes: number[]): IpAddress => ({ family: 6, bytes });

describe('parseIpv4', () => {
  test('reads strict dotted quads', () => {
    assert.deepEqual(parseIpv4('192.168.1.20')?.bytes, [192, 168, 1, 20]);
    assert.deepEqual(parseIpv4('0.0.0.0')?.bytes, [0, 0, 0, 0]);
    assert.deepEqual(parseIpv4('255.255.255.255')?.bytes, [255, 255, 255, 255]);
  });

  test('refuses anything a resolver might read differently', () => {
    for (const text of [
      '010.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.-1',
      ' 1.2.3.4',
      '',
    ]) {
      assert.equal(parseIpv4(text), undefined, text);
    }
  });
});

describe('parseIpv6', () => {
  test('reads full, compressed, bracketed, zoned and dotted-tail forms', () => {
    assert.deepEqual(parseIpv6('::1')?.bytes, [...new Array<number>(15).fill(0), 1]);
    assert.deepEqual(parseIpv6('[::1]')?.bytes, parseIpv6('0:0:0:0:0:0:0:1')?.bytes);
    assert.deepEqual(parseIpv6('fe80::1%eth0')?.bytes, parseIpv6('fe80::1')?.bytes);
    assert.deepEqual(parseIpv6('::ffff:10.0.0.1')?.bytes, parseIpv6('::ffff:a00:1')?.bytes);
    assert.deepEqual(parseIpv6('1:2:3:4:5:6:7::')?.bytes.slice(12), [0, 7, 0, 0]);
    assert.deepEqual(parseIpv6('FD00:EC2::254')?.bytes, parseIpv6('fd00:ec2::254')?.bytes);
  });

  test('refuses malformed text', () => {
    const bad = [
      '1:::2',
      '1::2::3',
      ':1::2',
      '1::2:',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8::',
      '12345::',
      '::1.2.3',
      '1.2.3.4::',
      '::1.2.3.4:5',
      '[::1',
      'fe80::1%',
      'g::1',
      '1.2.3.4',
    ];
    for (const text of bad) assert.equal(parseIpv6(text), undefined, text);
  });

  test('agrees with node:net on what is an IPv6 address', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        assert.equal(parseIpv6(text) !== undefined, isIP(text) === 6, text);
      }),
    );
  });
});

describe('parseIpAddress', () => {
  test('legacy IPv4 spellings only when asked for', () => {
    assert.equal(parseIpAddress('127.1'), undefined);
    assert.deepEqual(parseIpAddress('127.1', { legacyIpv4: true })?.bytes, [127, 0, 0, 1]);
    assert.deepEqual(parseIpAddress('0177.0.0.1', { legacyIpv4: true })?.bytes, [127, 0, 0, 1]);
    assert.equal(parseIpAddress('peer.example', { legacyIpv4: true }), undefined);
  });
});

describe('formatIpAddress', () => {
  test('prints RFC 5952 text', () => {
    assert.equal(formatIpAddress(parseIpv6('2001:0db8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1');
    assert.equal(formatIpAddress(parseIpv6('2001:db8:0:1:1:1:1:1')!), '2001:db8:0:1:1:1:1:1');
    assert.equal(formatIpAddress(parseIpv6('::')!), '::');
    assert.equal(formatIpAddress(parseIpv6('::ffff:a00:1')!), '::ffff:10.0.0.1');
    assert.equal(formatIpAddress(parseIpv4('10.0.0.1')!), '10.0.0.1');
  });

  test('round-trips every IPv6 address and matches the URL serialiser', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
        (bytes) => {
          const text = formatIpAddress(v6(bytes));
          assert.deepEqual(parseIpv6(text)?.bytes, bytes);
          const mapped = bytes.slice(0, 12).join() === '0,0,0,0,0,0,0,0,0,0,255,255';
          if (!mapped) assert.equal(new URL(`http://[${text}]/`).hostname, `[${text}]`);
        },
      ),
    );
  });
});

test('unmapIpv4 turns ::ffff:a.b.c.d into a.b.c.d and leaves others alone', () => {
  assert.deepEqual(unmapIpv4(parseIpv6('::ffff:127.0.0.1')!), { family: 4, bytes: [127, 0, 0, 1] });
  assert.equal(unmapIpv4(parseIpv6('::1')!).family, 6);
});
