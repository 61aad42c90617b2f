import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  forwardedHeaders,
  forwardedNode,
  forwardedValue,
  unmapIpv4,
} from '../../../../gateway/http/passthrough/forwarded-headers.ts';

describe('forwardedNode (RFC 7239 §6)', () => {
  test('IPv4 as a token, IPv6 bracketed and quoted, unknown when absent', () => {
    assert.equal(forwardedNode('192.0.2.43'), '192.0.2.43');
    assert.equal(forwardedNode('2001:db8:cafe::17'), '"[2001:db8:cafe::17]"');
    assert.equal(forwardedNode(undefined), 'unknown');
    assert.equal(forwardedNode(''), 'unknown');
  });
});

describe('forwardedValue (RFC 7239 §4)', () => {
  test('quotes anything that is not a token and escapes quotes and backslashes', () => {
    assert.equal(forwardedValue('https'), 'https');
    assert.equal(forwardedValue('example.org:8443'), '"example.org:8443"');
    assert.equal(forwardedValue('a"b\\c'), '"a\\"b\\\\c"');
  });
});

describe('unmapIpv4', () => {
  test('turns IPv4-mapped IPv6 into plain IPv4 and leaves the rest', () => {
    assert.equal(unmapIpv4('::ffff:198.51.100.1'), '198.51.100.1');
    assert.equal(unmapIpv4('::FFFF:198.51.100.1'), '198.51.100.1');
    assert.equal(unmapIpv4('::1'), '::1');
    assert.equal(unmapIpv4(undefined), undefined);
  });
});

describe('forwardedHeaders', () => {
  const publicUrl = new URL('https://cloud.example.org/cloud');

  test('adds this hop and states the public identity', () => {
    assert.deepEqual(forwardedHeaders({}, { clientAddress: '::ffff:203.0.113.9', publicUrl }), {
      forwarded: 'for=203.0.113.9;host=cloud.example.org;proto=https',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'cloud.example.org',
      'x-forwarded-port': '443',
    });
  });

  test('appends to chains given as one or several lines', () => {
    const headers = forwardedHeaders(
      { forwarded: ['for=a', ' for=b, '], 'x-forwarded-for': ', 198.51.100.1,  ' },
      { clientAddress: '2001:db8::2', publicUrl: new URL('http://files.example.net:8080') },
    );
    assert.equal(
      headers.forwarded,
      'for=a, for=b, for="[2001:db8::2]";host="files.example.net:8080";proto=http',
    );
    assert.equal(headers['x-forwarded-for'], '198.51.100.1, 2001:db8::2');
    assert.equal(headers['x-forwarded-port'], '8080');
  });

  test('an unknown client address is reported as unknown', () => {
    const headers = forwardedHeaders({}, { clientAddress: undefined, publicUrl });
    assert.equal(headers['x-forwarded-for'], 'unknown');
    assert.match(headers.forwarded, /^for=unknown;/);
  });
});
