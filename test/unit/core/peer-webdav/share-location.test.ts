import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveShareLocation } from '../../../../gateway/core/peer-webdav/share-location.ts';
import { shareTargetUrl } from '../../../../gateway/core/peer-webdav/share-target.ts';
import { samePeerHost } from '../../../../gateway/core/peer-webdav/same-peer-host.ts';

const base = {
  webdavRoot: 'https://cloud.example.org/nextcloud/public.php/webdav/',
  peerHost: 'cloud.example.org',
  peerUrls: ['https://cloud.example.org/nextcloud', 'https://cloud.example.org/nextcloud/ocm'],
};

function location(webdavUri: string | undefined) {
  return resolveShareLocation({ ...base, webdavUri });
}

describe('resolveShareLocation', () => {
  test('a legacy share (no uri) is the WebDAV root itself', () => {
    assert.deepEqual(location(undefined), {
      ok: true,
      value: { base: 'https://cloud.example.org/nextcloud/public.php/webdav', style: 'legacy' },
    });
  });

  test('a relative uri is a key below the root; a leading slash does not escape it', () => {
    for (const uri of ['7c08-key', '/7c08-key', '7c08-key/']) {
      const result = location(uri);
      assert.ok(result.ok);
      assert.equal(
        result.value.base,
        'https://cloud.example.org/nextcloud/public.php/webdav/7c08-key',
      );
      assert.equal(result.value.style, 'uri');
    }
  });

  test('a relative uri that already names the full path is taken from the origin', () => {
    const result = location('/nextcloud/public.php/webdav/abc');
    assert.ok(result.ok);
    assert.equal(result.value.base, 'https://cloud.example.org/nextcloud/public.php/webdav/abc');
  });

  test('a relative uri cannot climb out of the root', () => {
    const result = location('../../index.php');
    assert.equal(result.ok, false);
    assert.equal(location('a?b').ok, false);
  });

  test('an absolute uri on the peer, its advertised hosts or a sub-domain is taken as is', () => {
    for (const uri of [
      'https://cloud.example.org/webdav/abc/',
      'https://cloud.example.org:443/webdav/abc',
      'https://files.cloud.example.org/webdav/abc',
    ]) {
      const result = location(uri);
      assert.ok(result.ok, JSON.stringify(result));
      assert.match(result.value.base, /\/webdav\/abc$/);
    }
  });

  test('an absolute uri on another host, with credentials, a query or another scheme is refused', () => {
    for (const uri of [
      'https://evil.example.net/webdav/abc',
      'https://cloud.example.org.evil.net/x',
      'https://cloud.example.org:8443/webdav/abc',
      'https://user:pw@cloud.example.org/webdav',
      'https://cloud.example.org/webdav?x=1',
      'ftp://cloud.example.org/x',
    ]) {
      const result = location(uri);
      assert.equal(result.ok, false, uri);
      assert.equal(result.issues[0]?.field, 'protocol.webdavUri');
    }
  });

  test('an IP peer has no sub-domains', () => {
    const result = resolveShareLocation({
      webdavUri: 'http://1.127.0.0.1/x',
      webdavRoot: 'http://127.0.0.1:8080/webdav/',
      peerHost: '127.0.0.1:8080',
      peerUrls: [],
    });
    assert.equal(result.ok, false);
  });
});

describe('shareTargetUrl', () => {
  const root = 'https://p.example/webdav/key';
  test('sub-paths and queries are appended as sent', () => {
    assert.deepEqual(shareTargetUrl(root, '/dir/a%20b.txt', '?x=1'), {
      ok: true,
      value: 'https://p.example/webdav/key/dir/a%20b.txt?x=1',
    });
    assert.deepEqual(shareTargetUrl(root, ''), { ok: true, value: root });
    assert.deepEqual(shareTargetUrl(root, '/'), { ok: true, value: `${root}/` });
  });
  test('dot segments, encoded slashes and bad escapes are refused', () => {
    for (const path of ['/../x', '/a/%2e%2E/b', '/a%2Fb', '/%zz', 'x', '/a b']) {
      assert.equal(shareTargetUrl(root, path).ok, false, path);
    }
  });
});

test('samePeerHost ignores case and default ports, not other ports', () => {
  assert.ok(samePeerHost('Cloud.Example.org:443', 'cloud.example.org'));
  assert.ok(samePeerHost('[::1]:80', '[::1]'));
  assert.ok(!samePeerHost('cloud.example.org:8443', 'cloud.example.org'));
  assert.ok(!samePeerHost('a.example', 'b.example'));
  assert.ok(!samePeerHost('not a host', 'not a host'));
});
