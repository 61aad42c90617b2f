import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  headersToBackend,
  headersToPeer,
} from '../../../../gateway/core/peer-webdav/webdav-headers.ts';
import {
  buildTokenRequestBody,
  parseTokenResponse,
  tokenSignatureScheme,
} from '../../../../gateway/core/peer-webdav/token-request.ts';
import { webdavErrorBody } from '../../../../gateway/core/peer-webdav/webdav-error-body.ts';

test('headersToPeer keeps WebDAV and range headers, drops auth, cookies, hop-by-hop and internal names', () => {
  const out = headersToPeer({
    Authorization: 'Basic c2VjcmV0Og==',
    Cookie: 'oc_session=1',
    Host: 'gateway.internal:9300',
    Connection: 'keep-alive, X-Private',
    'x-private': 'drop me',
    'X-Forwarded-For': '10.0.0.5',
    Referer: 'http://backend.internal/',
    'User-Agent': 'Nextcloud Server Crawler 27.1',
    Depth: '1',
    Range: 'bytes=0-9',
    'If-Range': '"e1"',
    Overwrite: 'F',
    'OC-Checksum': 'SHA1:abc',
    'Content-Type': 'application/xml',
    'Content-Length': '12',
    Destination: 'http://gw/peers/p/public.php/webdav/x',
  });
  assert.deepEqual(out, {
    depth: '1',
    range: 'bytes=0-9',
    'if-range': '"e1"',
    overwrite: 'F',
    'oc-checksum': 'SHA1:abc',
    'content-type': 'application/xml',
    'content-length': '12',
  });
});

test('headersToBackend keeps ETag, Content-Range, DAV; drops the peer cookies and challenge', () => {
  const out = headersToBackend({
    etag: '"e1"',
    'content-range': 'bytes 0-9/100',
    dav: '1, 3',
    'set-cookie': ['a=1'],
    'www-authenticate': 'Bearer realm="ocm"',
    'transfer-encoding': 'chunked',
    'content-length': '10',
  });
  assert.deepEqual(out, {
    etag: '"e1"',
    'content-range': 'bytes 0-9/100',
    dav: '1, 3',
    'content-length': '10',
  });
});

test('token requests: pre-1.2 JSON and 1.3 form bodies; responses read leniently', () => {
  const json = buildTokenRequestBody('json', 'gw.example', 'the-code');
  assert.ok(json.ok);
  assert.deepEqual(JSON.parse(json.value.body), {
    grant_type: 'ocm_authorization_code',
    client_id: 'gw.example',
    code: 'the-code',
  });
  assert.equal(json.value.contentType, 'application/json');
  const form = buildTokenRequestBody('form', 'gw.example:8443', 's&cret');
  assert.ok(form.ok);
  assert.equal(
    form.value.body,
    'grant_type=authorization_code&client_id=gw.example%3A8443&code=s%26cret',
  );
  const parsed = parseTokenResponse('form', {
    access_token: 'tok',
    token_type: 'Bearer',
    expires_in: 60,
  });
  assert.ok(parsed.ok);
  assert.equal(parsed.value.accessToken, 'tok');
  assert.equal(parsed.value.expiresIn, 60);
  assert.equal(parseTokenResponse('form', { token_type: 'Bearer' }).ok, false);
  assert.equal(parseTokenResponse('json', undefined).ok, false);
});

test('tokenSignatureScheme follows the keys the peer publishes', () => {
  const none = { hasRfc9421Keys: false, hasCavageKey: false, capabilities: [] };
  assert.equal(tokenSignatureScheme('form', { ...none, hasRfc9421Keys: true }), 'rfc9421');
  assert.equal(tokenSignatureScheme('json', { ...none, hasCavageKey: true }), 'cavage');
  assert.equal(tokenSignatureScheme('json', { ...none, capabilities: ['http-sig'] }), 'rfc9421');
  assert.equal(tokenSignatureScheme('form', none), 'rfc9421');
  assert.equal(tokenSignatureScheme('json', none), 'unsigned');
});

test('webdavErrorBody is sabre-shaped and escapes the message', () => {
  const body = webdavErrorBody(401, 'a <b> & c');
  assert.match(body, /<s:exception>Sabre\\DAV\\Exception\\NotAuthenticated<\/s:exception>/);
  assert.match(body, /<s:message>a &lt;b&gt; &amp; c<\/s:message>/);
  assert.match(webdavErrorBody(503, 'x'), /ServiceUnavailable/);
});
