import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalShareTypeToOcs,
  OCS_SHARE_TYPE,
  ocsShareTypeName,
  ocsShareTypeToCanonical,
} from './share-type-number.ts';

describe('OCS share type numbers', () => {
  test('names of the numbers (0 user, 1 group, 3 link, 6 remote, 9 remote group)', () => {
    assert.equal(ocsShareTypeName(0), 'user');
    assert.equal(ocsShareTypeName(1), 'group');
    assert.equal(ocsShareTypeName(3), 'link');
    assert.equal(ocsShareTypeName(6), 'remote');
    assert.equal(ocsShareTypeName(9), 'remote_group');
    assert.equal(ocsShareTypeName(2), undefined);
  });

  test('only the federated ones map to OCM, both ways (legacy-create-share-v2.json sends 6)', () => {
    assert.equal(ocsShareTypeToCanonical(OCS_SHARE_TYPE.remote), 'user');
    assert.equal(ocsShareTypeToCanonical(OCS_SHARE_TYPE.remote_group), 'group');
    assert.equal(ocsShareTypeToCanonical(OCS_SHARE_TYPE.user), undefined);
    assert.equal(ocsShareTypeToCanonical(OCS_SHARE_TYPE.link), undefined);
    assert.equal(canonicalShareTypeToOcs('user'), 6);
    assert.equal(canonicalShareTypeToOcs('group'), 9);
    assert.equal(canonicalShareTypeToOcs('federation'), undefined);
  });
});
