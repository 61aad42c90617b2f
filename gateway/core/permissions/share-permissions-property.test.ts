import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  outgoingPermissionNames,
  readSharePermissionsProperty,
  SHARE_PERMISSIONS_PROPFIND,
} from './share-permissions-property.ts';

const multistatus = (prop: string) =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/public.php/webdav/</d:href><d:propstat><d:prop>${prop}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;

describe('share-permissions property of the backend’s public WebDAV', () => {
  test('reads the bits whatever the namespace prefix', () => {
    assert.equal(
      readSharePermissionsProperty(
        multistatus('<ocs:share-permissions>19</ocs:share-permissions>'),
      ),
      19,
    );
    assert.equal(
      readSharePermissionsProperty(
        multistatus(
          '<x1:share-permissions xmlns:x1="http://open-collaboration-services.org/ns"> 31 </x1:share-permissions>',
        ),
      ),
      31,
    );
    assert.equal(
      readSharePermissionsProperty(multistatus('<share-permissions>1</share-permissions>')),
      1,
    );
  });

  test('absent, empty, zero, out of range or not a number: undefined', () => {
    assert.equal(readSharePermissionsProperty(multistatus('<oc:size>3</oc:size>')), undefined);
    assert.equal(readSharePermissionsProperty(multistatus('<ocs:share-permissions/>')), undefined);
    for (const v of ['0', '32', '255', 'abc', '-1']) {
      assert.equal(
        readSharePermissionsProperty(
          multistatus(`<ocs:share-permissions>${v}</ocs:share-permissions>`),
        ),
        undefined,
        v,
      );
    }
    assert.equal(readSharePermissionsProperty(''), undefined);
  });

  test('the PROPFIND body asks for both namespaces', () => {
    assert.match(SHARE_PERMISSIONS_PROPFIND, /open-collaboration-services\.org\/ns/);
    assert.match(SHARE_PERMISSIONS_PROPFIND, /open-cloud-mesh\.org\/ns/);
  });

  test('names per bitmask: read kept, write from update or create, delete dropped', () => {
    assert.deepEqual(outgoingPermissionNames(undefined), ['read']);
    assert.deepEqual(outgoingPermissionNames(1), ['read']);
    assert.deepEqual(outgoingPermissionNames(19), ['read', 'write', 'share']);
    assert.deepEqual(outgoingPermissionNames(31), ['read', 'write', 'share']);
    assert.deepEqual(outgoingPermissionNames(9), ['read']); // delete has no OCM name
    assert.deepEqual(outgoingPermissionNames(5), ['read', 'write']); // create alone
    assert.deepEqual(outgoingPermissionNames(17), ['read', 'share']);
    assert.deepEqual(outgoingPermissionNames(16), ['read', 'share']); // read is implied
  });
});
