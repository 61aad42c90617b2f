/** OCM 1.2, 1.1 and 1.0 peers refuse what their version refuses (cavage signatures when required,
 * `sender` and shareType enum from 1.1, only webdav + options in 1.0). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OutgoingClient, jsonBody } from '../common/outgoing-http.ts';
import { post, sharePayload, signedPost, withPeers } from './strictness-kit.ts';

describe('OCM 1.2 (draft-cavage)', () => {
  test('with http-request-signatures: unsigned → 401, tampered → 401; without it unsigned is accepted', () =>
    withPeers(
      [
        { version: '1.2' },
        { version: '1.2', criteria: ['http-request-signatures'] },
        { version: '1.2' },
      ],
      async ([a, strict, lax]) => {
        const json = { 'content-type': 'application/json' };
        assert.equal(
          (
            await post(
              `${strict!.endPoint}/shares`,
              JSON.stringify(sharePayload(a!, strict!)),
              json,
            )
          ).status,
          401,
        );
        const s = signedPost(a!, strict!, 'shares', sharePayload(a!, strict!));
        assert.equal(
          (await post(s.url, s.body.replace('s3cr3t', 's3cr3T'), s.headers)).status,
          401,
        );
        assert.equal((await post(s.url, s.body, s.headers)).status, 201);
        assert.equal(
          (await post(`${lax!.endPoint}/shares`, JSON.stringify(sharePayload(a!, lax!)), json))
            .status,
          201,
        );
      },
    ));

  test('discovery publishes publicKey {keyId, publicKeyPem} at /.well-known/ocm and /ocm-provider', () =>
    withPeers([{ version: '1.2' }], async ([a]) => {
      for (const path of ['/.well-known/ocm', '/ocm-provider', '/ocm-provider/']) {
        const doc = jsonBody(
          await new OutgoingClient().request({ method: 'GET', url: a!.url + path }),
        ) as { publicKey: { keyId: string; publicKeyPem: string } };
        assert.equal(doc.publicKey.keyId, `${a!.url}/ocm#signature`);
        assert.match(doc.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
      }
    }));
});

describe('OCM 1.1 and 1.0', () => {
  test('1.1 requires sender and a valid shareType enum; group shares are not implemented', () =>
    withPeers([{ version: '1.1' }, { version: '1.1' }], async ([a, b]) => {
      const noSender = sharePayload(a!, b!);
      delete noSender.sender;
      const res = await post(`${b!.endPoint}/shares`, JSON.stringify(noSender), {
        'content-type': 'application/json',
      });
      assert.deepEqual(res.body.validationErrors, [{ name: 'sender', message: 'REQUIRED' }]);
      const badType = await post(
        `${b!.endPoint}/shares`,
        JSON.stringify(sharePayload(a!, b!, { shareType: 'team' })),
        { 'content-type': 'application/json' },
      );
      assert.equal(badType.status, 400);
      const group = await post(
        `${b!.endPoint}/shares`,
        JSON.stringify(sharePayload(a!, b!, { shareType: 'group' })),
        { 'content-type': 'application/json' },
      );
      assert.equal(group.status, 501);
    }));

  test('1.0 understands only webdav + options, has no invites and no /.well-known/ocm', () =>
    withPeers([{ version: '1.0' }, { version: '1.0' }], async ([a, b]) => {
      const json = { 'content-type': 'application/json' };
      const multi = await post(`${b!.endPoint}/shares`, JSON.stringify(sharePayload(a!, b!)), json);
      assert.equal(multi.status, 501);
      const noSecret = sharePayload(a!, b!, { protocol: { name: 'webdav', options: {} } });
      delete noSecret.sender;
      assert.equal(
        (await post(`${b!.endPoint}/shares`, JSON.stringify(noSecret), json)).status,
        400,
      );
      const legacy = sharePayload(a!, b!, {
        protocol: { name: 'webdav', options: { sharedSecret: 'x' } },
      });
      delete legacy.sender;
      assert.equal((await post(`${b!.endPoint}/shares`, JSON.stringify(legacy), json)).status, 201);
      assert.equal((await post(`${b!.endPoint}/invite-accepted`, '{}', json)).status, 404);
      assert.equal(
        (await new OutgoingClient().request({ method: 'GET', url: `${b!.url}/.well-known/ocm` }))
          .status,
        404,
      );
    }));
});
