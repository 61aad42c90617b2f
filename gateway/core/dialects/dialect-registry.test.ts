import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../model/dialect-id.ts';
import { DIALECT_REGISTRY, codecFor, codecVariants } from './dialect-registry.ts';

test('every dialect id has exactly one default codec', () => {
  for (const id of DIALECTS) {
    const defaults = DIALECT_REGISTRY.filter((r) => r.codec.id === id && r.isDefault);
    assert.equal(defaults.length, 1, id);
    assert.equal(codecFor(id), defaults[0]?.codec);
  }
});

test('variants are found by name and listed default first', () => {
  assert.equal(codecFor('ocm-proposal1', 'owncloud10')?.variant, 'owncloud10');
  assert.equal(codecFor('ocm-proposal1')?.variant, 'compat');
  assert.equal(codecFor('ocs-v2', 'pydio8')?.variant, 'pydio8');
  assert.equal(codecFor('ocm-1.3', 'nope'), undefined);
  assert.deepEqual(
    codecVariants('ocm-proposal1').map((c) => c.variant),
    ['compat', 'nextcloud', 'owncloud10'],
  );
});

test('registry is ordered oldest dialect first and describe() matches each codec', () => {
  const ids = DIALECT_REGISTRY.map((r) => r.codec.id);
  assert.deepEqual([...new Set(ids)], [...DIALECTS]);
  for (const { codec } of DIALECT_REGISTRY) {
    const description = codec.describe();
    assert.equal(description.id, codec.id);
    assert.equal(description.variant, codec.variant);
    for (const message of description.messages) {
      assert.ok(
        codec[message.kind] !== undefined,
        `${codec.id} describes ${message.kind} but has no codec for it`,
      );
    }
  }
});
