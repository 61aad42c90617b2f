import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  federationPathTest,
  joinedPathList,
  pathListTest,
} from '../../../gateway/http/middleware/federation-path-test.ts';

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

test('a path list read per request is recompiled only when it changes', () => {
  let list: readonly string[] = ['/ocm'];
  let reads = 0;
  const isFederation = pathListTest(() => {
    reads += 1;
    return list;
  });
  assert.equal(isFederation('/ocm/shares'), true);
  assert.equal(isFederation('/index.php/ocm/shares'), false);
  list = ['/ocm', '/index.php/ocm'];
  assert.equal(isFederation('/index.php/ocm/shares'), true);
  assert.equal(reads, 3);
});

test('a fixed list joined with a changing one is rebuilt only when that one changes', () => {
  let native: readonly string[] = [];
  const joined = joinedPathList(['/ocm'], () => native);
  const first = joined();
  assert.deepEqual(first, ['/ocm']);
  assert.equal(joined(), first);
  native = ['/index.php/ocm'];
  assert.deepEqual(joined(), ['/ocm', '/index.php/ocm']);
});
