/**
 * Issue 9 "done when", first bullet: the backend → peer matrix through the real startGateway.
 * For each backend dialect (ocs-v1 = ownCloud 9.0, ocs-v2 = Nextcloud 13, ocm-proposal1 =
 * ownCloud 10 and Nextcloud 27) and each peer (OCM 1.0, 1.1, 1.2, 1.3, 1.3 demanding token
 * exchange, and a legacy Nextcloud 13), one cell checks:
 *  - a share from the backend (through the forward proxy, the peer's real address) arrives at the
 *    peer valid for its version, signed as it requires, with the backend's permissions mapped;
 *  - the peer reads the file;
 *  - the peer's accept / decline reach the backend;
 *  - the backend's unshare reaches the peer;
 *  - a share from the peer reaches the backend, whose accept reaches the peer and which mounts
 *    and reads it (exchanging a token where the peer demands it); its decline reaches the peer;
 *  - the peer's unshare of a share it gave reaches the backend.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startLegacyServer,
  startOcmPeer,
  type LegacyServer,
  type OcmPeer,
} from '../../sim/index.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';
import { startGatewayRig, type GatewayRig } from './gateway-rig.ts';
import { assertNothingInternal } from './privacy-scan.ts';

type Backend = Omit<LegacyServerOptions, 'publicUrl' | 'users' | 'schemes' | 'proxy'>;

const BACKENDS: readonly { readonly dialect: string; readonly backend: Backend }[] = [
  { dialect: 'ocs-v1 (ownCloud 9.0)', backend: { flavour: 'owncloud9' } },
  { dialect: 'ocs-v2 (Nextcloud 13)', backend: { flavour: 'nextcloud13' } },
  { dialect: 'ocm-proposal1 (ownCloud 10)', backend: { flavour: 'owncloud10' } },
  {
    dialect: 'ocm-proposal1 (Nextcloud 27)',
    backend: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 },
  },
];

interface OcmPeerCase {
  readonly name: string;
  readonly version: '1.0' | '1.1' | '1.2' | '1.3';
  readonly criteria: readonly string[];
  readonly signature: 'none' | 'cavage' | 'rfc9421';
}

const OCM_PEERS: readonly OcmPeerCase[] = [
  { name: 'OCM 1.0', version: '1.0', criteria: [], signature: 'none' },
  { name: 'OCM 1.1', version: '1.1', criteria: [], signature: 'none' },
  {
    name: 'OCM 1.2 requiring signatures',
    version: '1.2',
    criteria: ['http-request-signatures'],
    signature: 'cavage',
  },
  {
    name: 'OCM 1.3 must-use-http-sig',
    version: '1.3',
    criteria: ['must-use-http-sig'],
    signature: 'rfc9421',
  },
  {
    name: 'OCM 1.3 must-use-http-sig + must-exchange-token',
    version: '1.3',
    criteria: ['must-use-http-sig', 'must-exchange-token'],
    signature: 'rfc9421',
  },
];

let files = 0;
function nextName(prefix: string): string {
  files += 1;
  return `${prefix}-${files}.txt`;
}

/** Shares `count` new files from alice to `shareWith`; all sent before any is acted on. */
async function shareFromBackend(rig: GatewayRig, shareWith: string, count: number) {
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const name = nextName('from-backend');
    rig.backend.addFile('alice', `/${name}`, `backend says ${name}`);
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'alice',
      path: `/${name}`,
      shareWith,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(share !== undefined);
    out.push({ name, share });
  }
  return out;
}

function backendShareState(rig: GatewayRig, id: number): 'accepted' | 'pending' | 'gone' {
  const row = rig.backend.outgoingShares().find((s) => s.id === id);
  if (row === undefined) return 'gone';
  return row.accepted ? 'accepted' : 'pending';
}

