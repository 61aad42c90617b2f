import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  jsonObjectOf,
  notificationClue,
  tokenClue,
  webdavClue,
} from '../../../gateway/http/middleware/share-clue.ts';

test('a notification names its share by providerId (numbers too), the claimed host and its secret', () => {
  const body = jsonObjectOf(
    Buffer.from(JSON.stringify({ providerId: 42, notification: { sharedSecret: 's3cret' } })),
  );
  assert.deepEqual(notificationClue(body, 'Peer.Example.org'), {
    kind: 'notification',
    query: { providerId: '42', hosts: ['peer.example.org'], secret: 's3cret' },
  });
  assert.equal(notificationClue({ providerId: '' }, undefined), undefined);
  assert.equal(notificationClue({ providerId: { a: 1 } }, undefined), undefined);
  assert.equal(notificationClue(undefined, 'peer.example.org'), undefined);
  assert.deepEqual(notificationClue({ providerId: 'p', notification: 'x' }, 'bad host!'), {
    kind: 'notification',
    query: { providerId: 'p', hosts: [], secret: undefined },
  });
});

test('a token request names its share by code, as a form or as JSON', () => {
  const form = Buffer.from('grant_type=authorization_code&client_id=p&code=abc%2B1');
  assert.deepEqual(tokenClue(form, 'application/x-www-form-urlencoded'), {
    kind: 'secret',
    secret: 'abc+1',
  });
  const json = Buffer.from(JSON.stringify({ grant_type: 'ocm_authorization_code', code: 'xyz' }));
  assert.deepEqual(tokenClue(json, 'application/json'), { kind: 'secret', secret: 'xyz' });
  assert.equal(tokenClue(Buffer.from('grant_type=x'), undefined), undefined);
  assert.equal(tokenClue(Buffer.from('not json'), 'application/json'), undefined);
});

test('a WebDAV read names its share by its Bearer credential or its Basic user', () => {
  assert.deepEqual(webdavClue('Bearer abc.def.ghi'), { kind: 'bearer', credential: 'abc.def.ghi' });
  assert.deepEqual(webdavClue(`Basic ${Buffer.from('tok3n:').toString('base64')}`), {
    kind: 'secret',
    secret: 'tok3n',
  });
  assert.equal(webdavClue(undefined), undefined);
  assert.equal(webdavClue('Digest x'), undefined);
  assert.equal(webdavClue(`Bearer ${'x'.repeat(5000)}`), undefined);
});

test('only a JSON object is a body to read clues from', () => {
  assert.equal(jsonObjectOf(Buffer.from('[1]')), undefined);
  assert.equal(jsonObjectOf(Buffer.from('null')), undefined);
  assert.equal(jsonObjectOf(Buffer.from('{')), undefined);
  assert.equal(jsonObjectOf(undefined), undefined);
  assert.deepEqual(jsonObjectOf(Buffer.from('{"a":1}')), { a: 1 });
});
