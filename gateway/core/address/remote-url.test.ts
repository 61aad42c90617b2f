import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeRemoteUrl } from './remote-url.ts';

function url(input: string): string {
  const r = normalizeRemoteUrl(input);
  assert.ok(r.ok, `${input}: ${JSON.stringify(r)}`);
  return r.value.url;
}

describe('normalizeRemoteUrl (legacy `remote` form field)', () => {
  test('scheme + host + port + sub-path + trailing slash', () => {
    assert.equal(url('https://oc1.example.com/'), 'https://oc1.example.com/');
    assert.equal(url('https://oc1.example.com'), 'https://oc1.example.com/');
    assert.equal(url('HTTP://Lab.Example:8080/OwnCloud//'), 'http://lab.example:8080/OwnCloud/');
    assert.equal(url('nc.example.org/nextcloud'), 'https://nc.example.org/nextcloud/');
    assert.equal(url('https://h/oc/index.php/apps/files?dir=/#x'), 'https://h/oc/');
    assert.equal(url('http://[::1]:9300/peers/x/'), 'http://[::1]:9300/peers/x/');
  });

  test('refusals name the field', () => {
    for (const bad of ['', 'ftp://h/', 'https://u:p@h/', 'https://', 'https://h:0/', 12]) {
      const r = normalizeRemoteUrl(bad);
      assert.ok(!r.ok, String(bad));
      assert.equal(r.issues[0]?.field, 'remote');
    }
  });

  test('property: idempotent on what it accepts, never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string({ unit: 'binary' })), (s) => {
        const first = normalizeRemoteUrl(s);
        if (first.ok) assert.equal(url(first.value.url), first.value.url);
      }),
      { numRuns: 2000 },
    );
  });
});
