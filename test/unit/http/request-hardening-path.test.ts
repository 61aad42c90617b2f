import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normaliseRequestTarget } from '../../../gateway/http/middleware/request-hardening-path.ts';

function reason(target: string): string {
  const result = normaliseRequestTarget(target);
  return result.ok ? `ok:${result.target}` : result.reason;
}

test('dot segments in every spelling are refused', () => {
  for (const target of [
    '/..',
    '/a/..',
    '/a/../b',
    '/a/./b',
    '/a/%2e%2e/b',
    '/a/%2E./b',
    '/a/.%2E',
    '/a/..;jsessionid=x/b',
    '/a/%252e%252e/b',
    '/a/%25252e%25252e/b',
    '/a/%252e%252e%252fb',
  ]) {
    assert.equal(reason(target), 'dot-segment', target);
  }
});

test('encoded slashes, backslashes, NUL, bad escapes and non-UTF-8 are refused', () => {
  assert.equal(reason('/a%2fb'), 'encoded-slash');
  assert.equal(reason('/a%2F..'), 'encoded-slash');
  assert.equal(reason('/a\\b'), 'backslash');
  assert.equal(reason('/a%5cb'), 'backslash');
  assert.equal(reason('/a%255cb'), 'backslash');
  assert.equal(reason('/a%00'), 'nul');
  assert.equal(reason('/a%zz'), 'bad-escape');
  assert.equal(reason('/a%4'), 'bad-escape');
  assert.equal(reason('/%c0%ae%c0%ae/'), 'not-utf8');
  assert.equal(reason('/%e0%80%ae'), 'not-utf8');
  assert.equal(reason('/%ed%a0%80'), 'not-utf8');
  assert.equal(reason('/%ff'), 'not-utf8');
  assert.equal(reason('/a b'), 'bad-character');
  assert.equal(reason('/é'), 'bad-character');
});

test('names that merely contain dots, and deeper bad escapes, are data', () => {
  assert.equal(reason('/a/.../b'), 'ok:/a/.../b');
  assert.equal(reason('/a/.hidden/..b/b..'), 'ok:/a/.hidden/..b/b..');
  assert.equal(reason('/100%25'), 'ok:/100%25');
  assert.equal(reason('/100%25zz'), 'ok:/100%25zz');
  assert.equal(reason('/%C3%A9t%C3%A9'), 'ok:/%C3%A9t%C3%A9');
  assert.equal(reason('/a[1]|^'), 'ok:/a[1]|^');
});

test('unreserved escapes are decoded, others upper-cased, slashes collapsed, query kept', () => {
  assert.equal(reason('/oc%6d/shares'), 'ok:/ocm/shares');
  assert.equal(reason('/%7Euser/a%2db'), 'ok:/~user/a-b');
  assert.equal(reason('/a%20b/%c3%a9'), 'ok:/a%20b/%C3%A9');
  assert.equal(reason('//a///b/'), 'ok:/a/b/');
  assert.equal(reason('/a?x=/../%2e%2e//y'), 'ok:/a?x=/../%2e%2e//y');
});

const pathChars = fc.constantFrom(
  ...'/abz09.-_~%2e%2E%2f%5c%00%41%c3%a9%25;'.split(''),
  '%2e',
  '%2F',
  '%25',
  '%c3%a9',
  '..',
  '//',
);

test('property: an accepted target is stable and has no dot segment or empty segment', () => {
  fc.assert(
    fc.property(fc.array(pathChars, { maxLength: 24 }), (parts) => {
      const result = normaliseRequestTarget(`/${parts.join('')}`);
      if (!result.ok) return;
      const again = normaliseRequestTarget(result.target);
      assert.deepEqual(again, result);
      assert.ok(!result.target.includes('//'));
      const decoded = decodeURIComponent(result.target);
      for (const segment of decoded.split('/')) assert.ok(segment !== '.' && segment !== '..');
    }),
    { numRuns: 2_000 },
  );
});
