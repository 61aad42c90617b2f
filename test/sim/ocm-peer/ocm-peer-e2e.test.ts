/** OCM peer ↔ OCM peer of the same version on loopback: discovery, share, read, accept, unshare,
 * invites, signatures (1.2 cavage, 1.3 RFC 9421) and token exchange (1.2 JSON code, 1.3 form). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOcmPeer, type OcmPeer, type OcmPeerOptions } from './ocm-peer.ts';
import type { OcmVersion } from './ocm-peer-versions.ts';

async function pair(
  a: OcmPeerOptions,
  b: OcmPeerOptions,
  fn: (a: OcmPeer, b: OcmPeer) => Promise<void>,
): Promise<void> {
  const [pa, pb] = await Promise.all([
    startOcmPeer({ schemes: ['http'], ...a }),
    startOcmPeer({ schemes: ['http'], ...b }),
  ]);
  try {
    await fn(pa, pb);
    assert.deepEqual([...pa.errors, ...pb.errors], []);
  } finally {
    await Promise.all([pa.close(), pb.close()]);
  }
}

const users = (uid: string, name: string) => ({ users: { [uid]: name } });

for (const version of ['1.0', '1.1', '1.2', '1.3'] as OcmVersion[]) {
  test(`OCM ${version} ↔ ${version}: share, read over WebDAV, accept, unshare`, () =>
    pair(
      { version, ...users('alice', 'Alice') },
      { version, ...users('bob', 'Bob') },
      async (a, b) => {
        a.addFile('alice', 'Docs/spec.txt', 'open cloud mesh');
        const { share, result } = await a.shareWith({
          owner: 'alice',
          path: 'Docs',
          shareWith: b.address('bob'),
          permissions: 1,
        });
        assert.equal(result.status, 201, JSON.stringify(result));
        assert.deepEqual(result.body, { recipientDisplayName: 'Bob' });
        const sent = b.received.find((r) => r.path === '/ocm/shares')!;
        const protocol = (sent.body as { protocol: { name: string } }).protocol;
        assert.equal(protocol.name, version === '1.0' ? 'webdav' : 'multi');
        assert.equal('signature' in sent.headers, version === '1.2' || version === '1.3');
        assert.equal('signature-input' in sent.headers, version === '1.3');

        const r = b.receivedShares('bob')[0]!;
        assert.equal(r.signedBy !== undefined, version === '1.2' || version === '1.3');
        const file = await b.readShare(r.id, { path: 'spec.txt' });
        assert.deepEqual([file.status, file.text], [200, 'open cloud mesh']);
        const put = await b.readShare(r.id, { method: 'PUT', path: 'new.txt', body: 'x' });
        assert.equal(put.status, 403, 'read-only share refuses PUT');

        assert.equal((await b.acceptShare(r.id)).status, 201);
        assert.equal(a.state.sent.get(share!.providerId)?.state, 'accepted');
        assert.equal((await a.unshare(share!.providerId)).status, 201);
        assert.equal(b.receivedShares().length, 0);
        assert.equal((await b.readShare(r.id).catch(() => undefined)) === undefined, true);
      },
    ));
}

test('OCM 1.2: top-level code exchanged at <endPoint>/token (JSON, signed), then Bearer access', () =>
  pair(
    { version: '1.2', ...users('alice', 'Alice') },
    { version: '1.2', ...users('bob', 'Bob') },
    async (a, b) => {
      a.addFile('alice', 'data.csv', 'a,b');
      await a.shareWith({
        owner: 'alice',
        path: 'data.csv',
        shareWith: b.address('bob'),
        useCode: true,
      });
      const r = b.receivedShares('bob')[0]!;
      assert.equal(r.webdav.sharedSecret, undefined);
      assert.equal((await b.readShare(r.id)).text, 'a,b');
      assert.deepEqual(
        b.exchanges.map((e) => [e.url, e.status]),
        [[`${a.endPoint}/token`, 200]],
      );
      const tokenReq = a.received.find((q) => q.path === '/ocm/token')!;
      assert.equal((tokenReq.body as { grant_type: string }).grant_type, 'ocm_authorization_code');
      assert.match(
        tokenReq.headers.signature ?? '',
        /keyId="http:\/\/127\.0\.0\.1:\d+\/ocm#signature"/,
      );
      await b.readShare(r.id);
      assert.equal(b.exchanges.length, 1, 'the token is cached until it expires');
    },
  ));

test('OCM 1.3: receiver criteria must-exchange-token → requirement sent, form token exchange, secret refused', () =>
  pair(
    { version: '1.3', ...users('alice', 'Alice') },
    {
      version: '1.3',
      ...users('bob', 'Bob'),
      criteria: ['must-use-http-sig', 'must-exchange-token'],
    },
    async (a, b) => {
      a.addFile('alice', 'report.pdf', 'PDF');
      const { result } = await a.shareWith({
        owner: 'alice',
        path: 'report.pdf',
        shareWith: b.address('bob'),
      });
      assert.equal(result.status, 201);
      const r = b.receivedShares('bob')[0]!;
      assert.deepEqual(r.webdav.requirements, ['must-exchange-token']);
      assert.equal((await b.readShare(r.id)).text, 'PDF');
      const tokenReq = a.received.find((q) => q.path === '/ocm/token')!;
      assert.equal(tokenReq.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(tokenReq.body, {
        grant_type: 'authorization_code',
        client_id: b.host,
        code: r.webdav.sharedSecret,
      });
      assert.match(
        tokenReq.headers['signature-input'] ?? '',
        /^ocm=\("@method" "@target-uri" "content-digest" "content-length" "date"\)/,
      );
      const direct = await b.client.request({
        method: 'GET',
        url: `${a.url}/webdav/${r.webdav.uri ?? ''}`,
        headers: { authorization: `Bearer ${r.webdav.sharedSecret ?? ''}` },
      });
      assert.equal(direct.status, 401, 'the plain secret is no good once exchange is required');
    },
  ));

test('OCM 1.3 without the requirement: exchange is tried (sender offers exchange-token) and works', () =>
  pair(
    { version: '1.3', ...users('alice', 'Alice') },
    { version: '1.3', ...users('bob', 'Bob') },
    async (a, b) => {
      a.addFile('alice', 'x.txt', 'x');
      await a.shareWith({ owner: 'alice', path: 'x.txt', shareWith: b.address('bob') });
      const r = b.receivedShares('bob')[0]!;
      assert.deepEqual(r.webdav.requirements, []);
      assert.equal((await b.readShare(r.id)).text, 'x');
      assert.equal(b.exchanges[0]?.ok, true);
    },
  ));

for (const version of ['1.1', '1.2', '1.3'] as OcmVersion[]) {
  test(`OCM ${version}: invite flow (accept once, 409 on repeat, contacts on both sides)`, () =>
    pair(
      { version, ...users('alice', 'Alice') },
      { version, ...users('bob', 'Bob') },
      async (a, b) => {
        const invite = a.createInvite('alice');
        assert.equal(
          Buffer.from(invite.inviteString, 'base64').toString(),
          `${invite.token}@${a.host}`,
        );
        const res = await b.acceptInvite(invite, 'bob');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {
          userID: 'alice',
          email: 'alice@example.invalid',
          name: 'Alice',
        });
        const sent = a.received.find((q) => q.path === '/ocm/invite-accepted')!;
        assert.equal(
          (sent.body as { recipientProvider: string }).recipientProvider,
          version === '1.1' ? b.url : b.host,
        );
        assert.deepEqual(
          a.state.contacts.map((c) => c.address),
          [`bob@${b.host}`],
        );
        assert.deepEqual(
          b.state.contacts.map((c) => c.address),
          [`alice@${a.host}`],
        );
        assert.equal((await b.acceptInvite(invite.inviteString, 'bob')).status, 409);
        assert.equal(
          (await b.acceptInvite({ token: 'nope', providerDomain: a.host }, 'bob')).status,
          version === '1.1' ? 404 : 400,
        );
      },
    ));
}
