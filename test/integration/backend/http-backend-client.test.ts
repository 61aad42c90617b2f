/** The backend client against a scripted loopback backend: answer shapes, refusals, transport failures. */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBackendTransport } from '../../../adapters/backend/backend-transport.ts';
import { createHttpBackendClient } from '../../../adapters/backend/http-backend-client.ts';
import { decideBackendProfile, type BackendProfile } from '../../../gateway/core/backend/index.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import type { DialectId } from '../../../gateway/core/model/dialect-id.ts';
import { closedPortUrl } from '../../sim/legacy/legacy-test-kit.ts';
import { notification } from './backend-rig.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const seen: { method: string; url: string; body: string; type: string | undefined }[] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        type: req.headers['content-type'],
      });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sub`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
});

function reply(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, _body, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

function profile(dialect: DialectId, overrides: Partial<BackendProfile> = {}) {
  const failed = { kind: 'failed', url: base, failure: 'unreachable' } as const;
  const decided = decideBackendProfile({
    probes: { ocmProvider: failed, ocsProvider: failed, statusPhp: failed },
    backendUrl: base,
    forced: dialect,
    now: 0,
  }).profile;
  const p: BackendProfile = { ...decided, status: 'known', ...overrides };
  return { current: () => p, refresh: () => Promise.resolve(p) };
}

function client(
  dialect: DialectId,
  overrides: Partial<BackendProfile> = {},
  timeouts = { connectTimeoutMs: 1_000, totalTimeoutMs: 2_000, maxBodyBytes: 4_096 },
  backendUrl = base,
) {
  const transport = createBackendTransport(timeouts);
  const c = createHttpBackendClient({
    backendUrl,
    publicUrl: 'https://cloud.example.org',
    facadeBaseUrl: 'http://127.0.0.1:9300',
    profile: profile(dialect, overrides),
    transport,
  });
  return { c, close: () => transport.close() };
}

const share = {
  providerId: '5',
  shareWith: 'bob@cloud.example.org',
  name: 'Docs',
  owner: 'alice@peer.example.net',
  sender: 'alice@peer.example.net',
  shareType: 'user',
  resourceType: 'file',
  protocols: { webdav: { sharedSecret: 'Tok3n', permissions: [], requirements: [] }, unknown: {} },
  legacy: { remoteId: 5 },
} as const;

const xml = (code: number, message = '') =>
  `<?xml version="1.0"?>\n<ocs>\n <meta>\n  <status>${code === 100 ? 'ok' : 'failure'}</status>\n  <statuscode>${code}</statuscode>\n  <message>${message}</message>\n </meta>\n <data/>\n</ocs>\n`;

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('http backend client', () => {
  test('OCS v1 answered in XML: success, and a refusal read from meta.statuscode', async () => {
    const { c, close } = client('ocs-v1');
    try {
      handler = reply(200, xml(100), { 'content-type': 'text/xml; charset=UTF-8' });
      const created = await c.createShare({ share, peerHost: '[::1]:8443' });
      assert.equal(created.recipientDisplayName, 'bob');
      assert.equal(created.displayNameFromBackend, false);
      assert.equal(seen[0]?.url, '/sub/ocs/v1.php/cloud/shares?format=json');
      assert.equal(seen[0].type, 'application/x-www-form-urlencoded');
      const form = new URLSearchParams(seen[0].body);
      assert.equal(form.get('remote'), 'http://127.0.0.1:9300/peers/[::1]:8443/');
      assert.equal(form.get('remoteId'), '5');
      handler = reply(200, xml(400, 'User does not exists'), { 'content-type': 'text/xml' });
      const e = await refusal(c.createShare({ share, peerHost: 'peer.example.net' }));
      assert.equal(e.code, 'INVALID_REQUEST');
      assert.equal(e.message, 'User does not exists');
    } finally {
      close();
    }
  });

  test('OCS v2: 503 keeps the backend’s Retry-After; HTML 404 is NOT_FOUND; HTML 200 is unreadable', async () => {
    const { c, close } = client('ocs-v2');
    try {
      handler = reply(
        503,
        JSON.stringify({
          ocs: { meta: { status: 'failure', statuscode: 503, message: 'Maintenance' }, data: [] },
        }),
        { 'retry-after': '120', 'content-type': 'application/json' },
      );
      const e503 = await refusal(c.createShare({ share, peerHost: 'peer.example.net' }));
      assert.equal(e503.code, 'UNAVAILABLE');
      assert.equal(e503.retryAfterSeconds, 120);
      handler = reply(404, '<html>not here</html>', { 'content-type': 'text/html' });
      assert.equal((await refusal(c.createShare({ share, peerHost: 'p' }))).code, 'NOT_FOUND');
      handler = reply(200, '<html>login</html>', { 'content-type': 'text/html' });
      const odd = await refusal(c.createShare({ share, peerHost: 'p' }));
      assert.equal(odd.code, 'UPSTREAM_UNREACHABLE');
      assert.ok(!odd.message.includes('127.0.0.1'));
    } finally {
      close();
    }
  });

  test('Pydio 8: /ocs/v2/shares and its data.id becomes the backend share id', async () => {
    const { c, close } = client('ocs-v2', { variant: 'pydio8', ocsVariant: 'pydio8' });
    try {
      handler = reply(
        200,
        JSON.stringify({
          ocs: {
            meta: {
              status: 'ok',
              statuscode: 200,
              message: 'Successfully received share, waiting for user response.',
            },
            data: { id: 7 },
          },
        }),
      );
      const created = await c.createShare({ share, peerHost: 'peer.example.net' });
      assert.equal(created.backendShareId, '7');
      assert.equal(seen[0]?.url, '/sub/ocs/v2/shares?format=json');
    } finally {
      close();
    }
  });

  test('OCM backend: 400 validationErrors become issues; 201 [] is success', async () => {
    const ocmEndPoint = { advertised: 'https://cloud.example.org/ocm', url: `${base}/ocm` };
    const { c, close } = client('ocm-proposal1', { variant: 'owncloud10', ocmEndPoint });
    try {
      handler = reply(
        400,
        JSON.stringify({
          message: 'Missing arguments',
          validationErrors: [{ name: 'shareWith', message: 'NOT_FOUND' }],
        }),
      );
      const e = await refusal(c.createShare({ share, peerHost: 'peer.example.net' }));
      assert.equal(e.code, 'INVALID_REQUEST');
      assert.deepEqual(e.issues, [{ field: 'shareWith', message: 'NOT_FOUND' }]);
      assert.equal(seen[0]?.url, '/sub/ocm/shares');
      assert.equal(seen[0].type, 'application/json');
      handler = reply(201, '[]');
      const notified = await c.notify({
        notification: notification('SHARE_ACCEPTED', '5', { sharedSecret: 'Tok3n' }),
      });
      assert.equal(notified.via, 'ocm');
      assert.deepEqual(notified.reply, {});
      assert.equal(seen.at(-1)?.url, '/sub/ocm/notifications');
    } finally {
      close();
    }
  });

  test('calls the profile lacks are 501 without a request; move where it exists', async () => {
    const { c, close } = client('ocs-v2', {
      actions: { accept: 'ocs', decline: 'ocs', unshare: 'ocs', move: 'ocs' },
    });
    try {
      const e = await refusal(
        c.notify({ notification: notification('RESHARE_UNDO', '5', { sharedSecret: 'x' }) }),
      );
      assert.equal(e.code, 'NOT_IMPLEMENTED');
      assert.equal(seen.length, 0);
      handler = reply(
        200,
        JSON.stringify({
          ocs: {
            meta: { status: 'ok', statuscode: 200, message: 'OK' },
            data: { remote: 'https://new.example.com', owner: 'alice' },
          },
        }),
      );
      const moved = await c.move({
        providerId: '5',
        sharedSecret: 'Tok3n',
        newOwner: 'alice@new.example.com',
        newProviderId: '9',
      });
      assert.deepEqual(moved, { remote: 'https://new.example.com', owner: 'alice' });
      assert.equal(seen[0]?.url, '/sub/ocs/v2.php/cloud/shares/5/move?format=json');
    } finally {
      close();
    }
  });

  test('transport: timeout → 504, refused → 502, oversized → 502, none naming the backend', async () => {
    const slow = client(
      'ocs-v2',
      {},
      { connectTimeoutMs: 500, totalTimeoutMs: 200, maxBodyBytes: 4_096 },
    );
    try {
      handler = () => undefined;
      const t = await refusal(slow.c.createShare({ share, peerHost: 'p' }));
      assert.equal(t.code, 'UPSTREAM_TIMEOUT');
      assert.ok(!t.message.includes('127.0.0.1'));
      handler = reply(200, 'x'.repeat(10_000));
      assert.equal(
        (await refusal(slow.c.createShare({ share, peerHost: 'p' }))).code,
        'UPSTREAM_UNREACHABLE',
      );
    } finally {
      slow.close();
    }
    const closed = await closedPortUrl();
    const refused = client('ocs-v2', {}, undefined, closed);
    try {
      const r = await refusal(refused.c.createShare({ share, peerHost: 'p' }));
      assert.equal(r.code, 'UPSTREAM_UNREACHABLE');
      assert.ok(!r.message.includes(closed));
    } finally {
      refused.close();
    }
  });
});
