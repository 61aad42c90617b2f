import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonObject, toJsonValue } from './json-value.ts';

test('toJsonValue copies JSON and refuses what JSON cannot carry', () => {
  const input = { a: [1, 'x', null, true], b: { c: {} } };
  const copy = toJsonValue(input);
  assert.deepEqual(copy, input);
  assert.notEqual(copy, input);
  assert.equal(toJsonValue({ f: () => 1 }), undefined);
  assert.equal(toJsonValue([Number.NaN]), undefined);
  assert.equal(toJsonValue(10n), undefined);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(toJsonValue(cyclic), undefined);
});

test('isJsonObject', () => {
  assert.ok(isJsonObject({}));
  assert.ok(!isJsonObject([]));
  assert.ok(!isJsonObject(null));
  assert.ok(!isJsonObject('x'));
});

test('a "__proto__" key from a peer stays a plain field and never becomes a prototype', () => {
  const parsed: unknown = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const copy = toJsonValue(parsed) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.equal((copy as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.keys(copy).sort(), ['__proto__', 'a']);
});
