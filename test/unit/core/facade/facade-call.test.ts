import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyFacadeCall,
  facadeCallMethods,
} from '../../../../gateway/core/facade/facade-call.ts';
import {
  facadeOcmProvider,
  facadeOcsProvider,
  facadeStatusPhp,
} from '../../../../gateway/core/facade/facade-documents.ts';
import {
  notificationForPeer,
  readBackendCallback,
} from '../../../../gateway/core/facade/backend-callback.ts';

describe('classifyFacadeCall', () => {
  test('discovery, shareinfo and share calls, below an optional sub-path', () => {
    assert.equal(classifyFacadeCall('/status.php').kind, 'status');
    assert.deepEqual(classifyFacadeCall('/nextcloud/status.php'), {
      kind: 'status',
      basePath: '/nextcloud',
    });
    assert.deepEqual(classifyFacadeCall('/nc/index.php/ocm/notifications'), {
      kind: 'ocm-notifications',
      basePath: '/nc',
    });
    assert.equal(classifyFacadeCall('/ocs-provider/').kind, 'ocs-provider');
    assert.equal(classifyFacadeCall('/ocs-provider/index.php').kind, 'ocs-provider');
    assert.equal(classifyFacadeCall('/ocm-provider').kind, 'ocm-provider');
    assert.equal(classifyFacadeCall('/index.php/apps/files_sharing/shareinfo').kind, 'shareinfo');
    assert.deepEqual(classifyFacadeCall('/ocs/v1.php/cloud/shares'), {
      kind: 'ocs-create',
      basePath: '',
      version: 1,
      flavour: 'standard',
    });
    assert.deepEqual(classifyFacadeCall('/sub/ocs/v2.php/cloud/shares/42/reshare_undo'), {
      kind: 'ocs-action',
      basePath: '/sub',
      version: 2,
      flavour: 'standard',
      id: '42',
      action: 'reshare_undo',
    });
    assert.equal(classifyFacadeCall('/ocs/v2/shares/7/accept').kind, 'ocs-action');
    assert.equal(classifyFacadeCall('/index.php/ocm/shares').kind, 'ocm-shares');
    assert.equal(
      classifyFacadeCall('/index.php/apps/federatedfilesharing/notifications').kind,
      'ocm-notifications',
    );
    assert.equal(classifyFacadeCall('/public.php/webdav/x').kind, 'other');
    assert.equal(classifyFacadeCall('/index.php/ocm/shares/list').kind, 'other');
  });

  test('methods: GET for documents, POST for calls, nothing for others', () => {
    assert.deepEqual(facadeCallMethods({ kind: 'status', basePath: '' }), ['GET', 'HEAD']);
    assert.deepEqual(facadeCallMethods({ kind: 'ocm-shares', basePath: '' }), ['POST']);
    assert.deepEqual(facadeCallMethods({ kind: 'other' }), []);
  });
});

describe('facade documents', () => {
  test('status.php always has a version; Nextcloud backends look like Nextcloud', () => {
    const unknown = facadeStatusPhp({
      productName: 'unknown',
      productVersion: '',
      ocsDialect: 'ocs-v2',
    });
    assert.ok(unknown.ok);
    assert.equal(unknown.value.version, '10.0.0.0');
    const nc = facadeStatusPhp({
      productName: 'Nextcloud',
      productVersion: '13.0.12.1',
      ocsDialect: 'ocs-v2',
    });
    assert.ok(nc.ok);
    assert.equal(nc.value.productname, 'Nextcloud');
    assert.equal(nc.value.versionstring, '13.0.12');
  });

  test('ocs-provider names the backend own OCS path; ocm-provider is 1.0-proposal1', () => {
    const v1 = facadeOcsProvider({
      productName: 'ownCloud',
      productVersion: '9.0.0.19',
      ocsDialect: 'ocs-v1',
    });
    assert.ok(v1.ok);
    assert.deepEqual(v1.value.services, {
      FEDERATED_SHARING: {
        version: 1,
        endpoints: { share: '/ocs/v1.php/cloud/shares', webdav: '/public.php/webdav/' },
      },
    });
    const ocm = facadeOcmProvider('http://gw:9300/peers/p.example/index.php/ocm');
    assert.ok(ocm.ok);
    const doc = ocm.value as Record<string, unknown>;
    assert.equal(doc.apiVersion, '1.0-proposal1');
    assert.equal(doc.enabled, true);
    assert.equal(doc.endPoint, 'http://gw:9300/peers/p.example/index.php/ocm');
    assert.ok(Array.isArray(doc.resourceTypes) && Array.isArray(doc.shareTypes));
  });
});

describe('backend callbacks', () => {
  test('recipient calls name received shares, the owner unshare names sent ones', () => {
    assert.deepEqual(readBackendCallback('SHARE_ACCEPTED'), {
      type: 'SHARE_ACCEPTED',
      direction: 'incoming',
      stateAfter: 'accepted',
    });
    assert.equal(readBackendCallback('SHARE_UNSHARED')?.direction, 'outgoing');
    assert.equal(readBackendCallback('REQUEST_RESHARE')?.stateAfter, undefined);
    assert.equal(readBackendCallback('USER_REMOVED'), undefined);
    assert.equal(readBackendCallback('SYNC_CALENDAR'), undefined);
  });

  test('the peer gets its providerId and secret, a facade reshare recipient its real address', () => {
    const n = notificationForPeer(
      {
        notificationType: 'REQUEST_RESHARE',
        resourceType: 'file',
        providerId: '3',
        notification: {
          sharedSecret: 'backend-token',
          shareWith: 'carol@gw.internal:9300/peers/third.example',
          senderId: '77',
          permissions: ['read', 'share'],
          extra: { internal: 'x' },
        },
        legacy: { permissionBits: 17 },
      },
      'REQUEST_RESHARE',
      { providerId: 'uuid-1', sharedSecret: 'peer-secret' },
      {
        publicUrl: 'https://cloud.example.org',
        backendUrl: 'http://b:8080',
        facadeBaseUrl: 'http://gw.internal:9300',
      },
    );
    assert.deepEqual(n, {
      notificationType: 'REQUEST_RESHARE',
      resourceType: 'file',
      providerId: 'uuid-1',
      notification: {
        sharedSecret: 'peer-secret',
        permissions: ['read', 'share'],
        senderId: '77',
        shareWith: 'carol@third.example',
      },
      legacy: { permissionBits: 17 },
    });
  });
});
