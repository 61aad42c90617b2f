import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  connectionTokens,
  withoutHopByHop,
} from '../../../../gateway/http/passthrough/hop-by-hop.ts';

describe('connectionTokens', () => {
  test('splits, trims and lower-cases every Connection line', () => {
    assert.deepEqual(connectionTokens(' Keep-Alive ,X-Foo,, '), ['keep-alive', 'x-foo']);
    assert.deepEqual(connectionTokens(['close', 'X-A, x-b']), ['close', 'x-a', 'x-b']);
    assert.deepEqual(connectionTokens(undefined), []);
  });
});

describe('withoutHopByHop', () => {
  const headers = {
    connection: 'keep-alive, x-secret, x-request-id',
    'keep-alive': 'timeout=5',
    'proxy-connection': 'keep-alive',
    'proxy-authorization': 'Basic c2VjcmV0',
    'proxy-authenticate': 'Basic',
    te: 'trailers',
    trailer: 'x-sum',
    'transfer-encoding': 'chunked',
    upgrade: 'websocket',
    'x-secret': '1',
    'x-request-id': 'r1',
    'content-type': 'text/plain',
  };

  test('drops the fixed hop-by-hop fields and those named in Connection', () => {
    assert.deepEqual(withoutHopByHop(headers), { 'content-type': 'text/plain' });
  });

  test('keeps what the policy keeps and protects', () => {
    assert.deepEqual(
      withoutHopByHop(headers, {
        keep: new Set(['transfer-encoding']),
        protect: new Set(['x-request-id']),
      }),
      { 'transfer-encoding': 'chunked', 'x-request-id': 'r1', 'content-type': 'text/plain' },
    );
  });

  test('reads Connection given as several lines', () => {
    assert.deepEqual(
      withoutHopByHop({ connection: ['x-a', 'x-b'], 'x-a': ['1'], 'x-b': ['2'], etag: ['"e"'] }),
      {
        etag: ['"e"'],
      },
    );
  });
});
