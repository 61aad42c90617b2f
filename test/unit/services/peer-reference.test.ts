import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePeerReference, peerHostPort } from '../../../gateway/services/peer-reference.ts';

function key(input: string): string {
  const parsed = parsePeerReference(input);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.value.key;
}

describe('parsePeerReference', () => {
  test('an OCM address, a cloud ID with a scheme and sub-path, a URL and a host agree', () => {
    assert.equal(key('bob@Cloud.Example.org'), 'cloud.example.org');
    assert.equal(key('bob@https://cloud.example.org/nextcloud'), 'cloud.example.org/nextcloud');
    assert.equal(key('bob@cloud.example.org/nextcloud'), 'cloud.example.org/nextcloud');
    assert.equal(key('https://cloud.example.org/nextcloud/'), 'cloud.example.org/nextcloud');
    assert.equal(key('cloud.example.org'), 'cloud.example.org');
  });

  test('user names with @ split at the last @ before the host', () => {
    assert.equal(key('john@example.org@cloud.example.com'), 'cloud.example.com');
  });

  test('ports: the default port of the scheme is dropped, others kept', () => {
    assert.equal(key('https://peer.example:443'), 'peer.example');
    assert.equal(key('http://peer.example:80/oc'), 'peer.example/oc');
    assert.equal(key('bob@peer.example:8443'), 'peer.example:8443');
    assert.equal(key('bob@peer.example:80'), 'peer.example', 'scheme-less: 80 is a default too');
    assert.equal(key('https://peer.example:80'), 'peer.example:80');
    assert.equal(key('[::1]:8080'), '[::1]:8080');
  });

  test('/index.php and share-link queries are cut off', () => {
    assert.equal(key('https://peer.example/oc/index.php/s/abc?x=1'), 'peer.example/oc');
  });

  test('the scheme is kept only when the input named it', () => {
    const given = parsePeerReference('http://peer.example');
    const assumed = parsePeerReference('peer.example');
    assert.ok(given.ok && assumed.ok);
    assert.equal(given.value.scheme, 'http');
    assert.equal(assumed.value.scheme, undefined);
    assert.equal(peerHostPort(given.value), 'peer.example');
  });

  test('bad input is refused with the field named', () => {
    for (const bad of ['', '   ', 'ftp://peer.example', 'bob@', 'peer example', 'a@b c']) {
      const parsed = parsePeerReference(bad);
      assert.ok(!parsed.ok, bad);
      assert.equal(parsed.issues[0]?.field, 'peer');
    }
    assert.equal(parsePeerReference(42).ok, false);
    assert.equal(parsePeerReference(`${'a'.repeat(250)}.example/${'p'.repeat(10)}`).ok, false);
  });
});
