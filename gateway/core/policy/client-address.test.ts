import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCidrList } from '../network/cidr.ts';
import { resolveClientAddress } from './client-address.ts';

const trusted = parseCidrList(['10.0.0.0/8', 'fd00::/8'], 'proxy.trustedProxies').networks;

test('without trusted proxies X-Forwarded-For is ignored', () => {
  assert.equal(resolveClientAddress('203.0.113.5', '198.51.100.1', []), '203.0.113.5');
});

test('from an untrusted peer X-Forwarded-For is ignored', () => {
  assert.equal(resolveClientAddress('203.0.113.5', '198.51.100.1', trusted), '203.0.113.5');
});

test('from a trusted proxy the rightmost untrusted hop is the client', () => {
  assert.equal(resolveClientAddress('10.0.0.2', '198.51.100.1', trusted), '198.51.100.1');
  // The client prepended a fake address: it sits left of the real one and is not reached.
  assert.equal(
    resolveClientAddress('10.0.0.2', '1.2.3.4, 198.51.100.1, 10.0.0.9', trusted),
    '198.51.100.1',
  );
  assert.equal(
    resolveClientAddress('::ffff:10.0.0.2', ['1.2.3.4', '198.51.100.1'], trusted),
    '198.51.100.1',
  );
});

test('ports and brackets written by proxies are dropped; garbage stops the walk', () => {
  assert.equal(resolveClientAddress('10.0.0.2', '198.51.100.1:5555', trusted), '198.51.100.1');
  assert.equal(resolveClientAddress('fd00::1', '[2001:db8::7]:443', trusted), '2001:db8::7');
  assert.equal(resolveClientAddress('10.0.0.2', '198.51.100.1, unknown', trusted), '10.0.0.2');
  assert.equal(resolveClientAddress('10.0.0.2', '', trusted), '10.0.0.2');
});

test('all hops trusted: the leftmost one', () => {
  assert.equal(resolveClientAddress('10.0.0.2', '10.9.9.9, 10.0.0.3', trusted), '10.9.9.9');
});

test('the socket address is printed canonically; unknown stays unknown', () => {
  assert.equal(resolveClientAddress('::ffff:203.0.113.5', undefined, []), '203.0.113.5');
  assert.equal(resolveClientAddress(undefined, '198.51.100.1', trusted), undefined);
});

test('property: a client behind an untrusted socket never chooses its address', () => {
  fc.assert(
    fc.property(fc.ipV4(), fc.array(fc.ipV4(), { maxLength: 4 }), (socket, forged) => {
      fc.pre(!socket.startsWith('10.'));
      assert.equal(resolveClientAddress(socket, forged.join(', '), trusted), socket);
    }),
  );
});
