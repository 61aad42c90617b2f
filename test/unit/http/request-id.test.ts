import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestIdFrom } from '../../../gateway/http/middleware/request-id.ts';

test('a sane X-Request-Id is kept', () => {
  assert.equal(requestIdFrom({ 'x-request-id': 'abc-123_x.y:z' }), 'abc-123_x.y:z');
});

test('an unsafe X-Request-Id is replaced (no log injection)', () => {
  const id = requestIdFrom({ 'x-request-id': 'bad\nid {"level":"error"}' });
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.match(requestIdFrom({ 'x-request-id': 'x'.repeat(129) }), /^[0-9a-f-]{36}$/);
});

test('the W3C traceparent trace id is used when there is no request id', () => {
  assert.equal(
    requestIdFrom({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    '4bf92f3577b34da6a3ce929d0e0e4736',
  );
  assert.match(
    requestIdFrom({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }),
    /^[0-9a-f-]{36}$/,
  );
});

test('otherwise a fresh UUID each time', () => {
  assert.notEqual(requestIdFrom({}), requestIdFrom({}));
});
