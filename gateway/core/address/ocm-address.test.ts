import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseOcmAddress } from './ocm-address.ts';
import { formatCloudId } from './cloud-id.ts';

describe('parseOcmAddress (I-D-05: identifier@host[:port], last @, no path)', () => {
  test('identifier may contain @ and ":"; host lower-cased; port kept', () => {
    const r = parseOcmAddress('Urn:Me@Example.org@Cloud.Example:8443');
    assert.ok(r.ok);
    assert.equal(r.value.user, 'Urn:Me@Example.org');
    assert.equal(r.value.server.host, 'cloud.example');
    assert.equal(r.value.server.port, 8443);
    assert.equal(formatCloudId(r.value), 'Urn:Me@Example.org@cloud.example:8443');
  });

  test('IPv6 literal host', () => {
    const r = parseOcmAddress('bob@[2001:db8::1]');
    assert.ok(r.ok);
    assert.equal(r.value.server.host, '[2001:db8::1]');
  });

  test('scheme, path, query are refused with the field named', () => {
    for (const bad of [
      'bob@https://host',
      'bob@host/nextcloud',
      'bob@host?x',
      'bob',
      '@host',
      '',
    ]) {
      const r = parseOcmAddress(bad, 'shareWith');
      assert.ok(!r.ok, bad);
      assert.equal(r.issues[0]?.field, 'shareWith');
    }
  });

  test('property: no string makes it throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => void parseOcmAddress(s)),
      {
        numRuns: 2000,
      },
    );
  });
});
