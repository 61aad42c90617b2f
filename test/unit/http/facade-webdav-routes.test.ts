import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPublicWebdavPath } from '../../../gateway/http/routes/facade-webdav-routes.ts';

test('splitPublicWebdavPath finds the mount after an optional install sub-path', () => {
  assert.deepEqual(splitPublicWebdavPath('/public.php/webdav'), {
    mountPath: '/public.php/webdav',
    rest: '',
  });
  assert.deepEqual(splitPublicWebdavPath('/nextcloud/public.php/webdav/dir/a%20b.txt'), {
    mountPath: '/nextcloud/public.php/webdav',
    rest: '/dir/a%20b.txt',
  });
  assert.equal(splitPublicWebdavPath('/public.php/webdavx/y'), undefined);
  assert.equal(splitPublicWebdavPath('/public.php/dav/files/token/'), undefined);
  assert.equal(splitPublicWebdavPath('/ocs/v2.php/cloud/shares'), undefined);
});
