import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LegacyState } from './legacy-state.ts';

// oc_share / oc_share_external ids are AUTO_INCREMENT: never given again after a delete.
test('a deleted share id is never given to a new share', () => {
  const state = new LegacyState();
  state.addUser('alice');
  const node = state.files('alice').mkdir('docs');
  const share = (shareWith: string) =>
    state.addShare({
      owner: 'alice',
      sharedBy: 'alice',
      path: '/docs',
      node,
      shareWith,
      permissions: 1,
      accepted: false,
    });
  const first = share('bob@a.example');
  const second = share('carol@b.example');
  state.shares.delete(second.id);
  const third = share('dave@c.example');
  assert.deepEqual([first.id, second.id, third.id], [1, 2, 3]);
  state.shares.delete(first.id);
  state.shares.delete(third.id);
  assert.equal(share('erin@d.example').id, 4);
});

test('a deleted received share id is never given again either', () => {
  const state = new LegacyState();
  const seed = (remoteId: string) =>
    state.seedReceived({
      remote: 'https://a.example',
      remoteId,
      token: 't',
      name: 'n',
      shareWith: 'bob',
    });
  const first = seed('10');
  state.received.delete(first.id);
  assert.equal(seed('11').id, first.id + 1);
});
