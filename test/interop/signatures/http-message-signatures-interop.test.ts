/**
 * Interoperability of the gateway's request signatures with an independent implementation
 * (the `http-message-signatures` npm package, test-only): RFC 9421 ed25519 and draft-cavage
 * rsa-sha256, each signed on one side and verified on the other.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cavage, createSigner, createVerifier, httpbis } from 'http-message-signatures';
import { signRequest } from '../../../gateway/core/signatures/sign-request.ts';
import { verifyRequest } from '../../../gateway/core/signatures/verify-request.ts';

const body = '{"shareWith":"bob@receiver.example.org","name":"report.pdf"}';
const bodyBytes = new TextEncoder().encode(body);
const targetUri = 'https://receiver.example.org/ocm/shares';
const RFC_FIELDS = ['@method', '@target-uri', 'content-digest', 'content-length', 'date'];

const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const edKeyId = 'sender.example.org#key1';
const rsaKeyId = 'https://sender.example.org/ocm#signature';

function resolver(keyId: string, publicKey: KeyObject) {
  return (id: string): Promise<KeyObject | undefined> =>
    Promise.resolve(id === keyId ? publicKey : undefined);
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('RFC 9421 interop with http-message-signatures', () => {
  test('gateway signs, the package verifies (label ocm, ed25519)', async () => {
    const now = Date.now();
    const headers = signRequest(
      'rfc9421',
      { keyId: edKeyId, family: 'ed25519', privateKey: ed.privateKey },
      { method: 'POST', targetUri, headers: {}, body: bodyBytes },
      now,
    );
    const message = { method: 'POST', url: targetUri, headers: lowerCased(headers) };
    let seenKeyId: string | undefined;
    const verified = await httpbis.verifyMessage(
      {
        keyLookup: (params) => {
          seenKeyId = params.keyid;
          return Promise.resolve({
            id: edKeyId,
            algs: ['ed25519'],
            verify: createVerifier(ed.publicKey, 'ed25519'),
          });
        },
        requiredFields: RFC_FIELDS,
        all: true,
      },
      message,
    );
    assert.equal(verified, true);
    assert.equal(seenKeyId, edKeyId);
    assert.match(message.headers['signature-input'] ?? '', /^ocm=\(/);
    // The package checks the signature only; the digest must match the body on its own terms.
    const expected = createHash('sha-256').update(body).digest('base64');
    assert.ok((message.headers['content-digest'] ?? '').includes(`sha-256=:${expected}:`));
  });

  test('the package rejects a gateway signature over a tampered method or target', async () => {
    const headers = lowerCased(
      signRequest(
        'rfc9421',
        { keyId: edKeyId, family: 'ed25519', privateKey: ed.privateKey },
        { method: 'POST', targetUri, headers: {}, body: bodyBytes },
        Date.now(),
      ),
    );
    const keyLookup = () =>
      Promise.resolve({ id: edKeyId, verify: createVerifier(ed.publicKey, 'ed25519') });
    for (const message of [
      { method: 'PUT', url: targetUri, headers },
      { method: 'POST', url: 'https://evil.example.org/ocm/shares', headers },
    ]) {
      assert.equal(await httpbis.verifyMessage({ keyLookup }, message), false);
    }
  });

  test('the package signs (label ocm, ed25519), the gateway verifies', async () => {
    const now = new Date();
    const digest = `sha-256=:${createHash('sha-256').update(body).digest('base64')}:`;
    const signed = await httpbis.signMessage(
      {
        key: createSigner(ed.privateKey, 'ed25519', edKeyId),
        name: 'ocm',
        fields: RFC_FIELDS,
        params: ['created', 'keyid', 'alg'],
        paramValues: { created: now },
      },
      {
        method: 'POST',
        url: targetUri,
        headers: {
          'content-digest': digest,
          'content-length': String(bodyBytes.byteLength),
          date: now.toUTCString(),
        },
      },
    );
    const request = { method: 'POST', targetUri, headers: signed.headers, body: bodyBytes };
    const options = { now: now.getTime(), resolveKey: resolver(edKeyId, ed.publicKey) };
    const result = await verifyRequest(request, options);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.signerHost, 'sender.example.org');
    // The same package-made signature over another body is refused by the gateway.
    const tampered = await verifyRequest(
      { ...request, body: new TextEncoder().encode(body.replace('bob', 'eve')) },
      options,
    );
    assert.equal(tampered.ok, false);
  });
});

describe('draft-cavage interop with http-message-signatures', () => {
  const cavageFields = ['@request-target', 'content-length', 'date', 'digest', 'host'];

  test('gateway signs (rsa-sha256), the package verifies', async () => {
    const headers = lowerCased(
      signRequest(
        'cavage',
        { keyId: rsaKeyId, family: 'rsa', privateKey: rsa.privateKey },
        { method: 'POST', targetUri, headers: {}, body: bodyBytes },
        Date.now(),
      ),
    );
    const keyLookup = () =>
      Promise.resolve({
        id: rsaKeyId,
        verify: createVerifier(rsa.publicKey, 'rsa-v1_5-sha256'),
      });
    // The package's cavage `requiredFields` looks the names up among the header's parameters, not
    // in its `headers` list (it never matches), so the covered list is checked here instead.
    assert.match(
      headers.signature ?? '',
      /headers="\(request-target\) content-length date digest host"/,
    );
    const ok = await cavage.verifyMessage(
      { keyLookup },
      { method: 'POST', url: targetUri, headers },
    );
    assert.equal(ok, true);
    const tampered = await cavage.verifyMessage(
      { keyLookup },
      { method: 'POST', url: targetUri, headers: { ...headers, host: 'evil.example.org' } },
    );
    assert.equal(tampered, false);
  });

  test('the package signs (rsa-sha256), the gateway verifies', async () => {
    const now = new Date();
    const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
    // The package writes `algorithm="rsa-sha256"` for rsa-v1_5-sha256 and, with no `params`
    // given, emits only keyId/algorithm/headers/signature, as Nextcloud does.
    const signed = await cavage.signMessage(
      {
        key: createSigner(rsa.privateKey, 'rsa-v1_5-sha256', rsaKeyId),
        fields: cavageFields,
        params: ['keyid', 'alg'],
      },
      {
        method: 'POST',
        url: targetUri,
        headers: {
          'content-length': String(bodyBytes.byteLength),
          date: now.toUTCString(),
          digest,
          host: 'receiver.example.org',
        },
      },
    );
    const request = { method: 'POST', targetUri, headers: signed.headers, body: bodyBytes };
    const options = { now: now.getTime(), resolveKey: resolver(rsaKeyId, rsa.publicKey) };
    const result = await verifyRequest(request, options);
    assert.equal(result.ok, true, JSON.stringify({ result, headers: signed.headers }));
    const tampered = await verifyRequest({ ...request, method: 'PUT' }, options);
    assert.equal(tampered.ok, false);
  });
});
