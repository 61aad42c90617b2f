import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBadPort } from './bad-ports.ts';

test('blocks the Fetch Standard bad ports and impossible ports', () => {
  for (const port of [0, 22, 25, 53, 110, 143, 465, 587, 993, 6667, 10080, -1, 65536, 1.5]) {
    assert.ok(isBadPort(port), String(port));
  }
});

test('allows the ports web servers and peers use', () => {
  for (const port of [80, 443, 8080, 8443, 9200, 3000, 65535])
    assert.ok(!isBadPort(port), String(port));
});
