/** The flow 3 reader with fakes around it: which credentials go to the peer, when, and how often. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { generateKeyRecord } from '../../../adapters/keys/generate-key-record.ts';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import type { KeySet } from '../../../gateway/core/signatures/key-set.ts';
import type { ShareProtocolDetails, ShareRecord } from '../../../gateway/ports/ledger.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';
import type { PeerCapabilities } from '../../../gateway/ports/peer-discovery.ts';
import type {
  PeerHttpClient,
  PeerRequest,
  PeerResponseByExpect,
} from '../../../gateway/ports/peer-http.ts';
import {
  createPeerShareReader,
  UnknownShareError,
  type PeerShareRequest,
} from '../../../gateway/services/read-peer-share.ts';
import { shareProtocolDetails } from '../../../gateway/services/share-protocol-details.ts';

const PEER = 'cloud.example.org';
const SECRET = 'share-secret-Zq8vJ2kP';

let keySet: KeySet;
before(async () => {
  keySet = {
    keys: [
      await generateKeyRecord('ed25519', 'active', 0),
      await generateKeyRecord('rsa', 'active', 0),
    ],
  };
});

function record(
  protocol?: ShareProtocolDetails,
  overrides: Partial<ShareRecord> = {},
): ShareRecord {
  return {
    id: 'rec-1',
    alias: 1,
    direction: 'incoming',
    peerHost: PEER,
    providerId: 'p-1',
    backendShareId: '1',
    sharedSecret: SECRET,
    dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
    owner: `alice@${PEER}`,
    sender: `alice@${PEER}`,
    shareWith: 'bob@gw.example',
    resourceName: 'docs',
    state: 'accepted',
    ...(protocol !== undefined && { protocol }),
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

function capabilities(extra: Partial<PeerCapabilities> = {}): PeerCapabilities {
  return {
    peer: PEER,
    baseUrl: `https://${PEER}`,
    family: 'ocm',
    dialects: ['ocm-1.3'],
    endPoint: `https://${PEER}/ocm`,
    webdavPath: '/webdav/',
    webdavUrl: `https://${PEER}/webdav/`,
    resourceTypes: [],
    capabilities: [],
    criteria: [],
    keys: { publicKeys: [] },
    sources: {},
    warnings: [],
    ...extra,
  };
}

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string | undefined;
}

type Reply = { status: number; body?: string; headers?: Record<string, string>; json?: unknown };

class FakeClient implements PeerHttpClient {
  readonly sent: Sent[] = [];
  reply: (sent: Sent) => Reply = () => ({ status: 200, body: 'ok' });

  async request<E extends 'json' | 'text' | 'stream'>(
    request: PeerRequest<E>,
  ): Promise<PeerResponseByExpect[E]> {
    let body: string | undefined;
    if (typeof request.body === 'string') body = request.body;
    else if (request.body instanceof Uint8Array) body = Buffer.from(request.body).toString('utf8');
    else if (request.body !== undefined) body = await text(request.body);
    const sent: Sent = {
      method: request.method ?? 'GET',
      url: String(request.url),
      headers: request.headers ?? {},
      body,
    };
    this.sent.push(sent);
    const reply = this.reply(sent);
    const base = {
      status: reply.status,
      headers: reply.headers ?? {},
      url: String(request.url),
      redirects: 0,
      remoteAddress: '192.0.2.1',
    };
    if (request.expect === 'json') {
      const json = reply.json as never;
      return {
        ...base,
        kind: 'json',
        json,
        text: JSON.stringify(json),
      } as unknown as PeerResponseByExpect[E];
    }
    return {
      ...base,
      kind: 'stream',
      body: Readable.from([Buffer.from(reply.body ?? '')]),
    } as unknown as PeerResponseByExpect[E];
  }

  close(): void {}
}

const silent: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  http: () => undefined,
  debug: () => undefined,
  child: () => silent,
};

function setup(shares: ShareRecord[], peer = capabilities()) {
  const clock = { now: 1_000_000 };
  const client = new FakeClient();
  const store = new MemoryShortLivedStore({ clock: () => clock.now });
  const resolved: string[] = [];
  const read = createPeerShareReader({
    ledger: {
      findBySecret: (secret) => Promise.resolve(shares.find((s) => s.sharedSecret === secret)),
    },
    peers: {
      resolve: (ref) => {
        resolved.push(typeof ref === 'string' ? ref : ref.key);
        return Promise.resolve({ capabilities: peer });
      },
    },
    client,
    shortLived: store,
    keySet: () => keySet,
    publicUrl: 'https://gw.example',
    clock: () => clock.now,
    logger: silent,
  });
  return { read, client, store, clock, resolved };
}

function basic(user: string, password = ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function request(overrides: Partial<PeerShareRequest> = {}): PeerShareRequest {
  return {
    peerHost: PEER,
    method: 'GET',
    path: '/file.txt',
    query: '',
    headers: { authorization: basic(SECRET) },
    body: undefined,
    bodyLength: undefined,
    mountPath: `/peers/${PEER}/public.php/webdav`,
    ...overrides,
  };
}

const authOf = (sent: Sent): string => String(sent.headers.authorization);

describe('read-peer-share: finding the share', () => {
  test('no credentials, an unknown secret, another peer, an outgoing or unshared share: 401, peer untouched', async () => {
    const shares = [
      record(),
      record(undefined, { id: 'out', sharedSecret: 'outgoing-secret', direction: 'outgoing' }),
      record(undefined, { id: 'gone', sharedSecret: 'gone-secret', state: 'unshared' }),
    ];
    const { read, client, resolved } = setup(shares);
    const attempts: PeerShareRequest[] = [
      request({ headers: {} }),
      request({ headers: { authorization: basic('nope') } }),
      request({ peerHost: 'other.example.org' }),
      request({ headers: { authorization: basic('outgoing-secret') } }),
      request({ headers: { authorization: basic('gone-secret') } }),
    ];
    for (const attempt of attempts) {
      await assert.rejects(read(attempt), (error: unknown) => {
        assert.ok(error instanceof UnknownShareError);
        assert.equal(error.status, 401);
        assert.ok(!error.message.includes(SECRET));
        return true;
      });
    }
    assert.equal(client.sent.length, 0);
    assert.deepEqual(resolved, [], 'not even discovery ran');
  });

  test('a default port in the door matches the recorded peer', async () => {
    const { read, client } = setup([record()]);
    const answer = await read(request({ peerHost: `${PEER}:443` }));
    assert.equal(answer.status, 200);
    assert.equal(client.sent.length, 1);
  });

  test('discovery follows the sender address, with its install sub-path', async () => {
    const { read, resolved } = setup([record(undefined, { sender: `alice@${PEER}/nextcloud` })]);
    await read(request());
    assert.deepEqual(resolved, [`${PEER}/nextcloud`]);
  });
});

describe('read-peer-share: legacy Basic (ocm-versions §13 item 12)', () => {
  test('secret as user with an empty password at the WebDAV root, sub-path kept', async () => {
    const { read, client } = setup([record()]);
    await read(request({ path: '/dir/a%20b.txt', query: '?v=1' }));
    assert.equal(client.sent[0]?.url, `https://${PEER}/webdav/dir/a%20b.txt?v=1`);
    assert.equal(authOf(client.sent[0]), basic(SECRET));
  });

  test('on 401 the v1.0 form (secret as password too) is tried, and remembered', async () => {
    const { read, client } = setup([record()]);
    client.reply = (sent) =>
      authOf(sent) === basic(SECRET, SECRET)
        ? { status: 207, body: '<d:multistatus/>' }
        : { status: 401 };
    const first = await read(
      request({ method: 'PROPFIND', headers: { authorization: basic(SECRET), depth: '0' } }),
    );
    assert.equal(first.status, 207);
    assert.deepEqual(client.sent.map(authOf), [basic(SECRET), basic(SECRET, SECRET)]);
    await read(request());
    assert.equal(
      authOf(client.sent[2]!),
      basic(SECRET, SECRET),
      'the working form comes first now',
    );
    assert.equal(client.sent.length, 3);
  });

  test('a streamed (large) body is never sent twice: the 401 comes back', async () => {
    const { read, client } = setup([record()]);
    client.reply = () => ({ status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } });
    const answer = await read(
      request({
        method: 'PUT',
        body: Readable.from([Buffer.alloc(100_000, 1)]),
        bodyLength: 100_000,
      }),
    );
    assert.equal(answer.status, 401);
    assert.equal(client.sent.length, 1);
    assert.equal(answer.headers['www-authenticate'], `Basic realm="${PEER}", charset="UTF-8"`);
  });
});

describe('read-peer-share: Bearer and token exchange (ocm-versions §8)', () => {
  const uriShare = (protocol: ShareProtocolDetails = {}) =>
    record({ webdavUri: 'key-1', ...protocol });

  test('a 1.1+ share without exchange: Bearer secret at <root>/<uri>', async () => {
    const { read, client } = setup([uriShare()]);
    await read(request({ path: '/' }));
    assert.equal(client.sent[0]?.url, `https://${PEER}/webdav/key-1/`);
    assert.equal(authOf(client.sent[0]), `Bearer ${SECRET}`);
  });

  const exchanging = capabilities({ tokenEndPoint: `https://${PEER}/ocm/token` });

  test('must-exchange-token: one signed form exchange, cached, re-exchanged after a 401', async () => {
    const { read, client, clock } = setup(
      [uriShare({ requirements: ['must-exchange-token'] })],
      exchanging,
    );
    let issued = 0;
    let valid = new Set<string>();
    client.reply = (sent) => {
      if (sent.url.endsWith('/ocm/token')) {
        issued += 1;
        const token = `tok-${issued}`;
        valid.add(token);
        return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: 60 } };
      }
      return valid.has(authOf(sent).replace('Bearer ', ''))
        ? { status: 200, body: 'data' }
        : { status: 401 };
    };
    for (let i = 0; i < 3; i += 1) assert.equal((await read(request())).status, 200);
    assert.equal(issued, 1, 'exchanged once for three reads');
    const exchange = client.sent[0]!;
    assert.equal(
      exchange.body,
      'grant_type=authorization_code&client_id=gw.example&code=share-secret-Zq8vJ2kP',
    );
    assert.ok(String(exchange.headers['Signature-Input']).startsWith('ocm=('), 'RFC 9421 signed');
    assert.equal(exchange.headers['Content-Type'], 'application/x-www-form-urlencoded');
    assert.ok(client.sent.slice(1).every((s) => authOf(s) === 'Bearer tok-1'));

    valid = new Set(); // the peer revokes tok-1
    assert.equal((await read(request())).status, 200);
    assert.equal(issued, 2, 're-exchanged after the 401');
    assert.equal(authOf(client.sent.at(-1)!), 'Bearer tok-2');

    clock.now += 55_000; // past expires_in minus the margin: the cached token is not used
    assert.equal((await read(request())).status, 200);
    assert.equal(issued, 3);
    assert.ok(
      client.sent.every((s) => authOf(s) !== `Bearer ${SECRET}`),
      'never the plain secret',
    );
  });

  test('must-exchange-token and the peer refuses: 401, never the secret', async () => {
    const { read, client } = setup(
      [uriShare({ requirements: ['must-exchange-token'] })],
      exchanging,
    );
    client.reply = () => ({ status: 400, json: { error: 'invalid_grant' } });
    await assert.rejects(
      read(request()),
      (e: unknown) => e instanceof GatewayError && e.status === 401,
    );
    client.reply = () => ({ status: 503, json: {} });
    await assert.rejects(
      read(request()),
      (e: unknown) => e instanceof GatewayError && e.status === 503 && e.retryAfterSeconds === 30,
    );
    assert.equal(client.sent.filter((s) => !s.url.endsWith('/token')).length, 0);
  });

  test('must-exchange-token but no token endpoint anywhere: 502 without calling the peer', async () => {
    const { read, client } = setup([uriShare({ requirements: ['must-exchange-token'] })]);
    await assert.rejects(
      read(request()),
      (e: unknown) => e instanceof GatewayError && e.status === 502,
    );
    assert.equal(client.sent.length, 0);
  });

  test('exchange offered, not required: tried, and on failure the secret (then no retry for a while)', async () => {
    const { read, client } = setup(
      [uriShare()],
      capabilities({
        tokenEndPoint: `https://${PEER}/ocm/token`,
        capabilities: ['exchange-token'],
      }),
    );
    client.reply = (sent) =>
      sent.url.endsWith('/token')
        ? { status: 400, json: { error: 'invalid_grant' } }
        : { status: 200 };
    assert.equal((await read(request())).status, 200);
    assert.equal(authOf(client.sent[1]!), `Bearer ${SECRET}`);
    await read(request());
    assert.equal(client.sent.filter((s) => s.url.endsWith('/token')).length, 1);
  });

  test('a pre-1.2 code: JSON exchange at <endPoint>/token, cavage-signed when the peer has a cavage key', async () => {
    const { read, client } = setup(
      [uriShare({ code: 'the-code' })],
      capabilities({ keys: { publicKeys: [], cavage: { keyId: 'x', publicKeyPem: 'y' } } }),
    );
    client.reply = (sent) =>
      sent.url.endsWith('/token')
        ? { status: 200, json: { access_token: 'tok', token_type: 'bearer', expires_in: 60 } }
        : { status: 200 };
    await read(request());
    const exchange = client.sent[0]!;
    assert.equal(exchange.url, `https://${PEER}/ocm/token`);
    assert.deepEqual(JSON.parse(exchange.body ?? ''), {
      grant_type: 'ocm_authorization_code',
      client_id: 'gw.example',
      code: 'the-code',
    });
    assert.match(
      String(exchange.headers.Signature),
      /keyId="https:\/\/gw\.example\/ocm#signature"/,
    );
    assert.equal(authOf(client.sent[1]!), 'Bearer tok');
  });

  test('a token endpoint on a foreign host is not sent the secret', async () => {
    const { read, client } = setup(
      [uriShare({ requirements: ['must-exchange-token'] })],
      capabilities({ tokenEndPoint: 'https://evil.example.net/token' }),
    );
    await assert.rejects(
      read(request()),
      (e: unknown) => e instanceof GatewayError && e.status === 401,
    );
    assert.equal(client.sent.length, 0);
  });
});

describe('read-peer-share: request and answer mapping', () => {
  test('Destination is mapped into the share; outside it is refused', async () => {
    const { read, client } = setup([record({ webdavUri: 'key-1' })]);
    await read(
      request({
        method: 'MOVE',
        headers: {
          authorization: basic(SECRET),
          destination: `http://gw.internal:9300/peers/${PEER}/public.php/webdav/new%20name.txt`,
          overwrite: 'F',
        },
      }),
    );
    assert.equal(
      client.sent[0]?.headers.destination,
      `https://${PEER}/webdav/key-1/new%20name.txt`,
    );
    assert.equal(client.sent[0].headers.overwrite, 'F');
    await assert.rejects(
      read(
        request({
          method: 'COPY',
          headers: { authorization: basic(SECRET), destination: '/elsewhere/x' },
        }),
      ),
      (e: unknown) => e instanceof GatewayError && e.status === 400,
    );
  });

  test('a 207 has its hrefs and Location mapped; other bodies pass as they are', async () => {
    const { read, client } = setup([record({ webdavUri: 'key-1' })]);
    client.reply = (sent): Reply =>
      sent.method === 'PROPFIND'
        ? {
            status: 207,
            headers: { 'content-type': 'application/xml', 'content-length': '999', dav: '1, 3' },
            body: '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/webdav/key-1/a.txt</d:href></d:response></d:multistatus>',
          }
        : {
            status: 201,
            headers: { location: `https://${PEER}/webdav/key-1/new.txt` },
            body: '<d:href>/webdav/key-1/x</d:href>',
          };
    const propfind = await read(request({ method: 'PROPFIND', path: '/' }));
    assert.equal(client.sent[0]?.headers['accept-encoding'], 'identity');
    assert.equal(propfind.headers['content-length'], undefined);
    assert.equal(propfind.headers.dav, '1, 3');
    assert.equal(
      await text(propfind.body),
      `<d:multistatus xmlns:d="DAV:"><d:response><d:href>/peers/${PEER}/public.php/webdav/a.txt</d:href></d:response></d:multistatus>`,
    );
    const put = await read(
      request({ method: 'PUT', body: Readable.from(['hello']), bodyLength: 5 }),
    );
    assert.equal(put.headers.location, `/peers/${PEER}/public.php/webdav/new.txt`);
    assert.equal(await text(put.body), '<d:href>/webdav/key-1/x</d:href>');
    assert.equal(client.sent[1]?.body, 'hello');
  });

  test('a path climbing out of the share is refused before anything is sent', async () => {
    const { read, client } = setup([record({ webdavUri: 'key-1' })]);
    await assert.rejects(
      read(request({ path: '/%2e%2e/other' })),
      (e: unknown) => e instanceof GatewayError && e.status === 400,
    );
    assert.equal(client.sent.length, 0);
  });
});

test('shareProtocolDetails: what flow 1 records from a parsed share', () => {
  const base = {
    providerId: 'p',
    shareWith: 'bob@gw',
    name: 'n',
    owner: 'a@p',
    sender: 'a@p',
    shareType: 'user' as const,
    resourceType: 'file',
  };
  assert.equal(
    shareProtocolDetails({
      ...base,
      protocols: {
        webdav: { sharedSecret: 's', permissions: ['read'], requirements: [] },
        unknown: {},
      },
    }),
    undefined,
  );
  assert.deepEqual(
    shareProtocolDetails({
      ...base,
      code: 'c',
      protocols: {
        webdav: { uri: 'k', permissions: ['read'], requirements: ['must-exchange-token'] },
        unknown: {},
      },
    }),
    { webdavUri: 'k', requirements: ['must-exchange-token'], code: 'c' },
  );
});
