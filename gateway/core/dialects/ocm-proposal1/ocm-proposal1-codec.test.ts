// Fixtures covered: ocm-nextcloud-create-share.json, ocm-owncloud10-create-share.json,
// ocm-notification-{share-accepted,share-declined,share-unshared,reshare-undo,request-reshare,
// reshare-change-permission}.json, ocm-signed-request-nextcloud31.json (body),
// discovery-ocm-provider-nextcloud14.json, discovery-ocm-provider-owncloud10.json.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readLegacyFixture } from '../../../../test/contract/ocm-conformance/shared-reference.ts';
import type { ParseResult } from '../../model/parse-result.ts';
import {
  ocmProposal1Codec,
  ocmProposal1NextcloudCodec,
  ocmProposal1Owncloud10Codec,
} from './ocm-proposal1-codec.ts';

function value<T>(result: ParseResult<T>): T {
  if (!result.ok) assert.fail(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

const shareCreate = ocmProposal1Codec.shareCreate!;
const notification = ocmProposal1Codec.notification!;

describe('ocm-proposal1 share creation', () => {
  test('Nextcloud body: sharedBy is the sender, the scheme in shareWith is a lenient quirk', () => {
    const fixture = readLegacyFixture('ocm-nextcloud-create-share.json');
    const result = shareCreate.parse(fixture.request.body);
    const share = value(result);
    assert.equal(share.shareWith, 'bob@nc.example.org/nextcloud');
    assert.equal(share.sender, 'alice@oc1.example.com');
    assert.equal(share.senderDisplayName, 'Alice');
    assert.equal(share.owner, 'alice@oc1.example.com');
    assert.equal(share.providerId, '42');
    assert.equal(share.description, '');
    assert.equal(share.protocols.webdav?.sharedSecret, 'Xy9zA1bC2dE3fG4');
    assert.deepEqual(share.protocols.webdav.legacyOptions, {
      permissions: '{http://open-cloud-mesh.org/ns}share-permissions',
    });
    assert.ok(result.ok && result.warnings.some((w) => w.field === 'shareWith'));
    const strict = shareCreate.parse(fixture.request.body, { mode: 'strict' });
    assert.ok(!strict.ok && strict.issues.some((i) => i.field === 'shareWith'));
  });

  test('Nextcloud variant writes the fixture body back byte for byte (after the scheme quirk)', () => {
    const fixture = readLegacyFixture('ocm-nextcloud-create-share.json');
    const share = value(shareCreate.parse(fixture.request.body));
    const wire = value(ocmProposal1NextcloudCodec.shareCreate!.serialise(share));
    assert.deepEqual(wire, {
      ...(fixture.request.body as object),
      shareWith: 'bob@nc.example.org/nextcloud',
    });
  });

  test('ownCloud 10 body parses strictly and round-trips through the ownCloud variant', () => {
    const fixture = readLegacyFixture('ocm-owncloud10-create-share.json');
    const share = value(shareCreate.parse(fixture.request.body, { mode: 'strict' }));
    assert.equal(share.sender, 'erin@nc.example.org/nextcloud');
    assert.equal(share.owner, 'erin@nc.example.org/nextcloud');
    assert.equal(share.protocols.webdav?.sharedSecret, 'Ab1Cd2Ef3Gh4Ij5');
    assert.deepEqual(
      value(ocmProposal1Owncloud10Codec.shareCreate!.serialise(share)),
      fixture.request.body,
    );
  });

  test('compat variant writes sender and sharedBy', () => {
    const share = value(
      shareCreate.parse(readLegacyFixture('ocm-owncloud10-create-share.json').request.body),
    );
    const wire = value(shareCreate.serialise(share)) as Record<string, unknown>;
    assert.equal(wire.sender, 'erin@nc.example.org/nextcloud');
    assert.equal(wire.sharedBy, 'erin@nc.example.org/nextcloud');
    assert.equal(wire.sharedByDisplayName, 'Erin');
  });

  test('a share without a shared secret cannot be written', () => {
    const share = value(
      shareCreate.parse(readLegacyFixture('ocm-owncloud10-create-share.json').request.body),
    );
    const result = shareCreate.serialise({
      ...share,
      protocols: { webdav: { permissions: ['read'], requirements: [] }, unknown: {} },
    });
    assert.ok(!result.ok);
    assert.equal(result.issues[0]?.field, 'protocols.webdav.sharedSecret');
  });

  test('missing required fields are named', () => {
    const result = shareCreate.parse({
      shareWith: 'bob@host',
      protocol: { name: 'webdav', options: {} },
    });
    assert.ok(!result.ok);
    const fields = result.issues.map((i) => i.field);
    for (const f of ['name', 'providerId', 'owner', 'shareType', 'resourceType'])
      assert.ok(fields.includes(f), f);
  });

  test('201 answers: Nextcloud object, ownCloud []', () => {
    const nc = readLegacyFixture('ocm-nextcloud-create-share.json');
    const created = value(ocmProposal1Codec.shareCreated!.parse(nc.response.body));
    assert.deepEqual(created, { recipientDisplayName: 'Bob', recipientUserId: 'bob' });
    assert.deepEqual(
      value(ocmProposal1NextcloudCodec.shareCreated!.serialise(created)),
      nc.response.body,
    );
    const oc = readLegacyFixture('ocm-owncloud10-create-share.json');
    assert.deepEqual(
      value(ocmProposal1Owncloud10Codec.shareCreated!.parse(oc.response.body, { mode: 'strict' })),
      {},
    );
    assert.deepEqual(value(ocmProposal1Owncloud10Codec.shareCreated!.serialise(created)), []);
  });

  test('error bodies of both servers parse', () => {
    for (const name of ['ocm-nextcloud-create-share.json', 'ocm-owncloud10-create-share.json']) {
      for (const alt of readLegacyFixture(name).alternateResponses ?? []) {
        const error = value(ocmProposal1Codec.error!.parse(alt.body, { mode: 'strict' }));
        assert.equal(error.message, (alt.body as { message: string }).message);
      }
    }
    assert.deepEqual(
      value(ocmProposal1Codec.error!.serialise({ message: 'x', validationErrors: [] })),
      { message: 'x' },
    );
  });
});

describe('ocm-proposal1 notifications', () => {
  const files = [
    'ocm-notification-share-accepted.json',
    'ocm-notification-share-declined.json',
    'ocm-notification-reshare-undo.json',
    'ocm-notification-request-reshare.json',
    'ocm-notification-reshare-change-permission.json',
    'ocm-signed-request-nextcloud31.json',
  ];
  for (const file of files) {
    test(`${file}: parses strictly and is written back unchanged`, () => {
      const body = readLegacyFixture(file).request.body;
      const parsed = value(notification.parse(body, { mode: 'strict' }));
      assert.deepEqual(value(notification.serialise(parsed)), body);
    });
  }

  test('SHARE_UNSHARED with Nextcloud typo messgage', () => {
    const body = readLegacyFixture('ocm-notification-share-unshared.json').request.body;
    const parsed = value(notification.parse(body));
    assert.equal(parsed.notification.message, 'file is no longer shared with you');
    assert.equal(parsed.notification.messageKey, 'messgage');
    assert.ok(!notification.parse(body, { mode: 'strict' }).ok);
  });

  test('REQUEST_RESHARE payload and both replies', () => {
    const fixture = readLegacyFixture('ocm-notification-request-reshare.json');
    const parsed = value(notification.parse(fixture.request.body));
    assert.equal(parsed.notification.shareWith, 'carol@third.example.net');
    assert.equal(parsed.notification.senderId, '7');
    assert.equal(parsed.notification.shareType, 6);
    const reply = ocmProposal1Codec.notificationReply!;
    const nc = value(reply.parse(fixture.response.body));
    assert.deepEqual(nc.reshare, {
      sharedSecret: 'Qw8eR7tY6uI5oP4',
      providerId: '43',
      providerIdIsNumber: true,
    });
    const oc = value(reply.parse(fixture.alternateResponses?.[0]?.body));
    assert.deepEqual(oc.reshare, nc.reshare);
    assert.deepEqual(value(reply.serialise(nc)), {
      token: 'Qw8eR7tY6uI5oP4',
      sharedSecret: 'Qw8eR7tY6uI5oP4',
      providerId: 43,
    });
    assert.deepEqual(value(reply.serialise({})), []);
    assert.deepEqual(value(reply.parse([])), {});
  });

  test('RESHARE_CHANGE_PERMISSION keeps the singular key', () => {
    const parsed = value(
      notification.parse(
        readLegacyFixture('ocm-notification-reshare-change-permission.json').request.body,
      ),
    );
    assert.deepEqual(parsed.notification.permissions, ['read', 'write', 'share']);
    assert.equal(parsed.notification.permissionsKey, 'permission');
  });

  test('reva SHARE_CHANGE_PERMISSION is an alias (lenient) and refused strictly', () => {
    const body = {
      notificationType: 'SHARE_CHANGE_PERMISSION',
      resourceType: 'file',
      providerId: 'x',
      notification: { grantee: { id: 1 } },
    };
    const parsed = value(notification.parse(body));
    assert.equal(parsed.notificationType, 'RESHARE_CHANGE_PERMISSION');
    assert.equal(parsed.notificationTypeAlias, 'SHARE_CHANGE_PERMISSION');
    assert.deepEqual(parsed.notification.extra, { grantee: { id: 1 } });
    assert.ok(!notification.parse(body, { mode: 'strict' }).ok);
  });
});

describe('ocm-proposal1 discovery', () => {
  test('Nextcloud 14 document round-trips through the Nextcloud variant', () => {
    const body = readLegacyFixture('discovery-ocm-provider-nextcloud14.json').response.body;
    const doc = value(ocmProposal1Codec.discovery!.parse(body, { mode: 'strict' }));
    assert.deepEqual(doc.resourceTypes, [
      { name: 'file', shareTypes: ['user', 'group'], protocols: { webdav: '/public.php/webdav/' } },
    ]);
    assert.deepEqual(value(ocmProposal1NextcloudCodec.discovery!.serialise(doc)), body);
  });

  test('ownCloud 10 shareTypes list is read as resourceTypes and written back by the ownCloud variant', () => {
    const body = readLegacyFixture('discovery-ocm-provider-owncloud10.json').response.body;
    const doc = value(ocmProposal1Owncloud10Codec.discovery!.parse(body, { mode: 'strict' }));
    assert.equal(doc.resourceTypesKey, 'shareTypes');
    assert.deepEqual(doc.resourceTypes, [
      { name: 'file', shareTypes: [], protocols: { webdav: '/public.php/webdav/' } },
    ]);
    assert.deepEqual(value(ocmProposal1Owncloud10Codec.discovery!.serialise(doc)), body);
    // The Nextcloud reading of the same document is a quirk.
    assert.ok(!ocmProposal1NextcloudCodec.discovery!.parse(body, { mode: 'strict' }).ok);
  });

  test('compat variant writes both lists, and reads its own output without an extra field', () => {
    const body = readLegacyFixture('discovery-ocm-provider-nextcloud14.json').response.body;
    const doc = value(ocmProposal1Codec.discovery!.parse(body));
    const wire = value(
      ocmProposal1Codec.discovery!.serialise({ ...doc, apiVersion: '1.2.0' }),
    ) as Record<string, unknown>;
    assert.equal(wire.apiVersion, '1.0-proposal1');
    assert.deepEqual(wire.shareTypes, [
      { name: 'file', protocols: { webdav: '/public.php/webdav/' } },
    ]);
    const again = value(ocmProposal1Codec.discovery!.parse(wire));
    assert.equal(again.extra, undefined);
    assert.deepEqual(again.resourceTypes, doc.resourceTypes);
  });
});
