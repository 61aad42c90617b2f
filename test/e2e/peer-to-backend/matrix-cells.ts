/**
 * One row of issue 7's peer → backend matrix: for one backend dialect, a cell per sending peer
 * dialect (1.0-proposal1 from ownCloud 10 and Nextcloud 27, OCM 1.0, 1.1, 1.2, 1.3), each through
 * the real startGateway:
 *  - the peer accepts the gateway's discovery for the backend and sends its share: 201 with the
 *    backend user's display name, the backend holds it with the right fields (owner, remote = the
 *    peer's facade URL, numeric remoteId = the ledger alias, token = the peer's secret);
 *  - a retried identical share makes no second backend share (unsigned dialects; signed ones are
 *    replays by design);
 *  - notifications from the peer reach the backend: the owner's SHARE_UNSHARED, and — for shares
 *    the backend gave the peer — the recipient's SHARE_ACCEPTED and SHARE_DECLINED;
 *  - the peer reads a file the backend shared over the gateway's public WebDAV with every auth form
 *    its dialect uses (Basic secret, Bearer secret, Bearer exchanged token).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LegacyServer, OcmPeer, OcmVersion } from '../../sim/index.ts';
import { discoverRemote, type Discovered } from '../../sim/ocm-peer/ocm-peer-discovery.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import {
  backendReceived,
  nextName,
  startP2bRig,
  startPeer,
  startProposal1Peer,
  type BackendSpec,
  type P2bRig,
} from './peer-to-backend-rig.ts';

const FACADE_REMOTE = /^http:\/\/127\.0\.0\.1:\d+\/peers\/127\.0\.0\.1:\d+\/$/;

export interface OcmPeerCase {
  readonly name: string;
  readonly version: OcmVersion;
  readonly criteria: readonly string[];
}

export const OCM_PEERS: readonly OcmPeerCase[] = [
  { name: 'OCM 1.0', version: '1.0', criteria: [] },
  { name: 'OCM 1.1', version: '1.1', criteria: [] },
  { name: 'OCM 1.2 (cavage signatures)', version: '1.2', criteria: ['http-request-signatures'] },
  {
    name: 'OCM 1.3 (RFC 9421, must-use-http-sig)',
    version: '1.3',
    criteria: ['must-use-http-sig'],
  },
];

export const PROPOSAL1_PEERS: readonly { readonly name: string; readonly spec: BackendSpec }[] = [
  { name: '1.0-proposal1 from ownCloud 10', spec: { flavour: 'owncloud10' } },
  {
    name: '1.0-proposal1 from Nextcloud 27',
    spec: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 },
  },
  {
    name: '1.0-proposal1 from Nextcloud 30 (accepts discovery up to 1.1)',
    spec: { flavour: 'nextcloud-ocm', nextcloudVersion: 30 },
  },
];

function backendShareState(rig: P2bRig, id: number): 'accepted' | 'pending' | 'gone' {
  const row = rig.backend.outgoingShares().find((s) => s.id === id);
  if (row === undefined) return 'gone';
  return row.accepted ? 'accepted' : 'pending';
}

/**
 * Legacy backends get the peer's facade URL as `remote`; early-OCM backends derive it from the
 * owner's cloud ID (the peer's real host), whose calls the forward proxy catches (DESIGN §3 flow 3).
 */
function checkRemote(rig: P2bRig, remote: string, peerHost: string): void {
  if (expectedVia(rig) === 'ocm') {
    assert.equal(remote.replace(/^https?:\/\//, '').replace(/\/+$/, ''), peerHost);
    return;
  }
  assert.match(remote, FACADE_REMOTE);
  assert.ok(remote.includes(`/peers/${peerHost}/`), remote);
}

/**
 * Only Nextcloud's OCM answer names the recipient; OCS createShare and ownCloud 10's `[]` do not,
 * and the gateway then answers with the uid.
 */
function displayNameOf(rig: P2bRig): string {
  return rig.backend.traits.flavour === 'nextcloud-ocm' ? 'Bob Backend' : 'bob';
}

function expectedVia(rig: P2bRig): string {
  const flavour = rig.backend.traits.flavour;
  if (flavour === 'owncloud9') return 'ocs-v1';
  if (flavour === 'nextcloud13') return 'ocs-v2';
  return 'ocm';
}

/** Backend createShare-like calls (OCS createShare or the OCM endPoint's /shares). */
function backendShareCalls(rig: P2bRig): number {
  return rig.backend.received.filter(
    (r) => r.method === 'POST' && /(\/cloud\/shares|\/shares)$/.test(r.localPath),
  ).length;
}

/** bob shares `count` new files with `shareWith`; each must arrive. */
async function shareFromBackend(rig: P2bRig, shareWith: string, count: number) {
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const name = nextName('from-backend');
    rig.backend.addFile('bob', `/${name}`, `backend says ${name}`);
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'bob',
      path: `/${name}`,
      shareWith,
    });
    assert.ok(result.ok, `backend share to ${shareWith}: ${JSON.stringify(result)}`);
    assert.ok(share !== undefined);
    out.push({ name, share });
  }
  return out;
}

