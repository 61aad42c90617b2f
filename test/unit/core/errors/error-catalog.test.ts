import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CATALOG } from '../../../../gateway/core/errors/error-catalog.ts';
import { GatewayError, toGatewayError } from '../../../../gateway/core/errors/gateway-error.ts';

test('every catalogue code has a 4xx/5xx status and a description', () => {
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
    assert.ok(entry.status >= 400 && entry.status < 600, code);
    assert.ok(entry.description.length > 10, code);
  }
});

test('toGatewayError keeps gateway errors and hides unknown ones behind INTERNAL', () => {
  const known = new GatewayError('FORBIDDEN', 'nope');
  assert.equal(toGatewayError(known), known);
  const hidden = toGatewayError(new Error('secret detail'));
  assert.equal(hidden.code, 'INTERNAL');
  assert.equal(hidden.status, 500);
  assert.ok(!hidden.message.includes('secret'));
});
