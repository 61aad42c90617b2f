import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findInternalAuthority,
  internalAuthorities,
} from '../../../../gateway/core/outgoing/internal-leak.ts';

describe('internal leak check', () => {
  const list = internalAuthorities(
    ['http://backend.internal:8080/nc', 'http://127.0.0.1:9300', 'https://facade.lan', 'nonsense'],
    'https://cloud.example.org',
  );

  test('lists host:port, and the bare host for default ports', () => {
    assert.deepEqual(list, [
      'backend.internal:8080',
      '127.0.0.1:9300',
      'facade.lan:443',
      'facade.lan',
    ]);
  });

  test('finds them raw, percent-encoded and in any case', () => {
    assert.equal(
      findInternalAuthority('{"owner":"a@Backend.Internal:8080"}', list),
      'backend.internal:8080',
    );
    assert.equal(
      findInternalAuthority('remote=http%3A%2F%2F127.0.0.1%3A9300%2F', list),
      '127.0.0.1:9300',
    );
    assert.equal(findInternalAuthority('see https://facade.lan/x', list), 'facade.lan');
  });

  test('respects name boundaries', () => {
    assert.equal(findInternalAuthority('127.0.0.1:93001 and 127.0.0.1:930', list), undefined);
    assert.equal(findInternalAuthority('xfacade.lan facade.land', list), undefined);
    assert.equal(findInternalAuthority('bob@cloud.example.org', list), undefined);
  });

  test('the public authority is never listed, even when an internal URL names it', () => {
    assert.deepEqual(
      internalAuthorities(
        ['https://cloud.example.org', 'http://10.0.0.5'],
        'https://cloud.example.org',
      ),
      ['10.0.0.5:80', '10.0.0.5'],
    );
  });
});