function webdavBase(disc: Discovered): string {
  const types = Array.isArray(disc.doc.resourceTypes)
    ? (disc.doc.resourceTypes as Record<string, unknown>[])
    : [];
  const webdav = (types[0]?.protocols as Record<string, unknown> | undefined)?.webdav;
  const path = typeof webdav === 'string' ? webdav : '/public.php/webdav/';
  return (/^https?:\/\//.test(path) ? path : disc.base + path).replace(/\/+$/, '');
}

function basic(secret: string): string {
  return `Basic ${Buffer.from(`${secret}:`).toString('base64')}`;
}

/** The backend's unchanged side of the matrix: the peer checks what its version insists on. */
function checkDiscoveryFor(version: OcmVersion, disc: Discovered, rig: P2bRig): void {
  assert.equal(disc.doc.enabled, true);
  assert.equal(disc.endPoint, `${rig.publicUrl}/ocm`);
  if (version === '1.3') {
    assert.equal(typeof disc.doc.tokenEndPoint, 'string');
    const capabilities = disc.doc.capabilities as unknown[];
    assert.ok(capabilities.includes('exchange-token'), JSON.stringify(capabilities));
    assert.ok(capabilities.includes('http-sig'), JSON.stringify(capabilities));
  }
  if (version === '1.2') {
    const key = disc.doc.publicKey as { keyId?: unknown; publicKeyPem?: unknown } | undefined;
    assert.equal(typeof key?.publicKeyPem, 'string', 'cavage key for 1.2 peers');
  }
}

async function ocmPeerCell(rig: P2bRig, c: OcmPeerCase, closers: (() => Promise<void>)[]) {
  const peer: OcmPeer = await startPeer(c.version, c.criteria);
  closers.push(() => peer.close());

  // Discovery, as this version looks the gateway up.
  const disc = await discoverRemote(peer.ctx, rig.publicHost);
  assert.ok(disc !== undefined, 'the peer accepts the discovery document');
  checkDiscoveryFor(c.version, disc, rig);

  // Flow 1: three shares from the peer to bob.
  const fromPeer = async () => {
    const name = nextName(`from-${c.version}`);
    peer.addFile('carol', `/${name}`, `peer says ${name}`);
    const { share, result } = await peer.shareWith({
      owner: 'carol',
      path: `/${name}`,
      shareWith: rig.bob,
      permissions: 1,
    });
    assert.equal(result.status, 201, JSON.stringify(result));
    assert.ok(share !== undefined);
    assert.equal(
      (result.body as { recipientDisplayName?: unknown } | undefined)?.recipientDisplayName,
      displayNameOf(rig),
      JSON.stringify(result.body),
    );
    const row = backendReceived(rig, name);
    assert.equal(row.shareWith, 'bob');
    assert.equal(row.via, expectedVia(rig));
    checkRemote(rig, row.remote, peer.host);
    assert.match(row.remoteId, /^\d+$/, 'numeric alias for the backend');
    assert.equal(row.token, share.secret, 'the peer’s secret is the backend token');
    if (rig.backend.traits.flavour !== 'owncloud9') {
      assert.equal(row.ownerFederatedId, `carol@${peer.host}`);
    }
    return { name, share, row };
  };
  const kept = await fromPeer();
  const withdrawn = await fromPeer();

  // Retried identical share (unsigned dialects resend the same body): no second backend share.
  if (c.version === '1.0' || c.version === '1.1') {
    const s = withdrawn.share;
    const me = `carol@${peer.host}`;
    const protocol =
      s.style === 'legacy'
        ? { name: 'webdav', options: { sharedSecret: s.secret } }
        : {
            name: 'multi',
            webdav: {
              uri: `${peer.url}/webdav/${s.key}`,
              sharedSecret: s.secret,
              permissions: ['read'],
            },
          };
    const calls = backendShareCalls(rig);
    const retry = await fetch(`${rig.publicUrl}/ocm/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        shareWith: rig.bob,
        name: withdrawn.name,
        providerId: s.providerId,
        owner: me,
        sender: me,
        shareType: 'user',
        resourceType: 'file',
        protocol,
      }),
    });
    assert.equal(retry.status, 201, await retry.clone().text());
    assert.equal(backendShareCalls(rig), calls, 'a retry makes no second backend share');
    assert.equal(
      rig.backend.receivedShares('bob').filter((r) => r.name === withdrawn.name).length,
      1,
    );
  }

  if (c.version === '1.2') {
    // A 1.2 share carrying a `code` only: the backend gets a token the gateway makes, and reads by it
    // while the gateway exchanges the code at the peer's <endPoint>/token.
    const name = nextName('code-only');
    peer.addFile('carol', `/${name}`, `code says ${name}`);
    const { share, result } = await peer.shareWith({
      owner: 'carol',
      path: `/${name}`,
      shareWith: rig.bob,
      useCode: true,
    });
    assert.equal(result.status, 201, JSON.stringify(result));
    assert.ok(share?.code !== undefined);
    const row = backendReceived(rig, name);
    assert.notEqual(row.token, share.code, 'the code itself never reaches the backend');
    assert.match(row.token, /^[A-Za-z0-9]{16,128}$/);
    assert.ok((await rig.backend.acceptShare(row.id)).ok);
    const mounted = await rig.backend.readShare(row.id, { method: 'GET' });
    assert.equal(mounted.status, 200, mounted.text);
    assert.equal(mounted.text, `code says ${name}`);
    assert.ok(
      peer.received.some((r) => r.path === '/ocm/token'),
      'the code was exchanged',
    );
  }

  // Flow 7: the owner's SHARE_UNSHARED reaches the backend.
  const unshared = await peer.unshare(withdrawn.share.providerId);
  assert.equal(unshared.status, 201, JSON.stringify(unshared));
  await rig.backend.settle();
  assert.equal(
    rig.backend.receivedShares('bob').some((r) => r.name === withdrawn.name),
    false,
    'the peer’s unshare reached the backend',
  );
  assert.ok(rig.backend.receivedShares('bob').some((r) => r.name === kept.name));

  // Flow 5 + 7: bob shares with carol; she reads, accepts one and declines another.
  const [read, accepted, declined] = await shareFromBackend(rig, `carol@${peer.host}`, 3);
  assert.ok(read && accepted && declined);
  const receivedOf = (name: string) => {
    const found = peer.receivedShares('carol').find((r) => r.name === name);
    assert.ok(found !== undefined, `the peer has ${name}`);
    return found;
  };
  const got = receivedOf(read.name);
  assert.equal(
    got.webdav.requirements.includes('must-exchange-token'),
    c.criteria.includes('must-exchange-token'),
    'the gateway honours the peer’s must-exchange-token criterion',
  );
  const file = await peer.readShare(got.id);
  assert.equal(file.status, 200, file.text);
  assert.equal(file.text, `backend says ${read.name}`);

  // Each auth form the version uses, by hand.
  const base = webdavBase(disc);
  if (got.style === 'legacy') {
    const res = await fetch(`${base}/`, {
      headers: { authorization: basic(got.webdav.sharedSecret ?? '') },
    });
    assert.equal(res.status, 200, 'Basic with the secret as user');
    assert.equal(await res.text(), `backend says ${read.name}`);
  } else {
    const uri = got.webdav.uri ?? '';
    const url = /^https?:\/\//.test(uri) ? uri : `${base}/${uri}`;
    const bearer = await fetch(url, {
      headers: { authorization: `Bearer ${got.webdav.sharedSecret ?? ''}` },
    });
    if (got.webdav.requirements.includes('must-exchange-token')) {
      assert.equal(bearer.status, 401, 'must-exchange-token: the bare secret is refused');
      await bearer.body?.cancel();
    } else {
      assert.equal(bearer.status, 200, 'Bearer with the shared secret');
      assert.equal(await bearer.text(), `backend says ${read.name}`);
    }
    const wrong = await fetch(url, { headers: { authorization: 'Bearer not-a-secret' } });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    // The legacy Basic form reaches the same file at the public WebDAV root, unless exchange is a must.
    const legacy = await fetch(`${rig.publicUrl}/public.php/webdav/`, {
      headers: { authorization: basic(got.webdav.sharedSecret ?? '') },
    });
    if (got.webdav.requirements.includes('must-exchange-token')) {
      assert.equal(legacy.status, 401, 'must-exchange-token: Basic with the secret is refused');
      await legacy.body?.cancel();
    } else {
      assert.equal(legacy.status, 200, 'Basic with the secret as user');
      assert.equal(await legacy.text(), `backend says ${read.name}`);
    }
  }
  if (c.version === '1.2') {
    // The pre-1.2 JSON form at <endPoint>/token, signed (cavage) by the peer; then Bearer <token>.
    const url = `${disc.endPoint}/token`;
    const body = JSON.stringify({
      grant_type: 'ocm_authorization_code',
      client_id: peer.host,
      code: got.webdav.sharedSecret,
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: signedHeaders(peer.ctx, url, body, 'application/json'),
      body,
    });
    const token = (await res.json()) as { access_token?: string; token_type?: string };
    assert.equal(res.status, 200, JSON.stringify(token));
    assert.equal(token.token_type, 'bearer');
    const uri = got.webdav.uri ?? '';
    const withToken = await fetch(/^https?:\/\//.test(uri) ? uri : `${base}/${uri}`, {
      headers: { authorization: `Bearer ${token.access_token ?? ''}` },
    });
    assert.equal(withToken.status, 200, 'Bearer with a token exchanged at <endPoint>/token');
    assert.equal(await withToken.text(), `backend says ${read.name}`);
  }
  if (c.version === '1.3') {
    const exchanged = peer.exchanges.filter((e) => e.receivedId === got.id);
    assert.ok(
      exchanged.some((e) => e.ok && e.url === disc.doc.tokenEndPoint),
      `token exchanged at the gateway's tokenEndPoint: ${JSON.stringify(exchanged)}`,
    );
  }

  assert.ok((await peer.acceptShare(receivedOf(accepted.name).id)).ok);
  assert.equal(backendShareState(rig, accepted.share.id), 'accepted');
  assert.ok((await peer.declineShare(receivedOf(declined.name).id)).ok);
  await rig.backend.settle();
  assert.equal(backendShareState(rig, declined.share.id), 'gone');

  assert.deepEqual(peer.errors, []);
  assert.deepEqual(rig.backend.errors, []);
}

async function proposal1PeerCell(rig: P2bRig, spec: BackendSpec, closers: (() => Promise<void>)[]) {
  const peer: LegacyServer = await startProposal1Peer(spec);
  closers.push(() => peer.close());
  const peerHost = new URL(peer.url).host;

  const fromPeer = async () => {
    const name = nextName('from-proposal1');
    peer.addFile('carol', `/${name}`, `proposal1 says ${name}`);
    const { share, result } = await peer.shareWithRemote({
      owner: 'carol',
      path: `/${name}`,
      shareWith: rig.bob,
    });
    assert.equal(result.ocmDiscovered, true, 'the peer accepts the gateway’s /ocm-provider/');
    assert.equal(result.via, 'ocm', JSON.stringify(result));
    assert.equal(result.status, 201, JSON.stringify(result));
    assert.ok(share !== undefined);
    const row = backendReceived(rig, name);
    assert.equal(row.shareWith, 'bob');
    assert.equal(row.via, expectedVia(rig));
    checkRemote(rig, row.remote, peerHost);
    assert.match(row.remoteId, /^\d+$/);
    assert.equal(row.token, share.token);
    if (rig.backend.traits.flavour !== 'owncloud9') {
      // The gateway names peers by host; Nextcloud keeps an http:// scheme in its cloud IDs.
      assert.equal(row.ownerFederatedId, peer.cloudId('carol').replace('@http://', '@'));
    }
    return { name, share, row };
  };
  const kept = await fromPeer();
  const withdrawn = await fromPeer();
  const unshared = await peer.unshare(withdrawn.share.id);
  assert.equal(unshared.via, 'ocm', JSON.stringify(unshared));
  assert.ok(unshared.ok, JSON.stringify(unshared));
  await rig.backend.settle();
  assert.equal(
    rig.backend.receivedShares('bob').some((r) => r.name === withdrawn.name),
    false,
    'the peer’s unshare reached the backend',
  );
  assert.ok(rig.backend.receivedShares('bob').some((r) => r.name === kept.name));

  const [read, accepted, declined] = await shareFromBackend(rig, `carol@${peerHost}`, 3);
  assert.ok(read && accepted && declined);
  const receivedOf = (name: string) => {
    const found = peer.receivedShares('carol').find((r) => r.name === name);
    assert.ok(found !== undefined, `the peer has ${name}`);
    return found;
  };
  const got = receivedOf(read.name);
  const file = await peer.readShare(got.id, { method: 'GET' });
  assert.equal(file.status, 200, file.text);
  assert.equal(file.text, `backend says ${read.name}`);
  const res = await fetch(`${rig.publicUrl}/public.php/webdav/`, {
    headers: { authorization: basic(got.token) },
  });
  assert.equal(res.status, 200, 'Basic with the secret as user');
  assert.equal(await res.text(), `backend says ${read.name}`);

  // Flat re-sharing (REQUEST_RESHARE, RESHARE_UNDO) where the backend has it; ownCloud 9.0 has not.
  peer.addUser('dave', 'Dave');
  const reshare = await peer.requestReshare(got.id, `dave@${peerHost}`);
  if (rig.backend.traits.actions.has('reshare')) {
    assert.equal(reshare.result.via, 'ocm', JSON.stringify(reshare));
    assert.equal(reshare.result.status, 201, JSON.stringify(reshare));
    assert.ok(reshare.token !== undefined && reshare.remoteId !== undefined);
    await rig.backend.settle();
    const reshared = () =>
      rig.backend.outgoingShares().filter((o) => o.shareWith.startsWith('dave@'));
    assert.equal(reshared().length, 1, 'the backend made the re-share');
    const undo = await peer.undoReshare(reshare);
    assert.equal(undo.via, 'ocm', JSON.stringify(undo));
    assert.ok(undo.ok, JSON.stringify(undo));
    await rig.backend.settle();
    assert.equal(reshared().length, 0, 'RESHARE_UNDO removed the re-share on the backend');
  } else {
    assert.equal(reshare.result.ok, false);
    assert.equal(
      rig.backend.outgoingShares().some((o) => o.shareWith.startsWith('dave@')),
      false,
    );
  }

  const acceptedResult = await peer.acceptShare(receivedOf(accepted.name).id);
  assert.ok(acceptedResult.ok, JSON.stringify(acceptedResult));
  assert.equal(acceptedResult.via, 'ocm', 'SHARE_ACCEPTED taken at the gateway’s endPoint');
  assert.equal(backendShareState(rig, accepted.share.id), 'accepted');
  const declinedResult = await peer.declineShare(receivedOf(declined.name).id);
  assert.ok(declinedResult.ok, JSON.stringify(declinedResult));
  assert.equal(declinedResult.via, 'ocm', 'SHARE_DECLINED taken at the gateway’s endPoint');
  await rig.backend.settle();
  assert.equal(backendShareState(rig, declined.share.id), 'gone');

  assert.deepEqual(peer.errors, []);
  assert.deepEqual(rig.backend.errors, []);
}

/** Declares the row of one backend dialect. */
export function describeBackendRow(dialect: string, spec: BackendSpec): void {
  describe(`peers → backend ${dialect}, through startGateway`, () => {
    let rig: P2bRig;
    const closers: (() => Promise<void>)[] = [];
    before(async () => {
      rig = await startP2bRig({ backend: spec });
    });
    after(async () => {
      for (const close of closers) await close();
      await rig.close();
    });
    for (const p of PROPOSAL1_PEERS) {
      test(p.name, () => proposal1PeerCell(rig, p.spec, closers));
    }
    for (const c of OCM_PEERS) {
      test(c.name, () => ocmPeerCell(rig, c, closers));
    }
  });
}
