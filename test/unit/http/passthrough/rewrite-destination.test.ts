import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  rewriteDestination,
  rewriteIfHeader,
} from '../../../../gateway/http/passthrough/rewrite-destination.ts';
import { createUrlMapping } from '../../../../gateway/http/passthrough/url-mapping.ts';

const mapping = createUrlMapping(
  new URL('https://cloud.example.org/cloud'),
  new URL('http://10.0.0.5:8080/nextcloud'),
);

describe('rewriteDestination (RFC 4918 §10.3)', () => {
  test('maps a public absolute URL to the backend URL and path', () => {
    assert.equal(
      rewriteDestination('https://cloud.example.org/cloud/remote.php/dav/files/u/b.txt', mapping),
      'http://10.0.0.5:8080/nextcloud/remote.php/dav/files/u/b.txt',
    );
  });

  test('maps a path-absolute Destination to the backend path', () => {
    assert.equal(rewriteDestination('/cloud/remote.php/x', mapping), '/nextcloud/remote.php/x');
  });

  test('leaves other hosts and paths outside the public prefix exactly as sent', () => {
    for (const value of [
      'https://peer.example.net/cloud/remote.php/x',
      'https://cloud.example.org/other/x',
      ' garbage ',
    ]) {
      assert.equal(rewriteDestination(value, mapping), value);
    }
  });
});

describe('rewriteIfHeader (RFC 4918 §10.4)', () => {
  const token = '<opaquelocktoken:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>';

  test('rewrites every resource tag and nothing inside the lists', () => {
    const value =
      `<https://cloud.example.org/cloud/a.txt> (${token} ["W/\\"x\\""]) ` +
      `<https://cloud.example.org/cloud/b.txt> (Not <DAV:no-lock>)`;
    assert.equal(
      rewriteIfHeader(value, mapping),
      `<http://10.0.0.5:8080/nextcloud/a.txt> (${token} ["W/\\"x\\""]) ` +
        `<http://10.0.0.5:8080/nextcloud/b.txt> (Not <DAV:no-lock>)`,
    );
  });

  test('untagged lists pass unchanged, even when they hold URLs', () => {
    const value = `(<https://cloud.example.org/cloud/a.txt>) (${token})`;
    assert.equal(rewriteIfHeader(value, mapping), value);
  });

  test('a "]" or "<" inside a quoted entity tag does not confuse the scanner', () => {
    const value = `<https://cloud.example.org/cloud/a> (["a]<b"])`;
    assert.equal(rewriteIfHeader(value, mapping), `<http://10.0.0.5:8080/nextcloud/a> (["a]<b"])`);
  });

  test('a resource tag on another host is kept', () => {
    const value = `<https://peer.example.net/cloud/a> (${token})`;
    assert.equal(rewriteIfHeader(value, mapping), value);
  });

  test('malformed headers are returned untouched for the backend to judge', () => {
    for (const value of [
      '<https://cloud.example.org/cloud/a',
      '<https://cloud.example.org/cloud/a> (["open)',
      '<https://cloud.example.org/cloud/a> ((nested))',
      '<https://cloud.example.org/cloud/a> (unclosed',
      ')(',
    ]) {
      assert.equal(rewriteIfHeader(value, mapping), value, value);
    }
  });
});
