/**
 * Token endpoint over HTTP (ocm-versions §8): both request forms, every RFC 6749 error with its
 * status, no-store, the signature input handed to the authenticator, and no secret in any log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { ShareRecord } from '../../../gateway/ports/ledger.ts';
import { startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.ts';

const PEER = 'peer.example.net';
const SECRET = 'Secret-Of-Share-One-0001';
const OTHER_PEER_SECRET = 'Secret-Of-Another-Peer-02';
const INCOMING_SECRET = 'Secret-A-Peer-Gave-Us-003';
const UNSHARED_SECRET = 'Secret-Of-Ended-Share-004';

let gw: GatewayUnderTest;
let backend: http.Server;
let backendHits = 0;
let share: ShareRecord;

async function seed(
  peerHost: string,
  providerId: string,
  sharedSecret: string,
  direction: 'incoming' | 'outgoing' = 'outgoing',
): Promise<ShareRecord> {
  const { record } = await gw.ledger.shares.create({
    direction,
    peerHost,
    providerId,
    sharedSecret,
    dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
    owner: 'alice@cloud.example.org',
    sender: 'alice@cloud.example.org',
    shareWith: `bob@${peerHost}`,
    resourceName: 'report.txt',
  });
  return record;
}

before(async () => {
  backend = http.createServer((_req, res) => {
    backendHits += 1;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const { port } = backend.address() as AddressInfo;
  gw = await startGatewayUnderTest({ backendUrl: `http://127.0.0.1:${port}` });
  share = await seed(PEER, '1', SECRET);
  await seed('other.example.net', '2', OTHER_PEER_SECRET);
  await seed(PEER, '3', INCOMING_SECRET, 'incoming');
  const ended = await seed(PEER, '4', UNSHARED_SECRET);
  await gw.ledger.shares.update(ended.id, { state: 'unshared' });
});

after(async () => {
  await gw.close();
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

function post(body: string, contentType: string, path = '/ocm/token') {
  return fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

function form(fields: Record<string, string>): Promise<Response> {
  return post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
}

function json(fields: unknown): Promise<Response> {
  return post(JSON.stringify(fields), 'application/json');
}

const GOOD_FORM = { grant_type: 'authorization_code', client_id: PEER, code: SECRET };

async function expectOAuthError(
  res: Response,
  status: number,
  error: string,
): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.error, error);
  assert.equal(typeof body.error_description, 'string');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.ok(!JSON.stringify(body).includes(SECRET));
  return body;
}

describe('token endpoint: exchanges', () => {
  test('1.3 form: Bearer token bound to the share, the peer and our URL', async () => {
    gw.authenticator.verdict = { kind: 'signed-as-claimed' };
    const before = gw.authenticator.calls.length;
    const body = new URLSearchParams(GOOD_FORM).toString();
    const res = await post(body, 'application/x-www-form-urlencoded');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const answer = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(answer).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(answer.token_type, 'Bearer');
    assert.equal(answer.expires_in, 300);
    const token = answer.access_token as string;
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'at+jwt' });
    const claims = decodeJwt(token);
    assert.equal(claims.sub, share.id);
    assert.equal(claims.client_id, PEER);
    assert.equal(claims.aud, gw.publicUrl);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 300);
    assert.equal(claims.iat, Math.floor(gw.clock.now / 1000));
    assert.ok(!token.includes(SECRET) && !JSON.stringify(claims).includes(SECRET));

    // The authenticator saw the exact request a signature covers, and the client_id host.
    const call = gw.authenticator.calls[before];
    assert.ok(call !== undefined);
    assert.equal(call.claimedHost, PEER);
    assert.equal(call.request.method, 'POST');
    assert.equal(call.request.targetUri, 'https://cloud.example.org/ocm/token');
    assert.equal(Buffer.from(call.request.body).toString(), body);
    assert.equal(call.request.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  test('pre-1.2 JSON: ocm_authorization_code answered with lowercase bearer', async () => {
    const res = await json({ grant_type: 'ocm_authorization_code', client_id: PEER, code: SECRET });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as Record<string, unknown>;
    assert.equal(answer.token_type, 'bearer');
    assert.equal(answer.expires_in, 300);
    assert.equal(decodeJwt(answer.access_token as string).sub, share.id);
  });

  test('every exchange gives a fresh token id; unsigned peers pass when policy allows', async () => {
    gw.authenticator.verdict = { kind: 'unsigned' };
    const a = (await (await form(GOOD_FORM)).json()) as { access_token: string };
    const b = (await (await form(GOOD_FORM)).json()) as { access_token: string };
    assert.notEqual(decodeJwt(a.access_token).jti, decodeJwt(b.access_token).jti);
    gw.authenticator.verdict = { kind: 'signed-as-claimed' };
  });

  test('client_id is compared as a host: case and an https:// prefix do not matter', async () => {
    const res = await form({ ...GOOD_FORM, client_id: 'https://Peer.Example.NET' });
    assert.equal(res.status, 200);
    assert.equal(gw.authenticator.calls.at(-1)?.claimedHost, PEER);
  });
});

describe('token endpoint: RFC 6749 errors', () => {
  test('invalid_request (400): missing fields, bad JSON, repeated or unusable parameters', async () => {
    const calls = gw.authenticator.calls.length;
    await expectOAuthError(
      await form({ grant_type: 'authorization_code', client_id: PEER }),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await form({ grant_type: 'authorization_code', code: SECRET }),
      400,
      'invalid_request',
    );
    await expectOAuthError(await form({ client_id: PEER, code: SECRET }), 400, 'invalid_request');
    await expectOAuthError(
      await post('{"grant_type":', 'application/json'),
      400,
      'invalid_request',
    );
    await expectOAuthError(await json(['not', 'an', 'object']), 400, 'invalid_request');
    await expectOAuthError(
      await post(
        `${new URLSearchParams(GOOD_FORM).toString()}&code=other`,
        'application/x-www-form-urlencoded',
      ),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await form({ ...GOOD_FORM, client_id: 'not a host/!' }),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await post(new URLSearchParams(GOOD_FORM).toString(), 'text/plain'),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await post('', 'application/x-www-form-urlencoded'),
      400,
      'invalid_request',
    );
    // Nothing malformed reaches the authenticator (or the ledger).
    assert.equal(gw.authenticator.calls.length, calls);
  });

  test('unsupported_grant_type (400)', async () => {
    await expectOAuthError(
      await form({ ...GOOD_FORM, grant_type: 'password' }),
      400,
      'unsupported_grant_type',
    );
    await expectOAuthError(
      await json({ ...GOOD_FORM, grant_type: 'refresh_token' }),
      400,
      'unsupported_grant_type',
    );
  });

  test('invalid_client (401): bad signature, or signed by another server than client_id', async () => {
    gw.authenticator.verdict = { kind: 'throw', code: 'UNAUTHENTICATED' };
    await expectOAuthError(await form(GOOD_FORM), 401, 'invalid_client');
    gw.authenticator.verdict = { kind: 'signed-by', host: 'evil.example.com' };
    await expectOAuthError(await form(GOOD_FORM), 401, 'invalid_client');
    gw.authenticator.verdict = { kind: 'signed-as-claimed' };
  });

  test('unauthorized_client (400): the authenticator forbids this server', async () => {
    gw.authenticator.verdict = { kind: 'throw', code: 'FORBIDDEN' };
    await expectOAuthError(await form(GOOD_FORM), 400, 'unauthorized_client');
    gw.authenticator.verdict = { kind: 'signed-as-claimed' };
  });

  test("invalid_grant (400): unknown code, another peer's share, an incoming or ended share", async () => {
    await expectOAuthError(
      await form({ ...GOOD_FORM, code: 'no-such-secret' }),
      400,
      'invalid_grant',
    );
    await expectOAuthError(
      await form({ ...GOOD_FORM, code: OTHER_PEER_SECRET }),
      400,
      'invalid_grant',
    );
    await expectOAuthError(
      await form({ ...GOOD_FORM, code: INCOMING_SECRET }),
      400,
      'invalid_grant',
    );
    await expectOAuthError(
      await form({ ...GOOD_FORM, code: UNSHARED_SECRET }),
      400,
      'invalid_grant',
    );
  });

  test('keys unavailable: 503 with Retry-After, nothing issued', async () => {
    gw.authenticator.verdict = { kind: 'throw', code: 'UNAVAILABLE' };
    const res = await form(GOOD_FORM);
    await expectOAuthError(res, 503, 'temporarily_unavailable');
    assert.equal(res.headers.get('retry-after'), '7');
    gw.authenticator.verdict = { kind: 'signed-as-claimed' };
  });

  test('only POST; an oversized body is refused before it is read', async () => {
    const get = await fetch(`${gw.url}/ocm/token`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const huge = await form({ ...GOOD_FORM, padding: 'x'.repeat(70 * 1024) });
    await expectOAuthError(huge, 413, 'invalid_request');
  });
});

describe('token endpoint: hygiene', () => {
  test('nothing reached the backend, and no secret or token is in any log line', async () => {
    const res = await form(GOOD_FORM);
    const { access_token: token } = (await res.json()) as { access_token: string };
    assert.equal(backendHits, 0);
    const logs = gw.logs.join('\n');
    assert.ok(gw.logs.length > 0);
    for (const secret of [SECRET, OTHER_PEER_SECRET, INCOMING_SECRET, UNSHARED_SECRET, token]) {
      assert.ok(!logs.includes(secret));
    }
  });
});