for (const b of BACKENDS) {
  describe(`backend ${b.dialect} → peers, through startGateway`, () => {
    let rig: GatewayRig;
    const closers: (() => Promise<void>)[] = [];

    before(async () => {
      rig = await startGatewayRig({ backend: b.backend });
    });
    after(async () => {
      for (const close of closers) await close();
      await rig.close();
    });

    for (const c of OCM_PEERS) {
      test(c.name, async () => {
        const peer: OcmPeer = await startOcmPeer({
          version: c.version,
          criteria: [...c.criteria],
          users: { carol: 'Carol' },
          schemes: ['http'],
        });
        closers.push(() => peer.close());
        const mustExchange = c.criteria.includes('must-exchange-token');

        // Flow 4: four shares, then the peer reads, accepts and declines, the backend unshares.
        const [read, accepted, unshared, declined] = await shareFromBackend(
          rig,
          `carol@${peer.host}`,
          4,
        );
        assert.ok(read && accepted && unshared && declined);
        const receivedOf = (name: string) => {
          const found = peer.receivedShares('carol').find((r) => r.name === name);
          assert.ok(found !== undefined, `the peer has ${name}`);
          return found;
        };
        const got = receivedOf(read.name);
        assert.equal(got.owner, `alice@${rig.publicHost}`);
        assert.equal(got.shareWith, `carol@${peer.host}`);
        assert.deepEqual(got.webdav.requirements, mustExchange ? ['must-exchange-token'] : []);
        if (c.version !== '1.0') {
          // The sim's default file share: read | update | share (19) → read, write, share.
          assert.deepEqual(got.webdav.permissions, ['read', 'write', 'share']);
        }
        if (c.signature === 'none') assert.equal(got.signedBy, undefined);
        else if (c.signature === 'cavage') {
          assert.equal(got.signedBy, `${rig.publicUrl}/ocm#signature`);
        } else assert.ok(got.signedBy?.startsWith(`${rig.publicHost}#`), got.signedBy);

        const file = await peer.readShare(got.id);
        assert.equal(file.status, 200);
        assert.equal(file.text, `backend says ${read.name}`);
        if (mustExchange) assert.ok(peer.exchanges.length > 0, 'the peer exchanged a token');

        assert.ok((await peer.acceptShare(receivedOf(accepted.name).id)).ok);
        assert.equal(backendShareState(rig, accepted.share.id), 'accepted');
        assert.ok((await rig.backend.unshare(unshared.share.id)).ok);
        assert.equal(
          peer.receivedShares('carol').some((r) => r.name === unshared.name),
          false,
          'unshare reached the peer',
        );
        assert.ok((await peer.declineShare(receivedOf(declined.name).id)).ok);
        await rig.backend.settle();
        assert.equal(backendShareState(rig, declined.share.id), 'gone');

        // Flows 1–3 seen from the backend: it accepts, reads, declines; the peer unshares.
        const fromPeer = async () => {
          const name = nextName('from-peer');
          peer.addFile('carol', `/${name}`, `peer says ${name}`);
          const { share, result } = await peer.shareWith({
            owner: 'carol',
            path: `/${name}`,
            shareWith: `alice@${rig.publicHost}`,
          });
          assert.ok(result.ok, JSON.stringify(result));
          assert.ok(share !== undefined);
          const row = rig.backend.receivedShares('alice').find((r) => r.name === name);
          assert.ok(row !== undefined, `the backend has ${name}`);
          return { name, share, row };
        };
        const mine = await fromPeer();
        assert.ok((await rig.backend.acceptShare(mine.row.id)).ok);
        assert.equal(peer.state.sent.get(mine.share.providerId)?.state, 'accepted');
        const exchangesBefore = peer.received.filter((r) => r.path.endsWith('/token')).length;
        const mounted = await rig.backend.readShare(mine.row.id, { method: 'GET' });
        assert.equal(mounted.status, 200);
        assert.equal(mounted.text, `peer says ${mine.name}`);
        if (mustExchange) {
          assert.ok(
            peer.received.filter((r) => r.path.endsWith('/token')).length > exchangesBefore,
            'the gateway exchanged a token at the peer',
          );
        }

        const refused = await fromPeer();
        assert.ok((await rig.backend.declineShare(refused.row.id)).ok);
        assert.equal(peer.state.sent.get(refused.share.providerId)?.state, 'declined');

        const withdrawn = await fromPeer();
        assert.ok((await peer.unshare(withdrawn.share.providerId)).ok);
        await rig.backend.settle();
        assert.equal(
          rig.backend.receivedShares('alice').some((r) => r.name === withdrawn.name),
          false,
          'the peer’s unshare reached the backend',
        );

        assert.deepEqual(peer.errors, []);
        assert.deepEqual(rig.backend.errors, []);
        assertNothingInternal(
          peer.received,
          [new URL(rig.backend.url).host, rig.internalHost],
          `${b.dialect} → ${c.name}`,
        );
      });
    }

    test('legacy peer (Nextcloud 13): calls pass unchanged but for public addresses', async () => {
      const peer: LegacyServer = await startLegacyServer({
        flavour: 'nextcloud13',
        users: { carol: 'Carol' },
        schemes: ['http'],
      });
      closers.push(() => peer.close());
      const peerHost = new URL(peer.url).host;
      const [read, accepted, unshared, declined] = await shareFromBackend(
        rig,
        `carol@${peerHost}`,
        4,
      );
      assert.ok(read && accepted && unshared && declined);
      const receivedOf = (name: string) => {
        const found = peer.receivedShares('carol').find((r) => r.name === name);
        assert.ok(found !== undefined, `the peer has ${name}`);
        return found;
      };
      const got = receivedOf(read.name);
      assert.equal(got.token, read.share.token);
      assert.equal(got.remote, `${rig.publicUrl}/`);
      const file = await peer.readShare(got.id, { method: 'GET' });
      assert.equal(file.status, 200);
      assert.equal(file.text, `backend says ${read.name}`);

      assert.ok((await peer.acceptShare(receivedOf(accepted.name).id)).ok);
      assert.equal(backendShareState(rig, accepted.share.id), 'accepted');
      assert.ok((await rig.backend.unshare(unshared.share.id)).ok);
      assert.equal(
        peer.receivedShares('carol').some((r) => r.name === unshared.name),
        false,
      );
      assert.ok((await peer.declineShare(receivedOf(declined.name).id)).ok);
      await rig.backend.settle();
      assert.equal(backendShareState(rig, declined.share.id), 'gone');

      const fromPeer = async () => {
        const name = nextName('from-legacy');
        peer.addFile('carol', `/${name}`, `legacy says ${name}`);
        const { share, result } = await peer.shareWithRemote({
          owner: 'carol',
          path: `/${name}`,
          shareWith: `alice@${rig.publicHost}`,
        });
        assert.ok(result.ok, JSON.stringify(result));
        assert.ok(share !== undefined);
        const row = rig.backend.receivedShares('alice').find((r) => r.name === name);
        assert.ok(row !== undefined, `the backend has ${name}`);
        return { name, share, row };
      };
      const mine = await fromPeer();
      assert.ok((await rig.backend.acceptShare(mine.row.id)).ok);
      assert.equal(peer.outgoingShares().find((s) => s.id === mine.share.id)?.accepted, true);
      const mounted = await rig.backend.readShare(mine.row.id, { method: 'GET' });
      assert.equal(mounted.status, 200);
      assert.equal(mounted.text, `legacy says ${mine.name}`);
      const refused = await fromPeer();
      assert.ok((await rig.backend.declineShare(refused.row.id)).ok);
      await peer.settle();
      assert.equal(
        peer.outgoingShares().some((s) => s.id === refused.share.id),
        false,
      );
      const withdrawn = await fromPeer();
      assert.ok((await peer.unshare(withdrawn.share.id)).ok);
      await rig.backend.settle();
      assert.equal(
        rig.backend.receivedShares('alice').some((r) => r.name === withdrawn.name),
        false,
      );

      assert.deepEqual(peer.errors, []);
      assert.deepEqual(rig.backend.errors, []);
      assertNothingInternal(
        peer.received,
        [new URL(rig.backend.url).host, rig.internalHost],
        `${b.dialect} → legacy`,
      );
    });
  });
}
