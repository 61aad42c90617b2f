import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { proxyRequestHeaders } from '../../../../gateway/http/passthrough/proxy-request-headers.ts';
import { createUrlMapping } from '../../../../gateway/http/passthrough/url-mapping.ts';

const publicUrl = new URL('https://cloud.example.org/cloud');
const mapping = createUrlMapping(publicUrl, new URL('http://nc.internal/nextcloud'));

describe('proxyRequestHeaders', () => {
  test('composes hop-by-hop removal, WebDAV URL mapping and the forwarded headers', () => {
    const result = proxyRequestHeaders(
      {
        host: 'cloud.example.org',
        connection: 'keep-alive, x-hop, x-request-id, forwarded',
        'x-hop': '1',
        te: 'trailers',
        expect: '100-continue',
        'transfer-encoding': 'chunked',
        'x-request-id': 'r-1',
        destination: 'https://cloud.example.org/cloud/b',
        if: '<https://cloud.example.org/cloud/a> (<opaquelocktoken:1>)',
        overwrite: 'T',
        forwarded: 'for=192.0.2.1',
      },
      { clientAddress: '198.51.100.7', publicUrl, mapping },
    );
    assert.deepEqual(result, {
      host: 'cloud.example.org',
      'transfer-encoding': 'chunked',
      'x-request-id': 'r-1',
      destination: 'http://nc.internal/nextcloud/b',
      if: '<http://nc.internal/nextcloud/a> (<opaquelocktoken:1>)',
      overwrite: 'T',
      forwarded: 'for=192.0.2.1, for=198.51.100.7;host=cloud.example.org;proto=https',
      'x-forwarded-for': '198.51.100.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'cloud.example.org',
      'x-forwarded-port': '443',
    });
  });
});
