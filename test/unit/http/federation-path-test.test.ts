import { test } from 'node:test';
import assert from 'node:assert/strict';
import { federationPathTest } from '../../../gateway/http/create-public-app.ts';

test('federation paths match as express mounts them: the path and below, any case, trailing slash', () => {
  const isFederation = federationPathTest([
    '/ocm/shares',
    '/nc/.well-known/ocm',
    '/ocm-provider/',
    '/public.php/webdav',
  ]);
  for (const path of [
    '/ocm/shares',
    '/OCM/Shares',
    '/ocm/shares/',
    '/nc/.well-known/ocm',
    '/ocm-provider',
    '/ocm-provider/index.php',
    '/public.php/webdav/folder/file.txt',
  ]) {
    assert.equal(isFederation(path), true, path);
  }
  for (const path of [
    '/',
    '/ocm/sharesX',
    '/ocm',
    '/remote.php/webdav/file',
    '/index.php/apps/files',
    '/public.php/webdavx',
  ]) {
    assert.equal(isFederation(path), false, path);
  }
});
