/**
 * Issue 7, second Done-when bullet, through the real startGateway: bad and hostile inputs on the
 * peer-facing endpoints (`<endPoint>/shares`, `/notifications`, `/token`, the public WebDAV) get
 * the right 4xx / 501 with an error body the caller's dialect reads, and nothing reaches the
 * backend.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OcmPeer } from '../../sim/index.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import {
  nextName,
  ocmSharePayload,
  startP2bRig,
  startPeer,
  startProposal1Peer,
  type BackendSpec,
  type P2bRig,
} from './peer-to-backend-rig.ts';

interface OcmErrorBody {
  message?: unknown;
  validationErrors?: { name?: unknown; message?: unknown }[];
}

/** An OCM `Error` body: a string `message`, and `validationErrors` entries of {name, message}. */
async function ocmError(res: Response, status: number): Promise<OcmErrorBody> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text) as OcmErrorBody;
  assert.equal(typeof body.message, 'string', text);
  for (const v of body.validationErrors ?? []) {
    assert.equal(typeof v.name, 'string', text);
    assert.equal(typeof v.message, 'string', text);
  }
  return body;
}

function fieldsOf(body: OcmErrorBody): string[] {
  return (body.validationErrors ?? []).map((v) => String(v.name));
}

const BACKENDS: { name: string; spec: BackendSpec }[] = [
  { name: 'ocs-v2 (Nextcloud 13)', spec: { flavour: 'nextcloud13', basePath: '/nextcloud' } },
  { name: 'ocm-proposal1 (ownCloud 10)', spec: { flavour: 'owncloud10' } },
];

