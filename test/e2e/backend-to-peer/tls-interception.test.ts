/**
 * Issue 9 "done when", second bullet, end to end: a backend whose `proxy` is the internal
 * listener shares with `carol@peer.example:<port>` over https. Its CONNECT is intercepted under
 * the organisation CA it trusts (real TLS on loopback, a leaf minted for peer.example), the
 * federation calls inside reach the facade, and the gateway discovers the OCM 1.3 peer and sends
 * it the signed share over real TLS too (the peer's certificate verified against its CA).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { readFileSync } from 'node:fs';
import { startOcmPeer, type OcmPeer } from '../../sim/index.ts';
import { startFacadeRig, type FacadeRig } from '../../integration/facade/facade-rig.ts';
import { loopbackLookup, PEER_CA } from '../../integration/forward-proxy/proxy-harness.ts';
import { assertNothingInternal } from './privacy-scan.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../integration/peer-http/fixtures/${name}`, import.meta.url), 'utf8');

/** TLS for peer.example (test CA) in front of a plain-HTTP simulator whose port comes later. */
async function tlsFront(target: () => number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTlsServer(
    { cert: fixture('peer.pem'), key: fixture('peer.key') },
    (inbound) => {
      const outbound = connect(target(), '127.0.0.1');
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
        s.on('error', () => {
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound).pipe(inbound);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('backend → https OCM peer through the intercepting forward proxy', () => {
  let rig: FacadeRig;
  let peer: OcmPeer;
  let front: { port: number; close(): Promise<void> };

  before(async () => {
    rig = await startFacadeRig({
      backend: { flavour: 'nextcloud13' },
      backendUsesProxy: true,
      intercept: true,
      peerHttp: { extraCaCerts: [PEER_CA], lookup: loopbackLookup('peer.example') },
    });
    let peerPort = 0;
    front = await tlsFront(() => peerPort);
    peer = await startOcmPeer({
      version: '1.3',
      criteria: ['must-use-http-sig'],
      publicUrl: `https://peer.example:${front.port}`,
      users: { carol: 'Carol' },
      schemes: ['http'],
    });
    peerPort = Number(new URL(peer.url).port);
  });
  after(async () => {
    await peer.close();
    await front.close();
    await rig.close();
  });

  test('share and unshare: intercepted TLS in, verified TLS out, signed RFC 9421', async () => {
    const peerHost = `peer.example:${front.port}`;
    const { share, result } = await rig.backend.shareWithRemote({
      owner: 'alice',
      path: '/report.txt',
      shareWith: `carol@${peerHost}`,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.url, `https://${peerHost}/ocs/v2.php/cloud/shares?format=json`);
    assert.ok(share !== undefined);
    // The backend went out over https through the proxy only, trusting the organisation CA.
    const attempts = rig.backend.outgoing.filter((a) => a.url.includes(peerHost));
    assert.ok(attempts.length > 0);
    for (const attempt of attempts) {
      assert.ok(attempt.url.startsWith('https://'), attempt.url);
      assert.equal(attempt.error, undefined, attempt.error);
    }
    const [received] = peer.receivedShares('carol');
    assert.ok(received !== undefined, 'the peer has the share');
    assert.equal(received.owner, `alice@${rig.publicHost}`);
    assert.equal(received.webdav.sharedSecret, share.token);
    assert.ok(received.signedBy?.startsWith(`${rig.publicHost}#`), received.signedBy);

    const u = await rig.backend.unshare(share.id);
    assert.ok(u.ok, JSON.stringify(u));
    assert.equal(peer.receivedShares('carol').length, 0);
    assert.deepEqual(peer.errors, []);
    assert.deepEqual(rig.backend.errors, []);
    assertNothingInternal(
      peer.received,
      [new URL(rig.backend.url).host, rig.internalHost],
      'intercepted TLS',
    );
  });
});
