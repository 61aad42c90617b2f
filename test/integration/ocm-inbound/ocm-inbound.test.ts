/** Flow 1 end to end: an OCM 1.3 peer's signed share through the real public app to a legacy backend. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { compilePeerPolicy, type SignatureMode } from '../../../gateway/core/policy/peer-policy.ts';
import { createPublicApp } from '../../../gateway/http/create-public-app.ts';
import { createOcmInboundRoutes } from '../../../gateway/http/routes/ocm-inbound-routes.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { createPeerAuthenticator } from '../../../gateway/services/authenticate-peer.ts';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import { quietLogger, startBackendRig, type BackendRig } from '../backend/backend-rig.ts';
import { resolverUnderTest, type ResolverUnderTest } from '../discovery/resolver-harness.ts';

const SHARES_LIMIT = 64 * 1024;

interface Gateway {
  readonly url: string;
  readonly server: Server;
  mount(app: Express): void;
}

async function listen(): Promise<Gateway> {
  let app: Express | undefined;
  const server = createServer((req, res) => {
    if (app === undefined) res.writeHead(503).end();
    else app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    mount: (a) => {
      app = a;
    },
  };
}

function publicApp(
  gateway: Gateway,
  rig: BackendRig,
  resolver: ResolverUnderTest,
  mode: SignatureMode,
) {
  const compiled = compilePeerPolicy({
    allowHosts: [],
    denyHosts: [],
    allowNetworks: [],
    denyNetworks: [],
    signatures: mode,
    rateLimit: { requests: 600, windowSeconds: 60 },
    perPeerRateLimit: { requests: 120, windowSeconds: 60 },
    peers: [],
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const store = new MemoryShortLivedStore();
  const routes = createOcmInboundRoutes({
    endPointPath: '/ocm',
    publicUrl: gateway.url,
    sharesBodyLimitBytes: SHARES_LIMIT,
    notificationsBodyLimitBytes: SHARES_LIMIT,
    authenticator: createPeerAuthenticator({
      resolver: resolver.resolver,
      replayStore: store,
      policy: compiled.policy,
      clock: Date.now,
    }),
    receiveShare: (input) => rig.receiveShare(input),
    receiveNotification: (input) => rig.receiveNotification(input),
    peerDialect: async (host) => (await resolver.resolver.resolve(host)).dialect,
    logger: quietLogger,
  });
  // The peer discovers us before sharing: a minimal 1.3 document naming our endPoint.
  const discovery = (
    req: { path: string; method: string },
    res: { json(v: unknown): void },
    next: () => void,
  ) => {
    if (req.method !== 'GET' || req.path !== '/.well-known/ocm') {
      next();
      return;
    }
    res.json({
      enabled: true,
      apiVersion: '1.3.0',
      endPoint: `${gateway.url}/ocm`,
      provider: 'gateway',
      resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: '/webdav/' } }],
      capabilities: [],
    });
  };
  gateway.mount(
    createPublicApp({
      logger: quietLogger,
      metrics: createMetrics({ collectDefaults: false }),
      federation: { routes, policy: compiled.policy, store, trustedProxies: [] },
      federationRoutes: [discovery as never],
      passthrough: (_req, res) => {
        res.status(404).json({ message: 'NOT_FOUND' });
      },
    }),
  );
  return { store };
}

describe('inbound OCM share and notification endpoints', () => {
  let gateway: Gateway;
  let strict: Gateway;
  let rig: BackendRig;
  let peer: OcmPeer;
  let resolver: ResolverUnderTest;
  const stores: MemoryShortLivedStore[] = [];

  before(async () => {
    gateway = await listen();
    strict = await listen();
    rig = await startBackendRig({
      sim: { flavour: 'nextcloud13', basePath: '/nextcloud' },
      publicUrl: gateway.url,
    });
    peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
    resolver = resolverUnderTest({});
    stores.push(publicApp(gateway, rig, resolver, 'prefer').store);
    stores.push(publicApp(strict, rig, resolver, 'require').store);
  });
  after(async () => {
    await peer.close();
    await rig.close();
    await resolver.close();
    for (const s of stores) await s.close();
    for (const g of [gateway, strict]) {
      g.server.closeAllConnections();
      await new Promise((resolve) => g.server.close(resolve));
    }
  });

  const bob = () => `bob@${new URL(gateway.url).host}`;
  const sharePayload = (providerId: string, secret: string) => ({
    shareWith: bob(),
    name: 'notes.txt',
    providerId,
    owner: peer.address('alice'),
    sender: peer.address('alice'),
    ownerDisplayName: 'Alice',
    senderDisplayName: 'Alice',
    shareType: 'user',
    resourceType: 'file',
    protocol: {
      name: 'multi',
      webdav: { uri: `/webdav/${providerId}`, sharedSecret: secret, permissions: ['read'] },
    },
  });
  const post = (url: string, body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', body, headers });

  test('a signed 1.3 share reaches the backend and gets a 201 with the recipient name', async () => {
    peer.addFile('alice', '/notes.txt', 'hello');
    const { result } = await peer.shareWith({
      owner: 'alice',
      path: '/notes.txt',
      shareWith: bob(),
    });
    assert.equal(result.status, 201, JSON.stringify(result));
    // OCS tells no display name, so the backend's answer carries the uid.
    assert.deepEqual(result.body, { recipientDisplayName: 'bob' });
    const stored = rig.sim.receivedShares('bob');
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.ownerFederatedId, peer.address('alice'));
  });

  test('the same signed request sent again is refused as a replay', async () => {
    const url = `${gateway.url}/ocm/shares`;
    const body = JSON.stringify(sharePayload('replay-1', 'ReplaySecret0001'));
    const headers = signedHeaders(peer.ctx, url, body, 'application/json');
    assert.equal((await post(url, body, headers)).status, 201);
    const again = await post(url, body, headers);
    assert.equal(again.status, 401);
    assert.match(((await again.json()) as { detail: string }).detail, /replayed/);
  });

  test('unsigned: refused when the policy requires signatures, and from a peer known to sign', async () => {
    const body = JSON.stringify(sharePayload('unsigned-1', 'UnsignedSecret01'));
    const headers = { 'content-type': 'application/json' };
    const before = rig.sim.received.length;
    const required = await post(`${strict.url}/ocm/shares`, body, headers);
    assert.equal(required.status, 401);
    const preferred = await post(`${gateway.url}/ocm/shares`, body, headers);
    assert.equal(preferred.status, 401);
    assert.equal(rig.sim.received.length, before);
  });

  test('a forged notification (unsigned, wrong secret) is 403 and nothing reaches the backend', async () => {
    const [record] = rig.sim.receivedShares('bob');
    assert.ok(record);
    const before = rig.sim.received.length;
    const res = await post(
      `${gateway.url}/ocm/notifications`,
      JSON.stringify({
        notificationType: 'SHARE_UNSHARED',
        resourceType: 'file',
        providerId: record.remoteId,
        notification: { sharedSecret: 'NotTheSecret0000', message: 'gone' },
      }),
      { 'content-type': 'application/json' },
    );
    assert.equal(res.status, 403);
    assert.equal(rig.sim.received.length, before);
    assert.ok(rig.sim.receivedShares('bob').some((r) => r.remoteId === record.remoteId));
  });

  test('bad JSON and missing fields are 400 with validationErrors; GET is 405', async () => {
    const bad = await post(`${gateway.url}/ocm/shares`, '{"a":', {
      'content-type': 'application/json',
    });
    assert.equal(bad.status, 400);
    const badBody = (await bad.json()) as { validationErrors?: unknown[] };
    assert.ok((badBody.validationErrors?.length ?? 0) > 0);
    const missing = await post(`${gateway.url}/ocm/shares`, '{"name":"x"}', {
      'content-type': 'application/json',
    });
    assert.equal(missing.status, 400);
    const missingBody = (await missing.json()) as { validationErrors?: { name: string }[] };
    assert.ok(
      missingBody.validationErrors?.some((e) => e.name === 'shareWith'),
      JSON.stringify(missingBody),
    );
    const get = await fetch(`${gateway.url}/ocm/notifications`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  test('a huge body is 413', async () => {
    const body = JSON.stringify({
      ...sharePayload('huge', 'HugeSecret000001'),
      name: 'x'.repeat(SHARES_LIMIT),
    });
    const res = await post(`${gateway.url}/ocm/shares`, body, {
      'content-type': 'application/json',
    });
    assert.equal(res.status, 413);
  });

  const signedPost = (path: string, payload: unknown) => {
    const url = `${gateway.url}${path}`;
    const body = JSON.stringify(payload);
    return post(url, body, signedHeaders(peer.ctx, url, body, 'application/json'));
  };

  test('a signed REQUEST_RESHARE gets 201 with the new share token and id, in 1.3 form', async () => {
    rig.sim.addFile('bob', '/report.txt', 'numbers');
    const seeded = rig.sim.seedShare({
      id: 900,
      owner: 'bob',
      path: '/report.txt',
      shareWith: peer.address('carol'),
      permissions: 31,
    });
    const { record } = await rig.ledger.shares.create({
      direction: 'outgoing',
      peerHost: peer.host,
      providerId: String(seeded.id),
      backendShareId: String(seeded.id),
      sharedSecret: seeded.token,
      dialects: { peer: 'ocm-1.3', backend: rig.detection.current().dialect },
      owner: rig.sim.cloudId('bob'),
      sender: rig.sim.cloudId('bob'),
      shareWith: peer.address('carol'),
      resourceName: 'report.txt',
    });
    const res = await signedPost('/ocm/notifications', {
      notificationType: 'REQUEST_RESHARE',
      resourceType: 'file',
      providerId: record.providerId,
      notification: { shareWith: 'dave@127.0.0.1:1', senderId: '77' },
    });
    assert.equal(res.status, 201);
    const body = (await res.json()) as { sharedSecret?: string; providerId?: string };
    assert.ok(
      body.sharedSecret !== undefined && body.providerId !== undefined,
      JSON.stringify(body),
    );
    assert.equal(rig.sim.state.shares.get(Number(body.providerId))?.token, body.sharedSecret);
    await rig.sim.settle();
  });

  test('a signed SHARE_UNSHARED removes the share at the backend; an unknown type is 501', async () => {
    const [record] = rig.sim.receivedShares('bob');
    assert.ok(record);
    const sent = peer.sentShares()[0];
    assert.ok(sent);
    const unknown = await signedPost('/ocm/notifications', {
      notificationType: 'SHARE_TELEPORTED',
      resourceType: 'file',
      providerId: sent.providerId,
      notification: {},
    });
    assert.equal(unknown.status, 501);
    const res = await signedPost('/ocm/notifications', {
      notificationType: 'SHARE_UNSHARED',
      resourceType: 'file',
      providerId: sent.providerId,
      notification: { message: 'gone' },
    });
    assert.equal(res.status, 201);
    assert.ok(!rig.sim.receivedShares('bob').some((r) => r.remoteId === record.remoteId));
  });
});
