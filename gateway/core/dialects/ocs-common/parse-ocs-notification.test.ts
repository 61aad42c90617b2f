import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CanonicalNotificationReply } from '../../model/index.ts';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from '../ocs-v2/index.ts';
import { OCS_CODEC_FAULT, type OcsCodec } from './ocs-codec.ts';
import { OCS_ERRORS, ocsShareDoesNotExist } from './ocs-error-messages.ts';
import type { LegacyCanonicalNotification } from './ocs-codec-types.ts';
import { matchOcsSharePath } from './ocs-share-path.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

interface FixtureResponse {
  when?: string;
  status: number;
  headers: Record<string, string>;
  body: { ocs: { meta: { statuscode: number; message: string | null }; data: unknown } };
}
interface Fixture {
  request: { url: string; body: Record<string, string> };
  response: FixtureResponse;
  alternateResponses?: FixtureResponse[];
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
}

const SECRET = 'Xy9zA1bC2dE3fG4';

const expected: Record<string, LegacyCanonicalNotification> = {
  'legacy-accept.json': {
    notificationType: 'SHARE_ACCEPTED',
    resourceType: 'file',
    providerId: '42',
    notification: { sharedSecret: SECRET },
  },
  'legacy-decline.json': {
    notificationType: 'SHARE_DECLINED',
    resourceType: 'file',
    providerId: '42',
    notification: { sharedSecret: SECRET },
  },
  'legacy-unshare.json': {
    notificationType: 'SHARE_UNSHARED',
    resourceType: 'file',
    providerId: '42',
    notification: { sharedSecret: SECRET },
  },
  'legacy-revoke.json': {
    notificationType: 'RESHARE_UNDO',
    resourceType: 'file',
    providerId: '42',
    notification: { sharedSecret: SECRET },
  },
  'legacy-reshare.json': {
    notificationType: 'REQUEST_RESHARE',
    resourceType: 'file',
    providerId: '42',
    notification: {
      sharedSecret: SECRET,
      shareWith: 'carol@third.example.net',
      senderId: '7',
      permissions: ['read', 'share'],
    },
    legacy: { permissionBits: 17 },
  },
  'legacy-permissions.json': {
    notificationType: 'RESHARE_CHANGE_PERMISSION',
    resourceType: 'file',
    providerId: '42',
    notification: { sharedSecret: SECRET, permissions: ['read', 'write', 'share'] },
    legacy: { permissionBits: 19 },
  },
};

/** The answer the gateway gives for a fixture response: success via notificationReply, else error. */
function answer(codec: OcsCodec, name: string, response: FixtureResponse) {
  const { statuscode, message } = response.body.ocs.meta;
  if (statuscode === 100 || statuscode === 200) {
    const reply: CanonicalNotificationReply =
      name === 'legacy-reshare.json'
        ? {
            reshare: {
              sharedSecret: 'Qw8eR7tY6uI5oP4',
              providerId: '43',
              providerIdIsNumber: true,
            },
          }
        : {};
    return codec.notificationReply.serialise(reply, { format: 'json' });
  }
  return codec.error.serialise(
    { message: message ?? '', validationErrors: [] },
    { format: 'json', statuscode },
  );
}

