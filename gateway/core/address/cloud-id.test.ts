import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCloudId, parseCloudId, sameCloudId } from './cloud-id.ts';

function ok(input: string, lenient = false) {
  const result = parseCloudId(input, 'shareWith', { lenient });
  assert.ok(result.ok, `${input}: ${JSON.stringify(result)}`);
  return result.value;
}

function issue(input: unknown, lenient = false) {
  const result = parseCloudId(input, 'shareWith', { lenient });
  assert.ok(!result.ok, `${String(input)} should be refused`);
  assert.equal(result.issues[0]?.field, 'shareWith');
  return result.issues[0].message;
}

describe('parseCloudId (last @ before the first / or :)', () => {
  test('plain id: https assumed, printed without scheme', () => {
    const id = ok('alice@oc1.example.com');
    assert.deepEqual(id, {
      user: 'alice',
      server: {
        scheme: 'https',
        schemeExplicit: false,
        host: 'oc1.example.com',
        port: undefined,
        path: '',
      },
    });
    assert.equal(formatCloudId(id), 'alice@oc1.example.com');
  });

  test('e-mail user ids keep their inner @', () => {
    const id = ok('john@example.org@cloud.example.com');
    assert.equal(id.user, 'john@example.org');
    assert.equal(id.server.host, 'cloud.example.com');
  });

  test('Nextcloud 14+ shareWith with the scheme inside: bob@https://nc.example.org/nextcloud', () => {
    const id = ok('bob@https://nc.example.org/nextcloud');
    assert.equal(id.user, 'bob');
    assert.equal(id.server.schemeExplicit, true);
    assert.equal(id.server.path, '/nextcloud');
    assert.equal(formatCloudId(id), 'bob@nc.example.org/nextcloud');
  });

  test('http:// is kept when printing, https:// is dropped', () => {
    assert.equal(
      formatCloudId(ok('bob@http://lab.example:8080/oc/')),
      'bob@http://lab.example:8080/oc',
    );
    assert.equal(formatCloudId(ok('bob@HTTPS://Lab.Example')), 'bob@lab.example');
  });

  test('ports, sub-paths, trailing slashes, /index.php and backslashes', () => {
    const id = ok('bob@Host.Example:8443\\nextcloud\\index.php/s/abc');
    assert.deepEqual(id.server, {
      scheme: 'https',
      schemeExplicit: false,
      host: 'host.example',
      port: 8443,
      path: '/nextcloud',
    });
    assert.equal(formatCloudId(ok('bob@host/nextcloud///')), 'bob@host/nextcloud');
  });

  test('IPv6 literals, with and without port', () => {
    assert.deepEqual(ok('bob@[::1]:8080').server, {
      scheme: 'https',
      schemeExplicit: false,
      host: '[::1]',
      port: 8080,
      path: '',
    });
    assert.equal(formatCloudId(ok('bob@http://[FE80::1]/oc')), 'bob@http://[fe80::1]/oc');
  });

  test('case: user part kept exactly, host lower-cased, path kept', () => {
    const id = ok('Alice.Smith@Cloud.Example.COM/OwnCloud');
    assert.equal(id.user, 'Alice.Smith');
    assert.equal(id.server.host, 'cloud.example.com');
    assert.equal(id.server.path, '/OwnCloud');
    assert.equal(sameCloudId(id, ok('alice.smith@cloud.example.com/OwnCloud')), false);
    assert.equal(sameCloudId(id, ok('Alice.Smith@https://CLOUD.example.com:443/OwnCloud/')), true);
  });

  test('ambiguity documented upstream: username@apache@localhost', () => {
    assert.equal(ok('username@apache@localhost').user, 'username@apache');
  });

  test('refusals name the field and the reason', () => {
    assert.match(issue('alice'), /no "@"/);
    assert.match(issue('@host'), /user part/);
    assert.match(issue('alice@'), /host is empty/);
    assert.match(issue('a:b@host'), /no "@" before/);
    assert.match(issue('alice@ftp://host'), /scheme "ftp"/);
    assert.match(issue('alice@host:99999'), /port/);
    assert.match(issue('alice@host:abc'), /port/);
    assert.match(issue('alice@::1'), /brackets/);
    assert.match(issue('alice@[zz::1]'), /IPv6/);
    assert.match(issue('alice@ho st'), /whitespace/);
    assert.match(issue('alice@host\n'), /whitespace/);
    assert.match(issue(' alice@host'), /whitespace/);
    assert.match(issue('alice@host?x=1'), /"\?"/);
    assert.match(issue(''), /empty/);
    assert.match(issue(42), /string/);
  });

  test('lenient mode trims and drops a query or fragment', () => {
    assert.equal(formatCloudId(ok('  alice@host/oc?x=1#y ', true)), 'alice@host/oc');
  });

  test('property: no string makes it throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (s, lenient) => {
        parseCloudId(s, 'f', { lenient });
      }),
      { numRuns: 2000 },
    );
  });

  test('property: format → parse → format is stable and keeps the user exactly', () => {
    const user = fc
      .string({ minLength: 1 })
      .filter((s) => !/[\p{Cc}/:\\]/u.test(s) && s.trim() === s);
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join('.')),
      fc.ipV6().map((ip) => `[${ip}]`),
    );
    const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
    const path = fc
      .stringMatching(/^(\/[A-Za-z0-9_-]{1,8}){0,2}$/)
      .filter((p) => !p.includes('/index.php'));
    const scheme = fc.constantFrom('', 'https://', 'http://');
    fc.assert(
      fc.property(user, host, port, path, scheme, (u, h, p, pa, sc) => {
        const text = `${u}@${sc}${h}${p === undefined ? '' : `:${p}`}${pa}`;
        const first = ok(text);
        assert.equal(first.user, u);
        const printed = formatCloudId(first);
        const second = ok(printed);
        assert.equal(formatCloudId(second), printed);
        assert.ok(sameCloudId(first, second));
      }),
      { numRuns: 1000 },
    );
  });
});
