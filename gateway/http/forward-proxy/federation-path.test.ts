import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFederationPath } from './federation-path.ts';

test('federation paths are recognised at the root and under an install sub-path', () => {
  for (const path of [
    '/ocs/v1.php/cloud/shares',
    '/ocs/v2.php/cloud/shares/12/decline',
    '/nextcloud/ocs/v2.php/cloud/shares',
    '/ocs-provider/',
    '/owncloud/ocs-provider',
    '/ocm-provider/',
    '/.well-known/ocm',
    '/.well-known/ocm/',
    '/status.php',
    '/nextcloud/status.php',
    '/index.php/apps/files_sharing/shareinfo',
    '/public.php/webdav',
    '/public.php/webdav/dir/file.txt',
    '/public.php/dav/files/token/',
    '/index.php/ocm/shares',
    '/ocm/notifications',
    '/nextcloud/ocm/shares',
    '/index.php/apps/federatedfilesharing/shares',
  ]) {
    assert.equal(isFederationPath(path), true, path);
  }
});

test('everything else is not, including look-alikes', () => {
  for (const path of [
    '/',
    '/index.php/apps/files',
    '/ocs/v2.php/cloud/capabilities',
    '/ocs/v2.php/cloud/sharesX',
    '/status.php.bak',
    '/remote.php/webdav/file',
    '/ocmx/shares',
    '/apps/ocm-providerish',
    '/.well-known/ocm-other',
  ]) {
    assert.equal(isFederationPath(path), false, path);
  }
});

test('operators can add prefixes (a peer with an unusual OCM endPoint)', () => {
  assert.equal(isFederationPath('/federation/api/shares'), false);
  assert.equal(isFederationPath('/federation/api/shares', ['/federation/api']), true);
  assert.equal(isFederationPath('/federation/apiX', ['/federation/api']), false);
});
