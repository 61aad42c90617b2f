import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { retryLedgerWrite } from '../../../gateway/services/retry-ledger-write.ts';

const unavailable = () => new GatewayError('UNAVAILABLE', 'down', { retryAfterSeconds: 5 });

test('a write refused for now (503) is tried again until it lands', async () => {
  let calls = 0;
  const result = await retryLedgerWrite(() => {
    calls += 1;
    return calls < 3 ? Promise.reject(unavailable()) : Promise.resolve('written');
  }, [1, 1, 1]);
  assert.equal(result, 'written');
  assert.equal(calls, 3);
});

test('after the last pause the refusal is the caller’s; other errors are not retried', async () => {
  let calls = 0;
  await assert.rejects(
    retryLedgerWrite(() => {
      calls += 1;
      return Promise.reject(unavailable());
    }, [1, 1]),
    (error: unknown) => error instanceof GatewayError && error.status === 503,
  );
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(
    retryLedgerWrite(() => {
      calls += 1;
      return Promise.reject(new Error('bug'));
    }, [1, 1]),
    /bug/,
  );
  assert.equal(calls, 1);
});
