import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { proxyResponseHeaders } from '../../../../gateway/http/passthrough/proxy-response-headers.ts';
import { rewriteLocation } from '../../../../gateway/http/passthrough/rewrite-location.ts';
import { rewriteSetCookie } from '../../../../gateway/http/passthrough/rewrite-set-cookie.ts';
import { createUrlMapping } from '../../../../gateway/http/passthrough/url-mapping.ts';

const mapping = createUrlMapping(
  new URL('https://cloud.example.org/'),
  new URL('http://nc.internal:8080/nextcloud'),
);

describe('rewriteLocation', () => {
  test('backend URLs and backend paths become public ones', () => {
    assert.equal(
      rewriteLocation('http://nc.internal:8080/nextcloud/index.php/apps/files/?dir=/', mapping),
      'https://cloud.example.org/index.php/apps/files/?dir=/',
    );
    assert.equal(
      rewriteLocation('http://NC.internal:8080/nextcloud', mapping),
      'https://cloud.example.org/',
    );
    assert.equal(rewriteLocation('/nextcloud/login', mapping), '/login');
  });

  test('public URLs, other hosts and relative references stay', () => {
    for (const value of [
      'https://cloud.example.org/index.php',
      'https://idp.example.com/sso',
      'http://nc.internal:8080/other',
      'login?redirect_url=x',
    ]) {
      assert.equal(rewriteLocation(value, mapping), value);
    }
  });
});

describe('rewriteSetCookie', () => {
  test('re-scopes Path under the backend prefix and drops a Domain naming the backend', () => {
    assert.equal(
      rewriteSetCookie(
        'oc_session=abc; path=/nextcloud; Domain=.NC.internal; HttpOnly',
        mapping,
        'nc.internal',
      ),
      'oc_session=abc; path=/; HttpOnly',
    );
    assert.equal(
      rewriteSetCookie('a=b; Path=/nextcloud/apps; Secure', mapping, 'nc.internal'),
      'a=b; Path=/apps; Secure',
    );
  });

  test('keeps other paths, other domains, value text and attribute order', () => {
    const value = 'a="x;=y"; Path=/other; Domain=example.org; SameSite=Lax';
    assert.equal(rewriteSetCookie(value, mapping, 'nc.internal'), value);
    assert.equal(rewriteSetCookie('bare', mapping, 'nc.internal'), 'bare');
  });
});

describe('proxyResponseHeaders', () => {
  test('drops hop-by-hop fields, maps URLs and cookies, keeps repeated fields', () => {
    assert.deepEqual(
      proxyResponseHeaders(
        {
          connection: ['keep-alive, x-internal'],
          'keep-alive': ['timeout=5'],
          'transfer-encoding': ['chunked'],
          'x-internal': ['1'],
          location: ['http://nc.internal:8080/nextcloud/x'],
          'content-location': ['/nextcloud/y'],
          'set-cookie': ['a=1; path=/nextcloud', 'b=2; path=/nextcloud/x'],
          'www-authenticate': ['Basic realm="a"', 'Bearer'],
          dav: ['1, 3'],
          skipped: undefined,
        },
        mapping,
        'nc.internal',
      ),
      {
        location: ['https://cloud.example.org/x'],
        'content-location': ['/y'],
        'set-cookie': ['a=1; path=/', 'b=2; path=/x'],
        'www-authenticate': ['Basic realm="a"', 'Bearer'],
        dav: ['1, 3'],
      },
    );
  });
});
