/** OCM 1.3 peers refuse what 1.3 refuses: unsigned requests under must-use-http-sig, bad digests,
 * stale or replayed signatures, foreign keys, missing requirements/fields, bad token requests. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { encodeForm } from '../common/form-body.ts';
import { OutgoingClient, jsonBody } from '../common/outgoing-http.ts';
import type { OcmPeerOptions } from './ocm-peer.ts';
import { signedHeaders } from './ocm-peer-signing.ts';
import { post, sharePayload, signedPost, withPeers } from './strictness-kit.ts';

describe('OCM 1.3 with must-use-http-sig', () => {
  const strict: OcmPeerOptions = {
    version: '1.3',
    criteria: ['must-use-http-sig', 'must-exchange-token'],
  };

  test('unsigned share / notification / token requests are refused with 401', () =>
    withPeers([{ version: '1.3' }, strict], async ([a, b]) => {
      const json = { 'content-type': 'application/json' };
      const share = await post(`${b!.endPoint}/shares`, JSON.stringify(sharePayload(a!, b!)), json);
      assert.deepEqual(share, {
        status: 401,
        body: { message: 'Unsigned request refused: must-use-http-sig' },
      });
      const n = await post(
        `${b!.endPoint}/notifications`,
        JSON.stringify({ notificationType: 'SHARE_ACCEPTED', providerId: 'x' }),
        json,
      );
      assert.equal(n.status, 401);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const t = await post(
        `${b!.endPoint}/token`,
        encodeForm({ grant_type: 'authorization_code', client_id: a!.host, code: 'x' }),
        form,
      );
      assert.deepEqual(t, { status: 401, body: { error: 'invalid_client' } });
    }));

  test('a body that does not match its Content-Digest is refused', () =>
    withPeers([{ version: '1.3' }, strict], async ([a, b]) => {
      const s = signedPost(a!, b!, 'shares', sharePayload(a!, b!));
      const res = await post(s.url, s.body.replace('s3cr3t', 's3cr3T'), s.headers);
      assert.deepEqual(res, {
        status: 401,
        body: { message: 'Invalid signature: Content-Digest sha-256 does not match the body' },
      });
    }));

  test('a signature made 10 minutes ago (replayed/old date) is refused', () =>
    withPeers([{ version: '1.3', clock: () => Date.now() - 600_000 }, strict], async ([old, b]) => {
      old!.addFile('alice', 'a.txt', 'a');
      const { result } = await old!.shareWith({
        owner: 'alice',
        path: 'a.txt',
        shareWith: b!.address('bob'),
      });
      assert.deepEqual(
        [result.status, result.body],
        [401, { message: 'Invalid signature: signature too old' }],
      );
    }));

  test('an exact replay is refused when replay protection is on', () =>
    withPeers([{ version: '1.3' }, { ...strict, rejectReplays: true }], async ([a, b]) => {
      const payload = sharePayload(a!, b!, {
        protocol: {
          name: 'multi',
          webdav: { uri: 'k', sharedSecret: 's', requirements: ['must-exchange-token'] },
        },
      });
      const s = signedPost(a!, b!, 'shares', payload);
      assert.equal((await post(s.url, s.body, s.headers)).status, 201);
      assert.deepEqual(await post(s.url, s.body, s.headers), {
        status: 401,
        body: { message: 'Replayed signature' },
      });
    }));

  test('a key not published in the sender JWKS, or an owner from another host, is refused', () =>
    withPeers([{ version: '1.3' }, strict], async ([a, b]) => {
      const payload = sharePayload(a!, b!, {
        protocol: {
          name: 'multi',
          webdav: { uri: 'k', sharedSecret: 's', requirements: ['must-exchange-token'] },
        },
      });
      const real = a!.ctx.keys.jwk!;
      a!.ctx.keys.jwk = { ...real, privateKey: generateKeyPairSync('ed25519').privateKey };
      const forged = signedPost(a!, b!, 'shares', payload);
      a!.ctx.keys.jwk = real;
      assert.deepEqual(await post(forged.url, forged.body, forged.headers), {
        status: 401,
        body: { message: 'Invalid signature: signature does not verify' },
      });
      const foreign = signedPost(a!, b!, 'shares', {
        ...payload,
        owner: 'mallory@elsewhere.example',
      });
      assert.equal((await post(foreign.url, foreign.body, foreign.headers)).status, 403);
    }));

  test('shares without must-exchange-token, without webdav.uri, or with must-use-mfa are refused with 400', () =>
    withPeers([{ version: '1.3' }, strict], async ([a, b]) => {
      const noReq = signedPost(a!, b!, 'shares', sharePayload(a!, b!));
      assert.equal((await post(noReq.url, noReq.body, noReq.headers)).status, 400);
      const noUri = signedPost(
        a!,
        b!,
        'shares',
        sharePayload(a!, b!, {
          protocol: {
            name: 'multi',
            webdav: { sharedSecret: 's', requirements: ['must-exchange-token'] },
          },
        }),
      );
      const r = await post(noUri.url, noUri.body, noUri.headers);
      assert.equal(r.status, 400);
      assert.deepEqual(
        (r.body.validationErrors as { name: string }[]).map((e) => e.name),
        ['protocol.webdav.uri', 'protocol.webdav.sharedSecret'],
      );
      const mfa = signedPost(
        a!,
        b!,
        'shares',
        sharePayload(a!, b!, {
          protocol: {
            name: 'multi',
            webdav: {
              uri: 'k',
              sharedSecret: 's',
              requirements: ['must-exchange-token', 'must-use-mfa'],
            },
          },
        }),
      );
      assert.equal((await post(mfa.url, mfa.body, mfa.headers)).status, 400);
    }));

  test('token endpoint: JSON → invalid_request, unsigned → invalid_client, wrong grant, unknown code', () =>
    withPeers([{ version: '1.3' }, { version: '1.3' }], async ([a, b]) => {
      const url = `${b!.endPoint}/token`;
      const jsonReq = await post(
        url,
        JSON.stringify({ grant_type: 'authorization_code', client_id: a!.host, code: 'x' }),
        { 'content-type': 'application/json' },
      );
      assert.deepEqual(jsonReq, { status: 400, body: { error: 'invalid_request' } });
      const form = (fields: Record<string, string>) => encodeForm(fields);
      const unsigned = await post(
        url,
        form({ grant_type: 'authorization_code', client_id: a!.host, code: 'x' }),
        { 'content-type': 'application/x-www-form-urlencoded' },
      );
      assert.deepEqual(unsigned, { status: 400, body: { error: 'invalid_client' } });
      for (const [grant, expected] of [
        ['ocm_authorization_code', 'unsupported_grant_type'],
        ['authorization_code', 'invalid_grant'],
      ]) {
        const body = form({ grant_type: grant!, client_id: a!.host, code: 'unknown' });
        const res = await post(
          url,
          body,
          signedHeaders(a!.ctx, url, body, 'application/x-www-form-urlencoded'),
        );
        assert.deepEqual(res, { status: 400, body: { error: expected } });
      }
    }));

  test('discovery only at /.well-known/ocm; JWKS carries the keyid', () =>
    withPeers([{ version: '1.3' }], async ([a]) => {
      const c = new OutgoingClient();
      assert.equal((await c.request({ method: 'GET', url: `${a!.url}/ocm-provider` })).status, 404);
      const doc = jsonBody(
        await c.request({ method: 'GET', url: `${a!.url}/.well-known/ocm` }),
      ) as Record<string, unknown>;
      assert.deepEqual([doc.apiVersion, doc.tokenEndPoint], ['1.3.0', `${a!.endPoint}/token`]);
      const jwks = jsonBody(
        await c.request({ method: 'GET', url: `${a!.url}/.well-known/jwks.json` }),
      ) as { keys: { kid: string; kty: string }[] };
      assert.deepEqual(
        jwks.keys.map((k) => [k.kid, k.kty]),
        [[`${a!.host}#key1`, 'OKP']],
      );
    }));
});
