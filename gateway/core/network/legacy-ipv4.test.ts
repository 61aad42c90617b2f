import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLegacyIpv4 } from './legacy-ipv4.ts';

test('reads the spellings inet_aton and the URL parser accept', () => {
  const cases: [string, number[]][] = [
    ['2130706433', [127, 0, 0, 1]],
    ['0177.0.0.1', [127, 0, 0, 1]],
    ['127.1', [127, 0, 0, 1]],
    ['0x7f.1', [127, 0, 0, 1]],
    ['0x7f000001', [127, 0, 0, 1]],
    ['10.1', [10, 0, 0, 1]],
    ['10.0.0.1.', [10, 0, 0, 1]],
    ['010.0.0.1', [8, 0, 0, 1]],
    ['0', [0, 0, 0, 0]],
    ['0x', [0, 0, 0, 0]],
    ['169.254.43518', [169, 254, 169, 254]],
    ['4294967295', [255, 255, 255, 255]],
  ];
  for (const [text, bytes] of cases) assert.deepEqual(parseLegacyIpv4(text), bytes, text);
});

test('refuses out-of-range parts, bad digits and host names', () => {
  for (const text of [
    '4294967296',
    '256.1',
    '1.2.3.256',
    '08.0.0.1',
    '0xg.1',
    'a.b',
    '1..2',
    '',
    '.',
    '1.2.3.4.5',
    '1e3',
  ]) {
    assert.equal(parseLegacyIpv4(text), undefined, text);
  }
});

test('gives every legacy spelling the address the URL parser gives it', () => {
  const spelling = fc
    .tuple(
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom(8, 10, 16),
    )
    .map(([value, parts, radix]) => {
      const bytes = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
      const head = bytes.slice(0, parts - 1);
      const rest = bytes.slice(parts - 1).reduce((acc, b) => acc * 256 + b, 0);
      const write = (n: number): string =>
        radix === 16 ? `0x${n.toString(16)}` : radix === 8 ? `0${n.toString(8)}` : String(n);
      return [...head, rest].map(write).join('.');
    });
  fc.assert(
    fc.property(spelling, (text) => {
      const fromUrl = new URL(`http://${text}/`).hostname;
      assert.equal(parseLegacyIpv4(text)?.join('.'), fromUrl, text);
    }),
  );
});
