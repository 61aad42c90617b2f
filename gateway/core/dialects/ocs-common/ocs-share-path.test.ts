import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchOcsSharePath, ocsSharePath } from './ocs-share-path.ts';

describe('OCS share call paths', () => {
  test('v1/v2, sub-paths, ids and actions, Pydio 8', () => {
    assert.deepEqual(matchOcsSharePath('/ocs/v2.php/cloud/shares'), {
      basePath: '',
      version: 2,
      flavour: 'standard',
    });
    assert.deepEqual(matchOcsSharePath('/nextcloud/ocs/v1.php/cloud/shares/42/accept'), {
      basePath: '/nextcloud',
      version: 1,
      flavour: 'standard',
      id: '42',
      action: 'accept',
    });
    assert.deepEqual(
      matchOcsSharePath('/peers/peer.example/ocs/v2.php/cloud/shares/4%202/reshare_undo/'),
      {
        basePath: '/peers/peer.example',
        version: 2,
        flavour: 'standard',
        id: '4 2',
        action: 'reshare_undo',
      },
    );
    assert.deepEqual(matchOcsSharePath('/ocs/v2/shares/42/decline'), {
      basePath: '',
      version: 2,
      flavour: 'pydio8',
      id: '42',
      action: 'decline',
    });
    for (const miss of [
      '/ocs/v3.php/cloud/shares',
      '/ocs/v2.php/cloud/shares/42',
      '/remote.php/dav',
      '/ocs/v2.php/cloud/shares/%E0%A4%A/accept',
    ]) {
      assert.equal(matchOcsSharePath(miss), undefined, miss);
    }
  });

  test('property: built paths match back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1 as const, 2 as const),
        fc.constantFrom('standard' as const, 'pydio8' as const),
        fc.string({ minLength: 1 }),
        fc.constantFrom('accept', 'move', 'revoke'),
        (version, flavour, id, action) => {
          const m = matchOcsSharePath(ocsSharePath(version, flavour, id, action));
          assert.deepEqual(m, { basePath: '', version, flavour, id, action });
        },
      ),
    );
  });
});
