import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { signRequest } from './sign-request.ts';
import { verifyRequest } from './verify-request.ts';
import { verificationFailureToError } from './verification-result.ts';

const request = {
  method: 'POST',
  targetUri: 'https://receiver.example.org/ocm/shares',
  headers: {},
  body: new TextEncoder().encode('{"a":1}'),
};
const options = { now: Date.UTC(2026, 0, 1), resolveKey: () => Promise.resolve(undefined) };

describe('verifyRequest', () => {
  test('no signature headers: missing', async () => {
    const result = await verifyRequest(request, options);
    assert.equal(!result.ok && result.reason, 'missing');
  });

  test('an RFC 9421 Signature without Signature-Input is malformed, not cavage', async () => {
    const result = await verifyRequest(
      { ...request, headers: { signature: 'ocm=:AAAA:' } },
      options,
    );
    assert.deepEqual(!result.ok && [result.reason, result.scheme], ['malformed', 'rfc9421']);
  });

  test('dispatches on the headers: Signature-Input → rfc9421, keyId=… → cavage', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const rfc = signRequest(
      'rfc9421',
      { keyId: 'a.example#1', family: 'ed25519', privateKey },
      request,
      options.now,
    );
    const first = await verifyRequest({ ...request, headers: rfc }, options);
    assert.deepEqual(!first.ok && [first.reason, first.scheme], ['unknown-key', 'rfc9421']);
    const cavage = {
      signature:
        'keyId="https://a.example/ocm#signature",algorithm="rsa-sha256",headers="date",signature="AA=="',
    };
    const second = await verifyRequest({ ...request, headers: cavage }, options);
    assert.deepEqual(!second.ok && [second.reason, second.scheme], [
      'missing-components',
      'cavage',
    ]);
  });

  test('never throws, whatever the headers and the key resolver do', async () => {
    const headerName = fc.constantFrom(
      'signature',
      'signature-input',
      'content-digest',
      'digest',
      'date',
      'host',
      'content-length',
      'authorization',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(headerName, fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))),
        fc.string(),
        fc.boolean(),
        async (headers, method, throwing) => {
          const result = await verifyRequest(
            { ...request, method, headers },
            {
              now: options.now,
              resolveKey: () =>
                throwing ? Promise.reject(new Error('x')) : Promise.resolve(undefined),
            },
          );
          assert.equal(result.ok, false);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('failures map to 401, an unreachable key server to 503 with Retry-After', () => {
    const unauthenticated = verificationFailureToError({
      ok: false,
      reason: 'bad-signature',
      message: 'm',
    });
    assert.equal(unauthenticated.status, 401);
    const unavailable = verificationFailureToError({
      ok: false,
      reason: 'key-unavailable',
      message: 'm',
    });
    assert.deepEqual([unavailable.status, unavailable.retryAfterSeconds], [503, 30]);
  });
});
