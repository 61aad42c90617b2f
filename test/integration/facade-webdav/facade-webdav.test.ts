/**
 * Flow 3 end to end against OCM peer simulators: a peer shares a folder with a user of ours, the
 * share is recorded as flow 1 would, and the backend reads and writes it through the facade
 * (`/peers/<host>/public.php/webdav/…`) and through the forward proxy (`http://<peer>/public.php/webdav/…`)
 * with each auth form the peers demand: legacy Basic (1.0), Bearer secret (1.1 absolute uri,
 * 1.2 relative uri), pre-1.2 code exchange (1.2) and must-exchange-token (1.3).
 */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DialectId } from '../../../gateway/core/model/dialect-id.ts';
import type { ShareRecord } from '../../../gateway/ports/ledger.ts';
import { startOcmPeer, type OcmPeer, type OcmVersion, type ShareRequest } from '../../sim/index.ts';
import { startFacadeHarness, type FacadeHarness } from './facade-harness.ts';

const README = '0123456789abcdefghij';

interface SharedFolder {
  readonly peer: OcmPeer;
  readonly record: ShareRecord;
  /** The facade mount for this peer. */
  readonly base: string;
}

let h: FacadeHarness;
const peers: OcmPeer[] = [];

before(async () => {
  h = await startFacadeHarness();
});

after(async () => {
  await Promise.all(peers.map((p) => p.close()));
  await h.close();
});

async function sharedFolder(
  version: OcmVersion,
  request: Partial<ShareRequest> = {},
  peerOptions: { criteria?: string[] } = {},
): Promise<SharedFolder> {
  const peer = await startOcmPeer({
    version,
    users: { alice: 'Alice' },
    schemes: ['http'],
    ...peerOptions,
  });
  peers.push(peer);
  peer.addFolder('alice', '/docs');
  peer.addFile('alice', '/docs/readme.txt', README);
  peer.addFile('alice', '/docs/a b.txt', 'spaced');
  const { result } = await peer.shareWith({
    owner: 'alice',
    path: '/docs',
    shareWith: `bob@${h.ourHost}`,
    permissions: 15,
    ...request,
  });
  assert.ok(result.ok, JSON.stringify(result));
  const body = h.sharesReceived.at(-1);
  const dialect = `ocm-${version}` as DialectId;
  // A code-only share (1.2) gives the backend no secret: the gateway hands it one of its own.
  const secret = request.useCode === true ? randomBytes(18).toString('base64url') : undefined;
  const record = await h.recordShare(peer, body, dialect, secret);
  return { peer, record, base: `/peers/${peer.host}/public.php/webdav` };
}

function tokenRequests(peer: OcmPeer): number {
  return peer.received.filter((r) => r.method === 'POST' && r.path === '/ocm/token').length;
}

function webdavRequests(peer: OcmPeer): number {
  return peer.received.filter((r) => r.path.startsWith('/webdav')).length;
}

/** PROPFIND 0/1 (hrefs mapped), GET, GET with Range, PUT then GET: the backend's mount at work. */
async function exerciseShare(
  shared: SharedFolder,
  base = shared.base,
  hrefBase = base,
): Promise<void> {
  const secret = shared.record.sharedSecret;
  const depth0 = await h.send('PROPFIND', `${base}/`, { secret, headers: { depth: '0' } });
  assert.equal(depth0.status, 207, depth0.text);
  assert.ok(depth0.text.includes(`<d:href>${hrefBase}/</d:href>`), depth0.text);
  assert.ok(!/<d:href>\/webdav/.test(depth0.text), 'no peer path is left');
  assert.match(depth0.text, /<ocs:share-permissions>15<\/ocs:share-permissions>/);

  const depth1 = await h.send('PROPFIND', `${base}/`, { secret, headers: { depth: '1' } });
  assert.equal(depth1.status, 207);
  const hrefs = [...depth1.text.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => m[1]);
  assert.deepEqual(
    hrefs.sort(),
    [`${hrefBase}/`, `${hrefBase}/a%20b.txt`, `${hrefBase}/readme.txt`].sort(),
  );

  const get = await h.send('GET', `${base}/readme.txt`, { secret });
  assert.equal(get.status, 200);
  assert.equal(get.text, README);
  assert.ok(get.headers.etag !== undefined);

  const range = await h.send('GET', `${base}/readme.txt`, {
    secret,
    headers: { range: 'bytes=2-5' },
  });
  assert.equal(range.status, 206);
  assert.equal(range.headers['content-range'], `bytes 2-5/${README.length}`);
  assert.equal(range.text, '2345');

  const spaced = await h.send('GET', `${base}/a%20b.txt`, { secret });
  assert.equal(spaced.text, 'spaced');

  const content = `written through the gateway ${randomBytes(4).toString('hex')}`;
  const put = await h.send('PUT', `${base}/new.txt`, { secret, body: content });
  assert.equal(put.status, 201, put.text);
  assert.equal((await h.send('GET', `${base}/new.txt`, { secret })).text, content);
  const onPeer = shared.peer.state.files('alice').get('/docs/new.txt');
  assert.equal(onPeer?.content.toString(), content);
}