for (const b of BACKENDS)
  describe(`hostile inputs on the peer-facing endpoints (backend ${b.name})`, () => {
    let rig: P2bRig;
    let peer: OcmPeer;
    let other: OcmPeer;
    let federationCalls: () => number;

    before(async () => {
      rig = await startP2bRig({ backend: b.spec });
      peer = await startPeer('1.3', ['must-use-http-sig']);
      other = await startPeer('1.3', ['must-use-http-sig']);
      federationCalls = () =>
        rig.backend.received.filter((r) => /\/cloud\/shares|\/ocm\//.test(r.localPath)).length;
    });
    after(async () => {
      await Promise.all([peer.close(), other.close()]);
      await rig.close();
    });

    const url = (path: string) => `${rig.publicUrl}${path}`;
    const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const signedPost = (from: OcmPeer, path: string, payload: unknown) => {
      const target = url(path);
      const body = JSON.stringify(payload);
      return fetch(target, {
        method: 'POST',
        headers: signedHeaders(from.ctx, target, body, 'application/json'),
        body,
      });
    };
    const share = (from: OcmPeer, providerId: string, extra: Record<string, unknown> = {}) =>
      ocmSharePayload(from, rig.bob, providerId, extra);

    test('shares: not JSON, not an object, empty object, wrong types → 400 naming the fields', async () => {
      const before = federationCalls();
      const notJson = await ocmError(await postJson('/ocm/shares', '{"shareWith":'), 400);
      assert.ok(fieldsOf(notJson).length > 0);
      await ocmError(await postJson('/ocm/shares', '[1,2,3]'), 400);
      const empty = await ocmError(await postJson('/ocm/shares', '{}'), 400);
      assert.ok(fieldsOf(empty).includes('shareWith'), JSON.stringify(empty));
      const wrongTypes = await ocmError(
        await postJson(
          '/ocm/shares',
          JSON.stringify({
            ...share(peer, 'types'),
            shareWith: 42,
            providerId: { a: 1 },
            protocol: 'webdav',
          }),
        ),
        400,
      );
      assert.ok(fieldsOf(wrongTypes).includes('shareWith'), JSON.stringify(wrongTypes));
      const missingProtocol = await ocmError(
        await postJson(
          '/ocm/shares',
          JSON.stringify({ ...share(peer, 'noproto'), protocol: undefined }),
        ),
        400,
      );
      assert.ok(
        fieldsOf(missingProtocol).some((f) => f.startsWith('protocol')),
        JSON.stringify(missingProtocol),
      );
      assert.equal(federationCalls(), before, 'nothing reached the backend');
    });

    test('shares: a recipient who is not a user here → 400; unknown share and resource types → 501', async () => {
      const before = federationCalls();
      const elsewhere = await ocmError(
        await signedPost(
          peer,
          '/ocm/shares',
          share(peer, 'elsewhere', { shareWith: 'bob@elsewhere.example' }),
        ),
        400,
      );
      assert.ok(fieldsOf(elsewhere).includes('shareWith'), JSON.stringify(elsewhere));
      await ocmError(
        await signedPost(
          peer,
          '/ocm/shares',
          share(peer, 'alien-type', { shareType: 'spaceship' }),
        ),
        501,
      );
      await ocmError(
        await signedPost(
          peer,
          '/ocm/shares',
          share(peer, 'alien-resource', { resourceType: 'calendar' }),
        ),
        501,
      );
      assert.equal(federationCalls(), before, 'nothing reached the backend');
    });

    test('shares: a user the backend does not know → 400 naming shareWith, as OCM’s example', async () => {
      const res = await signedPost(
        peer,
        '/ocm/shares',
        share(peer, 'nobody', { shareWith: `nobody@${rig.publicHost}` }),
      );
      const body = await ocmError(res, 400);
      assert.deepEqual(body.validationErrors, [{ name: 'shareWith', message: 'NOT_FOUND' }]);
      assert.equal(rig.backend.receivedShares('nobody').length, 0);
    });

    test('shares: a huge body → 413; a GET → 405', async () => {
      const before = federationCalls();
      const huge = JSON.stringify(
        share(peer, 'huge', { description: 'x'.repeat(2 * 1024 * 1024) }),
      );
      await ocmError(await postJson('/ocm/shares', huge), 413);
      const get = await fetch(url('/ocm/shares'));
      await ocmError(get, 405);
      assert.equal(federationCalls(), before, 'nothing reached the backend');
    });

    test('shares: a forged signature → 401, an impostor signer → 403, unsigned from a 1.3 peer that signs → 401, a replay → 401', async () => {
      const before = federationCalls();
      const target = url('/ocm/shares');
      const body = JSON.stringify(share(peer, 'forged'));
      const headers = signedHeaders(peer.ctx, target, body, 'application/json');
      // The signature covers another body (fetch sets the length of the one it sends).
      const forged = Object.fromEntries(
        Object.entries(headers).filter(([name]) => name !== 'content-length'),
      );
      const tampered = JSON.stringify(share(peer, 'forged', { name: 'evil.txt' }));
      await ocmError(await fetch(target, { method: 'POST', headers: forged, body: tampered }), 401);
      // A share naming the peer as owner, signed by another (known, verified) server: 403.
      await ocmError(await signedPost(other, '/ocm/shares', share(peer, 'impostor')), 403);
      await ocmError(await postJson('/ocm/shares', JSON.stringify(share(peer, 'unsigned'))), 401);
      assert.equal(federationCalls(), before, 'nothing reached the backend');
      const first = await fetch(target, { method: 'POST', headers, body });
      assert.equal(first.status, 201, await first.text());
      const afterFirst = federationCalls();
      await ocmError(await fetch(target, { method: 'POST', headers, body }), 401);
      assert.equal(federationCalls(), afterFirst, 'the replay reached nothing');
    });

    test('notifications: wrong types, missing fields → 400; unknown type → 501; GET → 405', async () => {
      const before = federationCalls();
      const missing = await ocmError(await postJson('/ocm/notifications', '{}'), 400);
      assert.ok(fieldsOf(missing).includes('notificationType'), JSON.stringify(missing));
      await ocmError(
        await postJson(
          '/ocm/notifications',
          JSON.stringify({
            notificationType: 7,
            providerId: [],
            resourceType: 'file',
            notification: 'x',
          }),
        ),
        400,
      );
      await ocmError(
        await signedPost(peer, '/ocm/notifications', {
          notificationType: 'SHARE_TELEPORTED',
          resourceType: 'file',
          providerId: 'forged',
          notification: {},
        }),
        501,
      );
      await ocmError(await fetch(url('/ocm/notifications')), 405);
      const huge = await postJson(
        '/ocm/notifications',
        JSON.stringify({
          notificationType: 'SHARE_ACCEPTED',
          providerId: '1',
          notification: { message: 'x'.repeat(2 * 1024 * 1024) },
        }),
      );
      await ocmError(huge, 413);
      assert.equal(federationCalls(), before, 'nothing reached the backend');
    });

    test('notifications: forged (wrong secret, wrong signer) and replayed ones are refused', async () => {
      const name = nextName('hostile');
      peer.addFile('carol', `/${name}`, 'x');
      const { share: sent, result } = await peer.shareWith({
        owner: 'carol',
        path: `/${name}`,
        shareWith: rig.bob,
      });
      assert.equal(result.status, 201, JSON.stringify(result));
      assert.ok(sent !== undefined);
      const before = federationCalls();
      const unshare = {
        notificationType: 'SHARE_UNSHARED',
        resourceType: 'file',
        providerId: sent.providerId,
        notification: { message: 'gone' },
      };
      // Unsigned with a wrong secret, unsigned with the right secret (1.3 shares need a signature),
      // and signed by another server.
      await ocmError(
        await postJson(
          '/ocm/notifications',
          JSON.stringify({ ...unshare, notification: { sharedSecret: 'guess' } }),
        ),
        403,
      );
      await ocmError(
        await postJson(
          '/ocm/notifications',
          JSON.stringify({ ...unshare, notification: { sharedSecret: sent.secret } }),
        ),
        403,
      );
      const byOther = await signedPost(other, '/ocm/notifications', unshare);
      assert.ok([403, 404].includes(byOther.status), String(byOther.status));
      await ocmError(byOther, byOther.status);
      assert.equal(federationCalls(), before, 'nothing reached the backend');
      assert.ok(rig.backend.receivedShares('bob').some((r) => r.name === name));

      // The genuine one, then the same bytes again.
      const target = url('/ocm/notifications');
      const body = JSON.stringify(unshare);
      const headers = signedHeaders(peer.ctx, target, body, 'application/json');
      const genuine = await fetch(target, { method: 'POST', headers, body });
      assert.equal(genuine.status, 201, await genuine.text());
      await rig.backend.settle();
      assert.equal(
        rig.backend.receivedShares('bob').some((r) => r.name === name),
        false,
      );
      const applied = federationCalls();
      await ocmError(await fetch(target, { method: 'POST', headers, body }), 401);
      assert.equal(federationCalls(), applied, 'the replay reached nothing');
    });

    test('errors come in the caller’s dialect: early OCM reads a text message, OCM 1.x a code', async () => {
      const legacy = await startProposal1Peer({ flavour: 'nextcloud-ocm', nextcloudVersion: 27 });
      const old = await startPeer('1.1');
      try {
        const before = federationCalls();
        const legacyHost = new URL(legacy.url).host;
        // Nextcloud 27's own form (sharedBy, protocol.options), for a user who is not here.
        const early = await ocmError(
          await postJson(
            '/ocm/shares',
            JSON.stringify({
              shareWith: `nobody@elsewhere.example`,
              shareType: 'user',
              name: 'a.txt',
              resourceType: 'file',
              description: '',
              providerId: '12',
              owner: `carol@${legacyHost}`,
              ownerDisplayName: 'Carol',
              sharedBy: `carol@${legacyHost}`,
              sharedByDisplayName: 'Carol',
              protocol: { name: 'webdav', options: { sharedSecret: 'EarlySecret0123' } },
            }),
          ),
          400,
        );
        assert.match(String(early.message), /shareWith/, 'a sentence, as Nextcloud writes');
        assert.ok(Array.isArray(early.validationErrors));
        assert.equal('detail' in early, false, JSON.stringify(early));
        // Bad JSON from an unknown unsigned caller: the early-OCM form, validationErrors present.
        const unknown = await ocmError(await postJson('/ocm/shares', '{'), 400);
        assert.ok(Array.isArray(unknown.validationErrors));
        // An OCM 1.1 peer (known by discovery) and a signed 1.3 peer get the spec's code + detail.
        const modern = await ocmError(
          await postJson(
            '/ocm/shares',
            JSON.stringify(share(old, 'old-elsewhere', { shareWith: 'nobody@elsewhere.example' })),
          ),
          400,
        );
        assert.equal(modern.message, 'INVALID_REQUEST');
        const signed = await ocmError(
          await signedPost(peer, '/ocm/shares', share(peer, 'x', { shareType: 'spaceship' })),
          501,
        );
        assert.equal(signed.message, 'NOT_IMPLEMENTED');
        assert.equal(federationCalls(), before, 'nothing reached the backend');
      } finally {
        await Promise.all([legacy.close(), old.close()]);
      }
    });

    test('an unsigned early-OCM notification replayed after it was applied reaches nothing', async () => {
      const legacy = await startProposal1Peer({ flavour: 'owncloud10' });
      try {
        const name = nextName('replayed');
        legacy.addFile('carol', `/${name}`, 'x');
        const { share: sent, result } = await legacy.shareWithRemote({
          owner: 'carol',
          path: `/${name}`,
          shareWith: rig.bob,
        });
        assert.equal(result.via, 'ocm', JSON.stringify(result));
        assert.ok(sent !== undefined);
        const body = JSON.stringify({
          notificationType: 'SHARE_UNSHARED',
          resourceType: 'file',
          providerId: String(sent.id),
          notification: { sharedSecret: sent.token, message: 'File was unshared' },
        });
        const first = await postJson('/ocm/notifications', body);
        assert.equal(first.status, 201, await first.text());
        await rig.backend.settle();
        assert.equal(
          rig.backend.receivedShares('bob').some((r) => r.name === name),
          false,
        );
        const applied = federationCalls();
        const again = await postJson('/ocm/notifications', body);
        assert.ok([201, 410].includes(again.status), String(again.status));
        if (again.status !== 201) await ocmError(again, again.status);
        else await again.body?.cancel();
        assert.equal(federationCalls(), applied, 'the replay reached nothing');
      } finally {
        await legacy.close();
      }
    });

    test('token endpoint: OAuth errors for bad grants, unknown codes and wrong content', async () => {
      const before = federationCalls();
      const form = (fields: Record<string, string>) =>
        fetch(url('/ocm/token'), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      const oauth = async (res: Response, status: number, error: string) => {
        const text = await res.text();
        assert.equal(res.status, status, text);
        assert.equal((JSON.parse(text) as { error?: unknown }).error, error, text);
        assert.equal(res.headers.get('cache-control'), 'no-store');
      };
      await oauth(
        await form({ grant_type: 'password', client_id: peer.host, code: 'x' }),
        400,
        'unsupported_grant_type',
      );
      await oauth(await form({ client_id: peer.host }), 400, 'invalid_request');
      const unknown = await form({
        grant_type: 'authorization_code',
        client_id: peer.host,
        code: 'NoSuchCode',
      });
      assert.ok([400, 401].includes(unknown.status), String(unknown.status));
      await unknown.body?.cancel();
      await oauth(
        await fetch(url('/ocm/token'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{',
        }),
        400,
        'invalid_request',
      );
      assert.equal(federationCalls(), before);
    });

    test('public WebDAV: a wrong Bearer is 401 and never reaches the backend', async () => {
      const before = rig.backend.received.length;
      const res = await fetch(url('/public.php/webdav/'), {
        method: 'PROPFIND',
        headers: { authorization: 'Bearer forged-token-value', depth: '1' },
      });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      await res.body?.cancel();
      assert.equal(rig.backend.received.length, before);
    });
  });
