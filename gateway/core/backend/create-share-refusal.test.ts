import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createShareRefusalIssues } from './create-share-refusal.ts';

test('the unknown-user wordings of every legacy server name shareWith', () => {
  for (const said of [
    'User does not exists',
    'User does not exist',
    'User "bob" does not exists at https://nc.example.org/nextcloud',
    'User nobody does not exist',
  ]) {
    assert.deepEqual(
      createShareRefusalIssues(said),
      [{ field: 'shareWith', message: 'NOT_FOUND' }],
      said,
    );
  }
});

test('a bad name and a long token name their fields; other words name none', () => {
  assert.deepEqual(createShareRefusalIssues('The mountpoint name contains invalid characters.'), [
    { field: 'name', message: 'contains invalid characters' },
  ]);
  assert.equal(
    createShareRefusalIssues('Token too long')[0]?.field,
    'protocol.webdav.sharedSecret',
  );
  assert.deepEqual(
    createShareRefusalIssues('server can not add remote share, missing parameter'),
    [],
  );
  assert.deepEqual(createShareRefusalIssues('Server does not support federated cloud sharing'), []);
});
