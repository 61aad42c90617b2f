import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  defaultSharePermissionBits,
  readPublicWebdavAuth,
  writePublicWebdavAuth,
} from './public-webdav-auth.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

describe('legacy public WebDAV auth (webdav-propfind.json)', () => {
  const fx = JSON.parse(readFileSync(join(FIXTURES, 'webdav-propfind.json'), 'utf8')) as {
    request: { headers: { Authorization: string }; auth: { username: string; password: string } };
  };

  test('the fixture header is the token as user and an empty password, both ways', () => {
    const creds = readPublicWebdavAuth(fx.request.headers.Authorization);
    assert.deepEqual(creds, {
      token: fx.request.auth.username,
      password: fx.request.auth.password,
    });
    assert.equal(
      writePublicWebdavAuth({ token: 'Xy9zA1bC2dE3fG4', password: '' }),
      fx.request.headers.Authorization,
    );
  });

  test('link password, missing/foreign schemes and empty tokens', () => {
    assert.deepEqual(readPublicWebdavAuth(writePublicWebdavAuth({ token: 't', password: 'p:w' })), {
      token: 't',
      password: 'p:w',
    });
    assert.equal(readPublicWebdavAuth(undefined), undefined);
    assert.equal(readPublicWebdavAuth('Bearer abc'), undefined);
    assert.equal(readPublicWebdavAuth('Basic !!!'), undefined);
    assert.equal(
      readPublicWebdavAuth(writePublicWebdavAuth({ token: '', password: 'x' })),
      undefined,
    );
  });

  test('absent share-permissions: 31 for folders, 27 (no create) for files', () => {
    assert.equal(defaultSharePermissionBits(true), 31);
    assert.equal(defaultSharePermissionBits(false), 27);
  });

  test('property: write → read round-trips any token without ":"', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((t) => !t.includes(':')),
        fc.string(),
        (token, password) => {
          assert.deepEqual(readPublicWebdavAuth(writePublicWebdavAuth({ token, password })), {
            token,
            password,
          });
        },
      ),
    );
    fc.assert(fc.property(fc.string(), (header) => void readPublicWebdavAuth(header)));
  });
});
