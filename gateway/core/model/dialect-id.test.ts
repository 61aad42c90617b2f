import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIALECTS,
  compareDialects,
  dialectRank,
  isDialectId,
  isOcmDialect,
  newestDialect,
} from './dialect-id.ts';

test('dialects are ordered oldest first', () => {
  assert.ok(dialectRank('ocs-v1') < dialectRank('ocs-v2'));
  assert.ok(dialectRank('ocm-proposal1') < dialectRank('ocm-1.0'));
  assert.ok(compareDialects('ocm-1.3', 'ocm-1.2') > 0);
  assert.deepEqual([...DIALECTS].sort(compareDialects), [...DIALECTS]);
  assert.equal(newestDialect(['ocm-1.1', 'ocs-v2', 'ocm-1.2']), 'ocm-1.2');
  assert.equal(newestDialect([]), undefined);
});

test('isDialectId / isOcmDialect', () => {
  assert.ok(isDialectId('ocm-1.1'));
  assert.ok(!isDialectId('ocm-1.4'));
  assert.ok(!isDialectId(3));
  assert.ok(isOcmDialect('ocm-proposal1'));
  assert.ok(!isOcmDialect('ocs-v2'));
});
