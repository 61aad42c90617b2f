import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalHost, hostListMatches, parseHostList } from './host-list.ts';

test('canonicalHost spells hosts the way a URL does', () => {
  assert.equal(canonicalHost('Peer.Example.ORG'), 'peer.example.org');
  assert.equal(canonicalHost('peer.example.org.'), 'peer.example.org');
  assert.equal(canonicalHost('bücher.example'), 'xn--bcher-kva.example');
  assert.equal(canonicalHost('[0:0::1]'), '[::1]');
  assert.equal(canonicalHost('0177.0.0.1'), '127.0.0.1');
  for (const bad of ['', 'a b', 'x/y', 'user@host', 'host:80', '[::1']) {
    assert.equal(canonicalHost(bad), undefined, bad);
  }
});

test('parseHostList keeps optional ports and names bad entries', () => {
  const { patterns, issues } = parseHostList(
    ['peer.example.org', 'Lab.Example:8443', '[::1]:9200', 'bad host', 'a:b:c'],
    'peers.allowHttp',
  );
  assert.deepEqual(patterns, [
    { host: 'peer.example.org', port: undefined },
    { host: 'lab.example', port: 8443 },
    { host: '[::1]', port: 9200 },
  ]);
  assert.deepEqual(
    issues.map((i) => i.field),
    ['peers.allowHttp.3', 'peers.allowHttp.4'],
  );
});

test('hostListMatches: exact host, any port unless one is given', () => {
  const { patterns } = parseHostList(['peer.example.org', 'lab.example:8443'], 'x');
  assert.ok(hostListMatches(patterns, 'peer.example.org', 443));
  assert.ok(hostListMatches(patterns, 'peer.example.org.', 8080));
  assert.ok(hostListMatches(patterns, 'lab.example', 8443));
  assert.ok(!hostListMatches(patterns, 'lab.example', 443));
  assert.ok(!hostListMatches(patterns, 'evil.peer.example.org', 443));
  assert.ok(!hostListMatches(patterns, 'example.org', 443));
});

test('host list parsing never throws', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), (entries) => {
      parseHostList(entries, 'f');
    }),
    { numRuns: 1000 },
  );
});
