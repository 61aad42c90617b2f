import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeText, parseTolerantJson } from './read-capped-body.ts';

test('parseTolerantJson reads JSON with stray whitespace and refuses the rest', () => {
  assert.deepEqual(parseTolerantJson('  {"a":[1,2]}\n'), { a: [1, 2] });
  assert.equal(parseTolerantJson('"x"'), 'x');
  assert.equal(parseTolerantJson(''), undefined);
  assert.equal(parseTolerantJson('<html></html>'), undefined);
  assert.equal(parseTolerantJson('{"a":'), undefined);
});

test('decodeText drops a byte-order mark and survives invalid UTF-8', () => {
  assert.equal(decodeText(Buffer.from('\ufeff{}', 'utf8')), '{}');
  assert.equal(decodeText(Uint8Array.from([0x7b, 0xff, 0x7d])), '{\ufffd}');
});

test('parseTolerantJson never throws', () => {
  fc.assert(fc.property(fc.string(), (text) => void parseTolerantJson(text)));
});
