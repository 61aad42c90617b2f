import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { pinnedLookup } from './pinned-lookup.ts';

const checked = [
  { address: '192.0.2.10', family: 4 as const },
  { address: '2001:db8::10', family: 6 as const },
];

function ask(name: string, options: { family?: number; all?: boolean }) {
  return new Promise<{
    error: NodeJS.ErrnoException | null;
    address: string | LookupAddress[];
    family?: number;
  }>((resolve) => {
    pinnedLookup('peer.example', checked)(name, options, (error, address, family) => {
      resolve({ error, address, family });
    });
  });
}

test('answers only with the checked addresses, all or one, per family', async () => {
  assert.deepEqual((await ask('peer.example', { all: true })).address, checked);
  assert.deepEqual((await ask('peer.example', { all: true, family: 6 })).address, [checked[1]]);
  const one = await ask('peer.example', { family: 4 });
  assert.equal(one.address, '192.0.2.10');
  assert.equal(one.family, 4);
});

test('any other name, or a family with no checked address, is ENOTFOUND', async () => {
  const other = await ask('evil.example', { all: true });
  assert.equal(other.error?.code, 'ENOTFOUND');
  const v6only = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    pinnedLookup('peer.example', [checked[1]!])('peer.example', { family: 4 }, (error) =>
      resolve(error),
    );
  });
  assert.equal(v6only?.code, 'ENOTFOUND');
});
