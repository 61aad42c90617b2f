import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendProfile } from '../../../gateway/core/backend/backend-profile.ts';
import { nativeOcmPaths } from '../../../gateway/bootstrap/native-ocm-paths.ts';

const profile = (advertised?: string) =>
  ({
    ...(advertised === undefined
      ? {}
      : {
          ocmEndPoint: {
            advertised,
            url: `http://backend.internal${new URL(advertised).pathname}`,
          },
        }),
  }) as unknown as BackendProfile;

test("the backend's own OCM path, unless it is the gateway's or there is none", () => {
  let current = profile('https://cloud.example.org/index.php/ocm/');
  const paths = nativeOcmPaths(() => current, '/ocm');
  assert.deepEqual(paths(), ['/index.php/ocm']);
  assert.equal(paths(), paths(), 'the same array while the profile is the same');
  current = profile('https://cloud.example.org/ocm');
  assert.deepEqual(paths(), []);
  current = profile();
  assert.deepEqual(paths(), []);
  current = profile('https://cloud.example.org/');
  assert.deepEqual(paths(), [], 'never the whole site');
});
