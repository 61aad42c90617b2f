import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  SHARE_PERMISSIONS,
  type CanonicalNotification,
  type SharePermission,
} from '../../model/index.ts';
import { permissionNamesToBits } from '../../permissions/index.ts';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec } from '../ocs-v2/index.ts';

// Fixtures for these calls are covered in parse-ocs-notification.test.ts (legacy-*.json); this file
// checks the OCM → legacy → OCM direction over generated notifications.
describe('canonical notification → legacy call → canonical', () => {
  const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String);
  const secret = fc.string({ minLength: 1 }).filter((s) => s !== '0');
  const names = fc
    .uniqueArray(fc.constantFrom(...SHARE_PERMISSIONS))
    .map((list) => SHARE_PERMISSIONS.filter((n) => list.includes(n)));
  const simple = fc.record({
    notificationType: fc.constantFrom(
      'SHARE_ACCEPTED',
      'SHARE_DECLINED',
      'SHARE_UNSHARED',
      'RESHARE_UNDO',
    ),
    providerId: id,
    notification: secret.map((sharedSecret) => ({ sharedSecret })),
  });
  const change = fc.record({
    notificationType: fc.constant('RESHARE_CHANGE_PERMISSION'),
    providerId: id,
    notification: fc.record({ sharedSecret: secret, permissions: names }),
  });
  const reshare = fc.record({
    notificationType: fc.constant('REQUEST_RESHARE'),
    providerId: id,
    notification: fc.record({
      sharedSecret: secret,
      shareWith: fc.constantFrom(
        'carol@third.example.net',
        'bob@https://nc.example.org/nextcloud',
        'e@x.org@h:8443',
      ),
      senderId: id,
      permissions: names,
    }),
  });

  test('property: every field the legacy call carries comes back (resourceType file, bits in legacy)', () => {
    fc.assert(
      fc.property(
        fc.oneof(simple, change, reshare),
        fc.constantFrom(ocsV1Codec, ocsV2Codec),
        (original: CanonicalNotification, codec) => {
          const out = codec.notification.serialise(original);
          assert.ok(out.ok, JSON.stringify(out));
          const back = codec.notification.parse(out.value, { mode: 'strict' });
          assert.ok(back.ok, JSON.stringify(back));
          const permissions = original.notification.permissions as SharePermission[] | undefined;
          const plain = JSON.parse(JSON.stringify(original)) as CanonicalNotification;
          assert.deepEqual(back.value, {
            ...plain,
            resourceType: 'file',
            ...(permissions === undefined
              ? {}
              : { legacy: { permissionBits: permissionNamesToBits(permissions) } }),
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  test('reshare reply in XML (no format): remoteId comes back as a numeric id', () => {
    const reply = {
      reshare: { sharedSecret: 'Qw8eR7tY6uI5oP4', providerId: '43', providerIdIsNumber: true },
    };
    const xml = ocsV1Codec.notificationReply.serialise(reply);
    assert.ok(xml.ok);
    assert.match(
      xml.value.body,
      /<data>\n {2}<token>Qw8eR7tY6uI5oP4<\/token>\n {2}<remoteId>43<\/remoteId>\n <\/data>/,
    );
    const back = ocsV1Codec.notificationReply.parse({
      status: xml.value.status,
      body: xml.value.body,
    });
    assert.ok(back.ok);
    assert.deepEqual(back.value, reply);
  });
});
