import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decideRedirect,
  headersForRedirect,
  isRedirectStatus,
  isSameSite,
} from './redirect-policy.ts';

const original = new URL('https://cloud.example.org/ocm-provider');

function follow(location: string, status = 302, method = 'GET', current = original) {
  return decideRedirect({ original, current, status, location, method });
}

describe('isSameSite', () => {
  test('same host, subdomains of it, and www ⇄ apex', () => {
    assert.ok(isSameSite('cloud.example.org', 'cloud.example.org'));
    assert.ok(isSameSite('cloud.example.org', 'CLOUD.example.org.'));
    assert.ok(isSameSite('cloud.example.org', 'dav.cloud.example.org'));
    assert.ok(isSameSite('www.example.org', 'example.org'));
    assert.ok(isSameSite('www.example.org', 'files.example.org'));
    assert.ok(isSameSite('example.org', 'www.example.org'));
  });

  test('siblings, parents, look-alikes and other IPs are other sites', () => {
    assert.ok(!isSameSite('cloud.example.org', 'example.org'));
    assert.ok(!isSameSite('cloud.example.org', 'other.example.org'));
    assert.ok(!isSameSite('cloud.example.org', 'evilcloud.example.org'));
    assert.ok(!isSameSite('cloud.example.org', 'cloud.example.org.evil.net'));
    assert.ok(!isSameSite('peer.example', 'evil.example'));
    assert.ok(!isSameSite('www.example', 'evil.example'));
    assert.ok(!isSameSite('192.0.2.1', '192.0.2.2'));
    assert.ok(!isSameSite('[2001:db8::1]', '[2001:db8::2]'));
    assert.ok(isSameSite('[2001:db8::1]', '[2001:db8::1]'));
  });
});

describe('decideRedirect', () => {
  test('follows relative and same-site absolute locations', () => {
    const a = follow('/ocm-provider/');
    assert.ok(a.follow);
    assert.equal(a.url.href, 'https://cloud.example.org/ocm-provider/');
    const b = follow('https://dav.cloud.example.org/x#frag');
    assert.ok(b.follow);
    assert.equal(b.url.href, 'https://dav.cloud.example.org/x');
  });

  test('refuses cross-site, downgrades, other schemes, credentials and missing locations', () => {
    const reasons = [
      follow('https://evil.example/'),
      follow('http://cloud.example.org/'),
      follow('file:///etc/passwd'),
      follow('https://user:pw@cloud.example.org/'),
      follow(''),
      decideRedirect({
        original,
        current: original,
        status: 302,
        location: undefined,
        method: 'GET',
      }),
      follow('https://[::1'),
    ].map((d) => {
      assert.ok(!d.follow);
      return d.reason;
    });
    assert.match(reasons[0] ?? '', /leaves the peer's site \(to evil\.example\)/);
    assert.match(reasons[1] ?? '', /downgrades https to http/);
    assert.match(reasons[2] ?? '', /file:/);
    assert.match(reasons[3] ?? '', /credentials/);
    assert.match(reasons[4] ?? '', /no Location/);
    assert.match(reasons[6] ?? '', /not a URL/);
  });

  test('an http peer may be sent to https on its own site', () => {
    const http = new URL('http://lab.example/x');
    const d = decideRedirect({
      original: http,
      current: http,
      status: 301,
      location: 'https://lab.example/x',
      method: 'GET',
    });
    assert.ok(d.follow);
  });

  test('method rules follow the Fetch Standard', () => {
    const cases: [number, string, string, boolean][] = [
      [301, 'POST', 'GET', false],
      [302, 'POST', 'GET', false],
      [303, 'POST', 'GET', false],
      [303, 'PUT', 'GET', false],
      [303, 'HEAD', 'HEAD', true],
      [302, 'PUT', 'PUT', true],
      [307, 'POST', 'POST', true],
      [308, 'POST', 'POST', true],
    ];
    for (const [status, method, next, keepBody] of cases) {
      const d = follow('/next', status, method);
      assert.ok(d.follow);
      assert.equal(d.method, next, `${status} ${method}`);
      assert.equal(d.keepBody, keepBody, `${status} ${method}`);
    }
  });

  test('never throws', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.string(),
        (location, status, method) => {
          decideRedirect({ original, current: original, status, location, method });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

test('isRedirectStatus covers the followed codes only', () => {
  assert.deepEqual(
    [300, 301, 302, 303, 304, 305, 306, 307, 308].filter(isRedirectStatus),
    [301, 302, 303, 307, 308],
  );
});

describe('headersForRedirect', () => {
  const headers = {
    Authorization: 'Bearer s3cret',
    Signature: 'sig1=:abc:',
    'Signature-Input': 'sig1=()',
    Cookie: 'a=b',
    'Content-Type': 'application/json',
    'Content-Digest': 'sha-256=:x:',
    Accept: 'application/json',
  };

  test('origin-bound headers survive only on the original origin', () => {
    const same = headersForRedirect(headers, {
      original,
      next: new URL('https://cloud.example.org/b'),
      keepBody: true,
    });
    assert.equal(same.Authorization, 'Bearer s3cret');
    for (const next of ['https://dav.cloud.example.org/b', 'https://cloud.example.org:8443/b']) {
      const other = headersForRedirect(headers, { original, next: new URL(next), keepBody: true });
      assert.deepEqual(
        Object.keys(other).sort(),
        ['Accept', 'Content-Digest', 'Content-Type'],
        next,
      );
    }
  });

  test('a dropped body drops its headers', () => {
    const out = headersForRedirect(headers, {
      original,
      next: new URL('https://cloud.example.org/b'),
      keepBody: false,
    });
    assert.equal(out['Content-Type'], undefined);
    assert.equal(out['Content-Digest'], undefined);
    assert.equal(out.Accept, 'application/json');
  });
});
