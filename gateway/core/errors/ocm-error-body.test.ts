import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ocmErrorBody, ocmErrorStyleFor } from './ocm-error-body.ts';

const invalid = {
  code: 'INVALID_REQUEST',
  status: 400,
  message: 'Invalid share: shareWith is required',
  issues: [{ field: 'shareWith', message: 'is required' }],
} as const;

test('OCM callers get the code as message, the reason as detail, and the fields', () => {
  assert.deepEqual(ocmErrorBody(invalid), {
    message: 'INVALID_REQUEST',
    detail: 'Invalid share: shareWith is required',
    validationErrors: [{ name: 'shareWith', message: 'is required' }],
  });
  assert.deepEqual(
    ocmErrorBody({ code: 'FORBIDDEN', status: 403, message: 'Not allowed.', issues: [] }),
    { message: 'FORBIDDEN', detail: 'Not allowed.' },
  );
});

test('1.0-proposal1 callers get the reason as message, and validationErrors on every 400', () => {
  assert.deepEqual(ocmErrorBody(invalid, 'proposal1'), {
    message: 'Invalid share: shareWith is required',
    validationErrors: [{ name: 'shareWith', message: 'is required' }],
  });
  // Nextcloud writes `"validationErrors": []` on a 400 even when no field is named.
  assert.deepEqual(
    ocmErrorBody({ ...invalid, message: 'The body is not valid JSON.', issues: [] }, 'proposal1'),
    { message: 'The body is not valid JSON.', validationErrors: [] },
  );
  assert.deepEqual(
    ocmErrorBody(
      {
        code: 'NOT_IMPLEMENTED',
        status: 501,
        message: 'Share type "x" is not supported.',
        issues: [],
      },
      'proposal1',
    ),
    { message: 'Share type "x" is not supported.' },
  );
});

test('an internal error never shows its reason, in either style', () => {
  const internal = {
    code: 'INTERNAL',
    status: 500,
    message: 'db at 10.0.0.5 down',
    issues: [],
  } as const;
  assert.deepEqual(ocmErrorBody(internal), { message: 'INTERNAL' });
  assert.deepEqual(ocmErrorBody(internal, 'proposal1'), { message: 'INTERNAL' });
});

test('the style follows the caller: its known dialect, else signed → OCM, unsigned → early OCM', () => {
  assert.equal(ocmErrorStyleFor('ocm-proposal1', false), 'proposal1');
  assert.equal(ocmErrorStyleFor('ocm-proposal1', true), 'proposal1');
  for (const d of ['ocm-1.0', 'ocm-1.1', 'ocm-1.2', 'ocm-1.3'] as const) {
    assert.equal(ocmErrorStyleFor(d, false), 'ocm');
  }
  assert.equal(ocmErrorStyleFor(undefined, true), 'ocm');
  assert.equal(ocmErrorStyleFor(undefined, false), 'proposal1');
});