function assertNothingSecretLogged(...secrets: string[]): void {
  const all = h.logs.join('\n');
  for (const secret of secrets) assert.ok(!all.includes(secret), 'a secret or token was logged');
}

describe('facade WebDAV: each auth form', () => {
  test('OCM 1.0 legacy share: Basic with the secret at the peer WebDAV root', async () => {
    const shared = await sharedFolder('1.0');
    assert.equal(shared.record.protocol, undefined, 'a legacy options share records no uri');
    await exerciseShare(shared);
    const auth = shared.peer.received.find((r) => r.path.startsWith('/webdav'))?.headers
      .authorization;
    assert.equal(auth, `Basic ${Buffer.from(`${shared.record.sharedSecret}:`).toString('base64')}`);
    assertNothingSecretLogged(shared.record.sharedSecret);
  });

  test('OCM 1.1 share with an absolute uri: Bearer secret', async () => {
    const shared = await sharedFolder('1.1');
    assert.match(shared.record.protocol?.webdavUri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/webdav\//);
    await exerciseShare(shared);
    const auth = shared.peer.received.find((r) => r.path.startsWith('/webdav'))?.headers
      .authorization;
    assert.equal(auth, `Bearer ${shared.record.sharedSecret}`);
  });

  test('OCM 1.2 share with a relative uri: Bearer secret below the discovered root', async () => {
    const shared = await sharedFolder('1.2');
    assert.doesNotMatch(shared.record.protocol?.webdavUri ?? '', /^http/);
    await exerciseShare(shared);
    assert.equal(tokenRequests(shared.peer), 0);
  });

  test('OCM 1.2 share offered by code: a cavage-signed JSON exchange at <endPoint>/token', async () => {
    const shared = await sharedFolder('1.2', { useCode: true });
    const code = shared.record.protocol?.code;
    assert.ok(code !== undefined);
    await exerciseShare(shared);
    assert.equal(tokenRequests(shared.peer), 1, 'one exchange for the whole session');
    const exchange = shared.peer.received.find((r) => r.path === '/ocm/token');
    assert.match(
      exchange?.headers.signature ?? '',
      /keyId="http:\/\/127\.0\.0\.1:\d+\/ocm#signature"/,
    );
    assert.deepEqual(exchange?.body, {
      grant_type: 'ocm_authorization_code',
      client_id: h.ourHost,
      code,
    });
    assertNothingSecretLogged(code, ...shared.peer.state.tokens.keys());
  });

  test('OCM 1.3 must-exchange-token: exchanged once (RFC 9421 signed), cached, re-exchanged after a 401', async () => {
    const shared = await sharedFolder(
      '1.3',
      { requireTokenExchange: true },
      { criteria: ['must-use-http-sig', 'must-exchange-token'] },
    );
    assert.deepEqual(shared.record.protocol?.requirements, ['must-exchange-token']);
    await exerciseShare(shared);
    assert.equal(tokenRequests(shared.peer), 1);
    const exchange = shared.peer.received.find((r) => r.path === '/ocm/token');
    assert.ok(exchange !== undefined);
    assert.equal(exchange.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.match(exchange.headers['signature-input'] ?? '', /^ocm=\(/);
    const webdavAuth = shared.peer.received
      .filter((r) => r.path.startsWith('/webdav'))
      .map((r) => r.headers.authorization);
    assert.ok(webdavAuth.every((a) => a !== `Bearer ${shared.record.sharedSecret}`));
    const issued = [...shared.peer.state.tokens.keys()];

    // The peer forgets (revokes) its tokens: the cached one is refused once, then replaced.
    shared.peer.state.tokens.clear();
    const before401 = webdavRequests(shared.peer);
    const again = await h.send('GET', `${shared.base}/readme.txt`, {
      secret: shared.record.sharedSecret,
    });
    assert.equal(again.status, 200);
    assert.equal(again.text, README);
    assert.equal(tokenRequests(shared.peer), 2);
    assert.equal(webdavRequests(shared.peer) - before401, 2, 'refused once, then served');
    assertNothingSecretLogged(
      shared.record.sharedSecret,
      ...issued,
      ...shared.peer.state.tokens.keys(),
    );
  });
});

describe('facade WebDAV: refusals', () => {
  test('a peer the backend addressed with an install sub-path (/peers/<host>/nextcloud/…) is served the same', async () => {
    const shared = await sharedFolder('1.2');
    const base = `/peers/${shared.peer.host}/nextcloud/public.php/webdav`;
    await exerciseShare(shared, base);
    const deeper = `/peers/${shared.peer.host}/cloud/nc/public.php/webdav`;
    const get = await h.send('GET', `${deeper}/readme.txt`, {
      secret: shared.record.sharedSecret,
    });
    assert.equal(get.status, 200);
    assert.equal(get.text, README);
  });

  test('a wrong secret gets 401 with a Basic challenge, and nothing reaches the peer', async () => {
    const shared = await sharedFolder('1.2');
    const seen = shared.peer.received.length;
    for (const secret of ['wrong-secret', undefined]) {
      const reply = await h.send('PROPFIND', `${shared.base}/`, {
        ...(secret !== undefined && { secret }),
        headers: { depth: '0' },
      });
      assert.equal(reply.status, 401);
      assert.match(String(reply.headers['www-authenticate']), /^Basic realm="/);
      assert.match(reply.text, /Sabre\\DAV\\Exception\\NotAuthenticated/);
    }
    assert.equal(shared.peer.received.length, seen);
  });

  test("peer A's secret under /peers/<B>/ is refused; neither peer is called", async () => {
    const a = await sharedFolder('1.2');
    const b = await sharedFolder('1.1');
    const seenA = a.peer.received.length;
    const seenB = b.peer.received.length;
    const reply = await h.send('GET', `${b.base}/readme.txt`, { secret: a.record.sharedSecret });
    assert.equal(reply.status, 401);
    assert.equal(a.peer.received.length, seenA);
    assert.equal(b.peer.received.length, seenB);
  });

  test('a path climbing out of the share is refused', async () => {
    const shared = await sharedFolder('1.2');
    const reply = await h.send('GET', `${shared.base}/%2e%2e/%2e%2e/ocm/shares`, {
      secret: shared.record.sharedSecret,
    });
    assert.equal(reply.status, 400);
  });
});

describe('forward proxy door: an early-OCM backend calls the peer host itself', () => {
  test('http://<peer>/public.php/webdav/ is served exactly as the facade serves it', async () => {
    const shared = await sharedFolder(
      '1.3',
      { requireTokenExchange: true },
      { criteria: ['must-exchange-token'] },
    );
    // The backend used the peer's path: hrefs come back under it, not under the real /webdav/<key>.
    await exerciseShare(
      shared,
      `http://${shared.peer.host}/public.php/webdav`,
      '/public.php/webdav',
    );
    assert.equal(tokenRequests(shared.peer), 1);
  });

  test('an unknown token through the proxy is passed to the peer untouched (fallback)', async () => {
    const shared = await sharedFolder('1.2');
    const reply = await h.send('GET', `http://${shared.peer.host}/public.php/webdav/readme.txt`, {
      secret: 'not-a-gateway-share',
    });
    const forwarded = shared.peer.received.at(-1);
    assert.equal(forwarded?.path, '/public.php/webdav/readme.txt');
    assert.equal(reply.status, 404, 'the simulator has no such path');
  });
});
