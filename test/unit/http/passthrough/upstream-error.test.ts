import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CONNECT_TIMEOUT_CODE,
  RESPONSE_TIMEOUT_CODE,
  UpstreamTimeoutError,
  classifyUpstreamError,
  errorCodeOf,
  upstreamErrorResponse,
} from '../../../../gateway/http/passthrough/upstream-error.ts';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('classifyUpstreamError', () => {
  test('no connection made → unreachable', () => {
    for (const code of ['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']) {
      assert.equal(classifyUpstreamError(coded(code)), 'unreachable', code);
    }
    assert.equal(
      classifyUpstreamError(new UpstreamTimeoutError(CONNECT_TIMEOUT_CODE, 10)),
      'unreachable',
    );
  });

  test('our response deadline → timeout', () => {
    assert.equal(
      classifyUpstreamError(new UpstreamTimeoutError(RESPONSE_TIMEOUT_CODE, 10)),
      'timeout',
    );
  });

  test('a broken connection or answer, or anything unknown → bad-response', () => {
    for (const error of [
      coded('ECONNRESET'),
      coded('HPE_INVALID_CONSTANT'),
      new Error('x'),
      'str',
      null,
    ]) {
      assert.equal(classifyUpstreamError(error), 'bad-response');
    }
  });
});

describe('errorCodeOf', () => {
  test('reads a string code and falls back to UNKNOWN', () => {
    assert.equal(errorCodeOf(coded('EPIPE')), 'EPIPE');
    assert.equal(errorCodeOf({ code: 5 }), 'UNKNOWN');
    assert.equal(errorCodeOf(undefined), 'UNKNOWN');
  });
});

describe('upstreamErrorResponse', () => {
  const limits = { retryAfterSeconds: 10, responseTimeoutMs: 60_000 };

  test('unreachable → 503 with Retry-After', () => {
    const response = upstreamErrorResponse('unreachable', limits);
    assert.equal(response.status, 503);
    assert.equal(response.retryAfterSeconds, 10);
    assert.equal(response.body.message, 'BACKEND_UNREACHABLE');
    assert.match(response.body.detail, /retry in 10 seconds/);
  });

  test('bad-response → 502 and timeout → 504, neither with a retry hint', () => {
    const bad = upstreamErrorResponse('bad-response', limits);
    assert.deepEqual(
      [bad.status, bad.retryAfterSeconds, bad.body.message],
      [502, undefined, 'BACKEND_BAD_RESPONSE'],
    );
    const slow = upstreamErrorResponse('timeout', { ...limits, responseTimeoutMs: 1500 });
    assert.deepEqual(
      [slow.status, slow.retryAfterSeconds, slow.body.message],
      [504, undefined, 'BACKEND_TIMEOUT'],
    );
    assert.match(slow.body.detail, /within 1\.5 s/);
    assert.match(upstreamErrorResponse('timeout', limits).body.detail, /within 60 s/);
  });

  test('UpstreamTimeoutError says what timed out and carries its code', () => {
    const error = new UpstreamTimeoutError(CONNECT_TIMEOUT_CODE, 250);
    assert.equal(error.code, CONNECT_TIMEOUT_CODE);
    assert.match(error.message, /connect to the backend timed out after 250 ms/);
  });
});
