import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createPassthrough,
  type PassthroughOptions,
} from '../../../../gateway/http/passthrough/create-passthrough.ts';

const valid: PassthroughOptions = {
  backendUrl: new URL('http://127.0.0.1:8080/nextcloud'),
  publicUrl: new URL('https://cloud.example.org'),
  connectTimeoutMs: 1000,
  responseTimeoutMs: 1000,
};

describe('createPassthrough options', () => {
  test('valid options give a handler and a close function', () => {
    const passthrough = createPassthrough(valid);
    assert.equal(typeof passthrough.handler, 'function');
    passthrough.close();
  });

  const cases: [string, Partial<PassthroughOptions>, RegExp][] = [
    [
      'ftp backend',
      { backendUrl: new URL('ftp://h/') },
      /passthrough\.backendUrl must be an http: or https: URL/,
    ],
    [
      'credentials',
      { backendUrl: new URL('http://u:secret@h/') },
      /passthrough\.backendUrl must not carry credentials/,
    ],
    [
      'query on public URL',
      { publicUrl: new URL('https://h/?a=1') },
      /passthrough\.publicUrl must not carry a query/,
    ],
    [
      'zero connect timeout',
      { connectTimeoutMs: 0 },
      /passthrough\.connectTimeoutMs must be a positive integer/,
    ],
    ['fractional response timeout', { responseTimeoutMs: 1.5 }, /passthrough\.responseTimeoutMs/],
    ['negative maxSockets', { maxSockets: -1 }, /passthrough\.maxSockets/],
    ['NaN retryAfterSeconds', { retryAfterSeconds: Number.NaN }, /passthrough\.retryAfterSeconds/],
  ];
  for (const [name, override, message] of cases) {
    test(`refuses ${name}, naming the field`, () => {
      assert.throws(() => createPassthrough({ ...valid, ...override }), message);
    });
  }

  test('the error for credentials does not repeat the secret', () => {
    assert.throws(
      () => createPassthrough({ ...valid, backendUrl: new URL('http://u:secret@h/') }),
      (error: Error) => !error.message.includes('secret'),
    );
  });
});
