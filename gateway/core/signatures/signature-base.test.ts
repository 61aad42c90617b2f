import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignatureBase } from './signature-base.ts';
import type { SignableRequest } from './signable-request.ts';

// RFC 9421 Appendix B.1.4 "test-key-ed25519" and the Appendix B.2 test request.
const RFC_ED25519_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU',
  x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
};
const RFC_TEST_REQUEST: SignableRequest = {
  method: 'POST',
  targetUri: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    Host: 'example.com',
    Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'Content-Type': 'application/json',
    'Content-Digest':
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'Content-Length': '18',
  },
  body: new TextEncoder().encode('{"hello": "world"}'),
};

describe('RFC 9421 signature base', () => {
  test('Appendix B.2.6 (Ed25519): the base and the published signature, byte for byte', () => {
    const components = ['date', '@method', '@path', '@authority', 'content-type', 'content-length'];
    const params =
      '("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
    const result = buildSignatureBase(RFC_TEST_REQUEST, components, params);
    assert.ok(result.ok);
    assert.equal(
      result.base,
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        `"@signature-params": ${params}`,
      ].join('\n'),
    );
    const privateKey = createPrivateKey({ key: RFC_ED25519_JWK, format: 'jwk' });
    const signature = sign(null, Buffer.from(result.base), privateKey).toString('base64');
    // Ed25519 is deterministic, so our base must be exactly the RFC's to give its signature.
    assert.equal(
      signature,
      'wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==',
    );
    const publicKey = createPublicKey({ key: RFC_ED25519_JWK, format: 'jwk' });
    assert.ok(verify(null, Buffer.from(result.base), publicKey, Buffer.from(signature, 'base64')));
  });

  test('the OCM component set for a fixed request gives the expected multi-line base', () => {
    const request: SignableRequest = {
      method: 'POST',
      targetUri: 'https://receiver.example.org/ocm/shares',
      headers: {
        date: 'Fri, 16 Jan 2026 13:37:00 GMT',
        'content-digest': 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
        'content-length': '18',
      },
      body: new TextEncoder().encode('{"hello": "world"}'),
    };
    const params =
      '("@method" "@target-uri" "content-digest" "content-length" "date");created=1768570620;keyid="sender.example.org#key1";alg="ed25519"';
    const result = buildSignatureBase(
      request,
      ['@method', '@target-uri', 'content-digest', 'content-length', 'date'],
      params,
    );
    assert.deepEqual(result, {
      ok: true,
      base:
        '"@method": POST\n' +
        '"@target-uri": https://receiver.example.org/ocm/shares\n' +
        '"content-digest": sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:\n' +
        '"content-length": 18\n' +
        '"date": Fri, 16 Jan 2026 13:37:00 GMT\n' +
        '"@signature-params": ("@method" "@target-uri" "content-digest" "content-length" "date");created=1768570620;keyid="sender.example.org#key1";alg="ed25519"',
    });
  });

  test('derived components follow RFC 9421 §2.2', () => {
    const request = { ...RFC_TEST_REQUEST, targetUri: 'HTTPS://Example.COM:443/p/a?x=1' };
    const names = ['@scheme', '@authority', '@request-target', '@path', '@query'];
    const result = buildSignatureBase(request, names, '()');
    assert.ok(result.ok);
    assert.deepEqual(result.base.split('\n').slice(0, 5), [
      '"@scheme": https',
      '"@authority": example.com',
      '"@request-target": /p/a?x=1',
      '"@path": /p/a',
      '"@query": ?x=1',
    ]);
    const noQuery = buildSignatureBase(
      { ...request, targetUri: 'https://e.org' },
      ['@query', '@path'],
      '()',
    );
    assert.ok(noQuery.ok);
    assert.equal(noQuery.base.split('\n').slice(0, 2).join('|'), '"@query": ?|"@path": /');
  });

  test('repeated header lines are trimmed and joined with ", "', () => {
    const request = { ...RFC_TEST_REQUEST, headers: { 'X-Multi': ['  a ', 'b  '] } };
    const result = buildSignatureBase(request, ['x-multi'], '("x-multi")');
    assert.ok(result.ok);
    assert.equal(result.base.split('\n')[0], '"x-multi": a, b');
  });

  test('refuses what it cannot faithfully build', () => {
    const cases: [string[], RegExp][] = [
      [['x-absent'], /absent/],
      [['date', 'date'], /twice/],
      [['@query-param'], /not supported/],
      [['@status'], /not supported/],
      [['Date'], /lower-case/],
    ];
    for (const [components, message] of cases) {
      const result = buildSignatureBase(RFC_TEST_REQUEST, components, '()');
      assert.equal(result.ok, false, components.join());
      assert.match(result.message, message);
    }
    const notAbsolute = buildSignatureBase({ ...RFC_TEST_REQUEST, targetUri: '/foo' }, [], '()');
    assert.equal(notAbsolute.ok, false);
    const newline = buildSignatureBase(
      { ...RFC_TEST_REQUEST, method: 'POST\nX' },
      ['@method'],
      '()',
    );
    assert.equal(newline.ok, false);
  });
});
