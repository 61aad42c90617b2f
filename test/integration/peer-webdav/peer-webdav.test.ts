/**
 * Peers reading what the backend shared with them (DESIGN §3 flow 5), through the real pass-through
 * to a simulated Nextcloud 13 (legacy-protocols §1.10: Basic with the share token as user):
 * Basic unchanged, Bearer secret (OCM 1.1+), Bearer exchanged token (ocm-versions §5, §8);
 * PROPFIND/GET/Range/PUT/MKCOL/DELETE; expiry, binding to one share, refusals that never reach
 * the backend.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { startLegacyServer, type LegacyServer } from '../../sim/index.ts';
import type { ShareRecord } from '../../../gateway/ports/ledger.ts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../token/gateway-under-test.ts';

const PEER = 'peer.example.net';
const OTHER_PEER = 'other.example.net';
const TOKEN_A = 'ShareTokenAAAA1';
const TOKEN_B = 'ShareTokenBBBB2';
const FILE_TEXT = 'The quick brown fox jumps over the lazy dog.';

let legacy: LegacyServer;
let gw: GatewayUnderTest;
let shareA: ShareRecord;
let shareB: ShareRecord;

function basic(user: string): string {
  return `Basic ${Buffer.from(`${user}:`).toString('base64')}`;
}

async function seedLedger(
  peerHost: string,
  sharedSecret: string,
  id: string,
): Promise<ShareRecord> {
  const { record } = await gw.ledger.shares.create({
    direction: 'outgoing',
    peerHost,
    providerId: id,
    sharedSecret,
    dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
    owner: 'alice@cloud.example.org',
    sender: 'alice@cloud.example.org',
    shareWith: `bob@${peerHost}`,
    resourceName: id,
  });
  return record;
}

async function exchange(code: string, clientId = PEER): Promise<string> {
  const res = await fetch(`${gw.url}/ocm/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function dav(
  path: string,
  authorization: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return fetch(`${gw.url}/public.php/webdav${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization, ...init.headers },
    ...(init.body !== undefined && { body: init.body }),
  });
}

/** What the backend received for the last WebDAV request. */
function lastBackendAuthorization(): string | undefined {
  const webdav = legacy.received.filter((r) => r.path.includes('/public.php/webdav'));
  return webdav.at(-1)?.headers.authorization;
}

before(async () => {
  legacy = await startLegacyServer({
    flavour: 'nextcloud13',
    basePath: '/nextcloud',
    users: { alice: 'Alice' },
  });
  legacy.addFolder('alice', '/Project');
  legacy.addFile('alice', '/Project/notes.txt', FILE_TEXT);
  legacy.addFile('alice', '/report.txt', 'report of share B');
  legacy.seedShare({ owner: 'alice', path: '/Project', shareWith: `bob@${PEER}`, token: TOKEN_A });
  legacy.seedShare({
    owner: 'alice',
    path: '/report.txt',
    shareWith: `carol@${OTHER_PEER}`,
    token: TOKEN_B,
    permissions: 1,
  });
  gw = await startGatewayUnderTest({ backendUrl: legacy.url });
  shareA = await seedLedger(PEER, TOKEN_A, 'a');
  shareB = await seedLedger(OTHER_PEER, TOKEN_B, 'b');
});

after(async () => {
  await gw.close();
  await legacy.close();
});