describe('legacy share-update calls ↔ canonical notifications', () => {
  for (const [name, canonical] of Object.entries(expected)) {
    test(`${name}: parsed from path + form, serialised back identically`, () => {
      const fx = fixture(name);
      const url = new URL(fx.request.url);
      const form = new URLSearchParams(fx.request.body).toString();
      const parsed = ocsV2Codec.notification.parse(
        { path: url.pathname, body: form },
        { mode: 'strict' },
      );
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(parsed.value, canonical);
      const out = ocsV2Codec.notification.serialise(parsed.value);
      assert.ok(out.ok, JSON.stringify(out));
      const basePath = matchOcsSharePath(url.pathname)?.basePath ?? '';
      assert.equal(`${basePath}${out.value.path}`, url.pathname);
      assert.equal(out.value.query, 'format=json');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(out.value.body)), fx.request.body);
    });

    test(`${name}: every documented answer is produced (v2, and v1 where given) and parses back`, () => {
      const fx = fixture(name);
      for (const response of [fx.response, ...(fx.alternateResponses ?? [])]) {
        const codec = response.when?.includes('v1') === true ? ocsV1Codec : ocsV2Codec;
        const built = answer(codec, name, response);
        assert.ok(built.ok, response.when);
        assert.equal(built.value.status, response.status, response.when);
        assert.equal(built.value.contentType, response.headers['Content-Type']);
        assert.deepEqual(JSON.parse(built.value.body), response.body, response.when);
        const { statuscode } = response.body.ocs.meta;
        if (statuscode === 100 || statuscode === 200) {
          const reply = codec.notificationReply.parse({
            status: response.status,
            body: response.body,
          });
          assert.ok(reply.ok);
        } else {
          const error = codec.error.parse({ status: response.status, body: response.body });
          assert.ok(error.ok);
          assert.equal(error.value.legacy?.statuscode, statuscode);
          assert.equal(
            codec.notificationReply.parse({ status: response.status, body: response.body }).ok,
            false,
          );
        }
      }
    });
  }

  test('legacy-reshare.json: the answer data {token, remoteId} ↔ canonical reshare reply', () => {
    const fx = fixture('legacy-reshare.json');
    const reply = ocsV2Codec.notificationReply.parse({ status: 200, body: fx.response.body });
    assert.ok(reply.ok);
    assert.deepEqual(reply.value, {
      reshare: { sharedSecret: 'Qw8eR7tY6uI5oP4', providerId: '43', providerIdIsNumber: true },
    });
    const missing = ocsV2Codec.notificationReply.parse({
      ocs: { meta: { status: 'ok', statuscode: 200, message: 'OK' }, data: { token: 'x' } },
    });
    assert.ok(missing.ok);
    assert.equal(missing.value.reshare, undefined);
    assert.deepEqual(
      missing.warnings.map((w) => w.field),
      ['ocs.data'],
    );
    const notNumeric = ocsV2Codec.notificationReply.serialise({
      reshare: { sharedSecret: 's', providerId: 'uuid-1' },
    });
    assert.ok(!notNumeric.ok);
    assert.equal(notNumeric.issues[0]?.field, 'reshare.providerId');
  });

  test('documented messages: accept 410/403 (OC 10.1+), unshare 503 match the fixtures', () => {
    const accept = fixture('legacy-accept.json');
    const unknownId = ocsShareDoesNotExist('42');
    const cases = [
      [accept.alternateResponses?.[1], unknownId],
      [accept.alternateResponses?.[2], OCS_ERRORS.secretMismatch],
      [fixture('legacy-unshare.json').alternateResponses?.[1], OCS_ERRORS.federationDisabled],
      [fixture('legacy-reshare.json').alternateResponses?.[1], OCS_ERRORS.reshareToOwnerForbidden],
      [fixture('legacy-revoke.json').alternateResponses?.[0], OCS_ERRORS.badRequest],
    ] as const;
    for (const [response, error] of cases) {
      assert.ok(response);
      assert.deepEqual(response.body.ocs.meta, {
        status: 'failure',
        statuscode: error.statuscode,
        message: error.message,
      });
    }
  });

  test('accept/decline forwarded along a re-share chain carry remoteId (Nextcloud sendUpdateToRemote)', () => {
    const parsed = ocsV2Codec.notification.parse({
      id: '42',
      action: 'accept',
      body: { token: SECRET, remoteId: '9' },
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.legacy, { remoteId: '9' });
    const out = ocsV2Codec.notification.serialise(parsed.value);
    assert.ok(out.ok);
    assert.equal(out.value.body, `token=${SECRET}&remoteId=9`);
  });

  test('OC 9.0 unshare with format=json in the body: dropped silently', () => {
    const parsed = ocsV1Codec.notification.parse(
      { path: '/owncloud/ocs/v1.php/cloud/shares/42/unshare', body: `token=${SECRET}&format=json` },
      { mode: 'strict' },
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.warnings, []);
    assert.deepEqual(parsed.value.notification, { sharedSecret: SECRET });
  });

  test("Nextcloud's reshare_undo is read as revoke (lenient) and always written as /revoke", () => {
    const input = { path: '/ocs/v2.php/cloud/shares/42/reshare_undo', body: `token=${SECRET}` };
    const lenient = ocsV2Codec.notification.parse(input);
    assert.ok(lenient.ok);
    assert.equal(lenient.value.notificationType, 'RESHARE_UNDO');
    assert.equal(lenient.value.legacy?.action, 'reshare_undo');
    const out = ocsV2Codec.notification.serialise(lenient.value);
    assert.ok(out.ok);
    assert.equal(out.value.path, '/ocs/v2.php/cloud/shares/42/revoke');
    const strict = ocsV2Codec.notification.parse(input, { mode: 'strict' });
    assert.ok(!strict.ok);
    assert.equal(strict.issues[0]?.field, 'action');
  });

  test('refusals name the field and why', () => {
    const cases: [unknown, string][] = [
      [{ path: '/ocs/v2.php/cloud/shares/42/accept', body: '' }, 'token'],
      [{ path: '/ocs/v2.php/cloud/shares/42/accept', body: 'token=0' }, 'token'],
      [
        { path: '/ocs/v2.php/cloud/shares/42/permissions', body: `token=${SECRET}&permissions=1a` },
        'permissions',
      ],
      [{ path: '/ocs/v2.php/cloud/shares/42/permissions', body: `token=${SECRET}` }, 'permissions'],
      [
        {
          path: '/ocs/v2.php/cloud/shares/42/reshare',
          body: `token=${SECRET}&permission=1&remoteId=7`,
        },
        'shareWith',
      ],
      [
        {
          path: '/ocs/v2.php/cloud/shares/42/reshare',
          body: `token=${SECRET}&shareWith=carol&permission=1&remoteId=7`,
        },
        'shareWith',
      ],
      [{ path: '/ocs/v2.php/cloud/shares/42/move', body: `token=${SECRET}` }, 'action'],
      [{ path: '/ocs/v2.php/cloud/shares/42/explode', body: `token=${SECRET}` }, 'action'],
      [{ path: '/ocs/v2.php/cloud/shares/abc/accept', body: `token=${SECRET}` }, 'id'],
      [{ path: '/remote.php/dav', body: '' }, 'path'],
      [{ body: '' }, 'id'],
      ['token=x', 'request'],
    ];
    for (const [input, field] of cases) {
      const r = ocsV2Codec.notification.parse(input, { mode: 'strict' });
      assert.ok(!r.ok, JSON.stringify(input));
      assert.equal(r.issues[0]?.field, field, JSON.stringify(input));
    }
  });

  test('serialising: types without a legacy call and non-numeric ids are refused', () => {
    const base: LegacyCanonicalNotification = expected['legacy-accept.json']!;
    const cases: [LegacyCanonicalNotification, string][] = [
      [{ ...base, notificationType: 'USER_REMOVED' }, 'notificationType'],
      [{ ...base, notificationType: 'SYNC_CALENDAR' }, 'notificationType'],
      [{ ...base, providerId: 'a1b2-uuid' }, 'providerId'],
      [{ ...base, notification: {} }, 'notification.sharedSecret'],
      [{ ...base, notificationType: 'RESHARE_CHANGE_PERMISSION' }, 'notification.permissions'],
      [
        {
          ...base,
          notificationType: 'REQUEST_RESHARE',
          notification: { sharedSecret: 's', shareWith: 'c@h' },
        },
        'notification.senderId',
      ],
    ];
    for (const [n, field] of cases) {
      const out = ocsV2Codec.notification.serialise(n);
      assert.ok(!out.ok, field);
      assert.equal(out.issues[0]?.field, field);
    }
  });

  test('serialising from OCM: names → bits (write = 6), reva alias, unknown reshare permissions → 31', () => {
    const change = ocsV2Codec.notification.serialise({
      notificationType: 'SHARE_CHANGE_PERMISSION',
      providerId: '42',
      notification: { sharedSecret: 's', permissions: ['write', 'read'], message: 'm' },
    });
    assert.ok(change.ok);
    assert.equal(change.value.path, '/ocs/v2.php/cloud/shares/42/permissions');
    assert.equal(new URLSearchParams(change.value.body).get('permissions'), '7');
    assert.deepEqual(
      change.warnings.map((w) => w.field),
      ['notification.message'],
    );
    const reshare = ocsV2Codec.notification.serialise({
      notificationType: 'REQUEST_RESHARE',
      providerId: '42',
      notification: {
        sharedSecret: 's',
        shareWith: 'carol@third.example.net',
        senderId: '7',
        shareType: 'user',
      },
    });
    assert.ok(reshare.ok);
    assert.equal(new URLSearchParams(reshare.value.body).get('permission'), '31');
    assert.deepEqual(
      reshare.warnings.map((w) => w.field),
      ['notification.permissions', 'notification.shareType'],
    );
  });

  test('pydio8: only accept/decline/unshare, at /ocs/v2/shares/{id}/{action}', () => {
    const ok = ocsV2Pydio8Codec.notification.parse({
      path: '/ocs/v2/shares/42/decline',
      body: 'token=abc',
    });
    assert.ok(ok.ok);
    const out = ocsV2Pydio8Codec.notification.serialise(ok.value);
    assert.ok(out.ok);
    assert.equal(out.value.path, '/ocs/v2/shares/42/decline');
    for (const type of ['REQUEST_RESHARE', 'RESHARE_UNDO', 'RESHARE_CHANGE_PERMISSION']) {
      const refused = ocsV2Pydio8Codec.notification.serialise({
        ...ok.value,
        notificationType: type,
      });
      assert.ok(!refused.ok);
      assert.equal(refused.issues[0]?.field, 'notificationType');
    }
    assert.equal(ocsV2Pydio8Codec.move, undefined);
  });

  test('property: permissions bits survive legacy → canonical → legacy exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 31 }),
        fc.constantFrom('permissions', 'reshare'),
        (bits, action) => {
          const body =
            action === 'permissions'
              ? { token: 's', permissions: String(bits) }
              : { token: 's', shareWith: 'c@h.example', permission: String(bits), remoteId: '7' };
          const parsed = ocsV2Codec.notification.parse({ id: '1', action, body });
          assert.ok(parsed.ok, JSON.stringify(parsed));
          const out = ocsV2Codec.notification.serialise(parsed.value);
          assert.ok(out.ok);
          assert.deepEqual(Object.fromEntries(new URLSearchParams(out.value.body)), body);
        },
      ),
    );
  });

  test('property: no input makes notification or reply parsing throw', () => {
    const action = fc.constantFrom(
      'accept',
      'decline',
      'unshare',
      'reshare',
      'permissions',
      'revoke',
      'reshare_undo',
      'move',
      'x',
    );
    const input = fc.oneof(
      fc.anything(),
      fc.record({
        path: fc.oneof(
          fc.string(),
          action.map((a) => `/ocs/v2.php/cloud/shares/1/${a}`),
        ),
        body: fc.oneof(
          fc.string(),
          fc.dictionary(
            fc.constantFrom('token', 'shareWith', 'permission', 'permissions', 'remoteId'),
            fc.string(),
          ),
        ),
      }),
    );
    fc.assert(
      fc.property(input, fc.constantFrom('strict' as const, 'lenient' as const), (wire, mode) => {
        for (const codec of [ocsV1Codec, ocsV2Codec, ocsV2Pydio8Codec]) {
          for (const r of [
            codec.notification.parse(wire, { mode }),
            codec.notificationReply.parse(wire, { mode }),
            codec.error.parse(wire, { mode }),
            codec.shareCreated.parse(wire, { mode }),
          ]) {
            if (!r.ok)
              assert.ok(
                r.issues.every((i) => i.message !== OCS_CODEC_FAULT),
                JSON.stringify(r.issues),
              );
          }
        }
      }),
      { numRuns: 1500 },
    );
  });
});
