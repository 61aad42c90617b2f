import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  createUrlMapping,
  mapPathPrefix,
  mapUrlReference,
} from '../../../../gateway/http/passthrough/url-mapping.ts';

describe('createUrlMapping', () => {
  test('keeps the origin and drops trailing slashes of the path prefix', () => {
    assert.deepEqual(
      createUrlMapping(
        new URL('https://Cloud.Example.org:443/'),
        new URL('http://10.0.0.5:8080/nc/'),
      ),
      {
        public: { origin: 'https://cloud.example.org', prefix: '' },
        backend: { origin: 'http://10.0.0.5:8080', prefix: '/nc' },
      },
    );
  });
});

describe('mapPathPrefix', () => {
  test('replaces a whole-segment prefix and keeps query and fragment', () => {
    assert.equal(mapPathPrefix('/cloud/a/b?x=1#f', '/cloud', '/nc'), '/nc/a/b?x=1#f');
    assert.equal(mapPathPrefix('/cloud?x', '/cloud', '/nc'), '/nc?x');
    assert.equal(mapPathPrefix('/cloud', '/cloud', ''), '/');
    assert.equal(mapPathPrefix('/a', '', '/nc'), '/nc/a');
    assert.equal(mapPathPrefix('/', '', ''), '/');
  });

  test('refuses paths outside the prefix, partial segments and non path-absolute references', () => {
    assert.equal(mapPathPrefix('/cloudy/a', '/cloud', '/nc'), undefined);
    assert.equal(mapPathPrefix('/other', '/cloud', '/nc'), undefined);
    assert.equal(mapPathPrefix('relative/a', '', '/nc'), undefined);
    assert.equal(mapPathPrefix('//evil.example/a', '', '/nc'), undefined);
    assert.equal(mapPathPrefix('http://h/a', '', '/nc'), undefined);
  });

  test('never touches percent-encoding or dot segments', () => {
    assert.equal(mapPathPrefix('/c/%2e%2e/a%20b/../x', '/c', '/n'), '/n/%2e%2e/a%20b/../x');
  });
});

describe('mapUrlReference', () => {
  const mapping = createUrlMapping(
    new URL('https://cloud.example.org/cloud'),
    new URL('http://127.0.0.1:8080/nextcloud'),
  );

  test('maps an absolute URL of the source origin, comparing origins after normalisation', () => {
    assert.equal(
      mapUrlReference('HTTPS://CLOUD.example.org:443/cloud/x?y', mapping.public, mapping.backend),
      'http://127.0.0.1:8080/nextcloud/x?y',
    );
    assert.equal(
      mapUrlReference('http://127.0.0.1:8080/nextcloud', mapping.backend, mapping.public),
      'https://cloud.example.org/cloud',
    );
    assert.equal(
      mapUrlReference('http://127.0.0.1:8080/nextcloud?x', mapping.backend, mapping.public),
      'https://cloud.example.org/cloud?x',
    );
  });

  test('leaves other origins, schemes, ports and prefixes alone', () => {
    for (const reference of [
      'https://other.example.org/cloud/x',
      'http://cloud.example.org/cloud/x',
      'https://cloud.example.org:8443/cloud/x',
      'https://cloud.example.org/elsewhere',
      'mailto:someone@example.org',
      'not a url',
      'https://[broken/cloud',
    ]) {
      assert.equal(
        mapUrlReference(reference, mapping.public, mapping.backend),
        undefined,
        reference,
      );
    }
  });

  test('keeps a path-absolute reference path-absolute', () => {
    assert.equal(
      mapUrlReference('/cloud/remote.php', mapping.public, mapping.backend),
      '/nextcloud/remote.php',
    );
  });

  test('public → backend → public is the identity for every path under the public prefix', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.option(segment), (segments, query) => {
        const publicUrl = `https://cloud.example.org/cloud/${segments.join('/')}${query === null ? '' : `?${query}`}`;
        const backend = mapUrlReference(publicUrl, mapping.public, mapping.backend);
        assert.ok(backend !== undefined);
        assert.ok(backend.startsWith('http://127.0.0.1:8080/nextcloud/'));
        assert.equal(mapUrlReference(backend, mapping.backend, mapping.public), publicUrl);
      }),
    );
  });
});
