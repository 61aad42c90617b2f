import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseOwncloudAddress } from './owncloud-address.ts';
import { parseCloudId } from './cloud-id.ts';

describe('parseOwncloudAddress (ownCloud 10 Address: last @ of the whole string)', () => {
  test('splits at the last @ and lower-cases the whole origin, path included', () => {
    const r = parseOwncloudAddress('Alice@HTTPS://OC1.Example.com/OwnCloud/index.php/apps?x#y');
    assert.ok(r.ok);
    assert.equal(r.value.user, 'Alice');
    assert.equal(r.value.origin, 'https://oc1.example.com/owncloud');
    assert.equal(r.value.server.path, '/owncloud');
    assert.equal(r.value.server.host, 'oc1.example.com');
  });

  test('differs from the Nextcloud rule when the user part has ":" or "/"', () => {
    const oc = parseOwncloudAddress('a:b@host.example');
    assert.ok(oc.ok);
    assert.equal(oc.value.user, 'a:b');
    assert.equal(parseCloudId('a:b@host.example').ok, false);
  });

  test('refusals name the field', () => {
    for (const bad of ['', 'nohost', '@host', 'alice@', 'alice@ftp://x', 7]) {
      const r = parseOwncloudAddress(bad, 'ownerFederatedId');
      assert.ok(!r.ok, String(bad));
      assert.equal(r.issues[0]?.field, 'ownerFederatedId');
    }
  });

  test('property: no string makes it throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => void parseOwncloudAddress(s)),
      {
        numRuns: 2000,
      },
    );
  });
});