describe('peer WebDAV: the three credentials', () => {
  test('legacy Basic with the secret as user goes to the backend unchanged', async () => {
    const res = await dav('/', basic(TOKEN_A), { method: 'PROPFIND', headers: { depth: '1' } });
    assert.equal(res.status, 207);
    assert.match(await res.text(), /notes\.txt/);
    assert.equal(lastBackendAuthorization(), basic(TOKEN_A));
    // Basic is the backend's business: an unknown token is its 401, not ours.
    const unknown = await dav('/', basic('NoSuchToken'), { method: 'PROPFIND' });
    assert.equal(unknown.status, 401);
    assert.match(unknown.headers.get('www-authenticate') ?? '', /^Basic/);
  });

  test('Bearer <sharedSecret> becomes Basic <backend token>', async () => {
    const res = await dav('/', `Bearer ${TOKEN_A}`, {
      method: 'PROPFIND',
      headers: { depth: '1' },
    });
    assert.equal(res.status, 207);
    assert.match(await res.text(), /notes\.txt/);
    assert.equal(lastBackendAuthorization(), basic(TOKEN_A));
    const lower = await dav('/notes.txt', `bearer ${TOKEN_A}`);
    assert.equal(await lower.text(), FILE_TEXT);
  });

  test('Bearer <exchanged token>: PROPFIND, GET, Range, PUT, MKCOL, DELETE', async () => {
    const token = await exchange(TOKEN_A);
    const auth = `Bearer ${token}`;
    const listing = await dav('/', auth, { method: 'PROPFIND', headers: { depth: '1' } });
    assert.equal(listing.status, 207);
    assert.match(await listing.text(), /notes\.txt/);
    assert.equal(lastBackendAuthorization(), basic(TOKEN_A));

    const whole = await dav('/notes.txt', auth);
    assert.equal(whole.status, 200);
    assert.equal(await whole.text(), FILE_TEXT);

    const part = await dav('/notes.txt', auth, { headers: { range: 'bytes=4-8' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 4-8/${FILE_TEXT.length}`);
    assert.equal(await part.text(), 'quick');

    const put = await dav('/upload.txt', auth, { method: 'PUT', body: 'written by the peer' });
    assert.ok(put.status === 201 || put.status === 204, String(put.status));
    assert.equal(
      legacy.state.files('alice').get('/Project/upload.txt')?.content.toString(),
      'written by the peer',
    );
    assert.equal((await dav('/sub', auth, { method: 'MKCOL' })).status, 201);
    assert.equal((await dav('/upload.txt', auth, { method: 'DELETE' })).status, 204);
    assert.equal(legacy.state.files('alice').get('/Project/upload.txt'), undefined);
  });
});

describe('peer WebDAV: refusals never reach the backend', () => {
  async function expectInvalidToken(authorization: string): Promise<void> {
    const count = legacy.received.length;
    const res = await dav('/', authorization, { method: 'PROPFIND' });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(legacy.received.length, count, 'the backend was asked');
  }

  test('unknown secret, malformed Bearer, foreign JWT', async () => {
    await expectInvalidToken('Bearer NoSuchSecret');
    await expectInvalidToken('Bearer');
    await expectInvalidToken('Bearer two words');
    const foreign = await new SignJWT({ client_id: PEER })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(shareA.id)
      .setAudience(gw.publicUrl)
      .setIssuer(gw.publicUrl)
      .setIssuedAt(Math.floor(gw.clock.now / 1000))
      .setExpirationTime(Math.floor(gw.clock.now / 1000) + 300)
      .setJti('forged')
      .sign(new TextEncoder().encode('a key that is not the gateway key!!'));
    await expectInvalidToken(`Bearer ${foreign}`);
  });

  test('a token is bound to one share: A never opens B', async () => {
    const tokenA = await exchange(TOKEN_A);
    const tokenB = await exchange(TOKEN_B, OTHER_PEER);
    assert.equal(await (await dav('/', `Bearer ${tokenB}`)).text(), 'report of share B');
    assert.equal(lastBackendAuthorization(), basic(TOKEN_B));
    // With A's token the request is A's: B's file is simply not there.
    const viaA = await dav('/report.txt', `Bearer ${tokenA}`);
    assert.equal(viaA.status, 404);
    assert.equal(lastBackendAuthorization(), basic(TOKEN_A));
    // Swapping the payload to B's share breaks the signature.
    const [header, payload, signature] = tokenA.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: shareB.id })).toString('base64url');
    await expectInvalidToken(`Bearer ${header}.${forged}.${signature}`);
  });

  test('expiry: a token works until expires_in, and a replay after it is refused', async () => {
    const issuedAt = gw.clock.now;
    const token = await exchange(TOKEN_A);
    gw.clock.now = issuedAt + 299_000;
    assert.equal((await dav('/notes.txt', `Bearer ${token}`)).status, 200);
    gw.clock.now = issuedAt + 300_000;
    await expectInvalidToken(`Bearer ${token}`);
    gw.clock.now = issuedAt + 3_600_000;
    await expectInvalidToken(`Bearer ${token}`);
    gw.clock.now = issuedAt;
  });

  test('an unshared share closes its secret and every token issued for it', async () => {
    const { record } = await gw.ledger.shares.create({
      direction: 'outgoing',
      peerHost: PEER,
      providerId: 'c',
      sharedSecret: TOKEN_A.replace('A', 'C'),
      dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
      owner: 'alice@cloud.example.org',
      sender: 'alice@cloud.example.org',
      shareWith: `bob@${PEER}`,
      resourceName: 'c',
    });
    const token = await exchange(record.sharedSecret);
    await gw.ledger.shares.update(record.id, { state: 'unshared' });
    await expectInvalidToken(`Bearer ${token}`);
    await expectInvalidToken(`Bearer ${record.sharedSecret}`);
  });

  test('no secret or token appears in the gateway log', () => {
    const logs = gw.logs.join('\n');
    assert.ok(gw.logs.length > 0);
    for (const secret of [TOKEN_A, TOKEN_B, Buffer.from(`${TOKEN_A}:`).toString('base64')]) {
      assert.ok(!logs.includes(secret), secret);
    }
    assert.ok(!/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./.test(logs), 'a JWT was logged');
  });
});
