/**
 * The per-peer rate limit through the real startGateway: a verified peer's shares count against
 * one bucket whichever address they come from, while a claim of that peer's name from elsewhere
 * (unverified) cannot spend it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcmPeer } from '../../sim/index.ts';
import { signedHeaders } from '../../sim/ocm-peer/ocm-peer-signing.ts';
import { ocmSharePayload, startP2bRig, startPeer, type P2bRig } from './peer-to-backend-rig.ts';

let rig: P2bRig;
let peer: OcmPeer;
let configDir: string;

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'gw-peer-rate-'));
  const file = join(configDir, 'gateway.yaml');
  // The test is the trusted proxy: X-Forwarded-For names each request's client address.
  writeFileSync(
    file,
    'proxy:\n  trustedProxies: [127.0.0.0/8, "::1/128"]\n' +
      'policy:\n  perPeerRateLimit: { requests: 2, windowSeconds: 600 }\n' +
      '  perAddressRateLimit: { requests: 100, windowSeconds: 600 }\n',
  );
  rig = await startP2bRig({
    backend: { flavour: 'nextcloud13', basePath: '/nextcloud' },
    env: { GATEWAY_CONFIG: file },
  });
  peer = await startPeer('1.3', ['must-use-http-sig']);
});

after(async () => {
  await peer.close();
  await rig.close();
  rmSync(configDir, { recursive: true, force: true });
});

let counter = 0;
function sharePayload() {
  counter += 1;
  return ocmSharePayload(peer, rig.bob, `rate-${process.pid}-${counter}`);
}

const createShares = () =>
  rig.backend.received.filter((r) => r.method === 'POST' && /cloud\/shares$/.test(r.localPath))
    .length;

function post(from: string, signed: boolean) {
  const target = `${rig.publicUrl}/ocm/shares`;
  const body = JSON.stringify(sharePayload());
  const headers = signed
    ? signedHeaders(peer.ctx, target, body, 'application/json')
    : { 'content-type': 'application/json' };
  return fetch(target, {
    method: 'POST',
    headers: { ...headers, 'x-forwarded-for': from },
    body,
  });
}

test('a forged claim from elsewhere spends nothing of the peer; the verified peer is limited across its addresses', async () => {
  const before = createShares();
  // Someone else names the peer's key but cannot sign as it: refused, and the peer's bucket is whole.
  const forgedHeaders = (body: string) => {
    const real = signedHeaders(peer.ctx, `${rig.publicUrl}/ocm/shares`, body, 'application/json');
    return Object.fromEntries(Object.entries(real).filter(([name]) => name !== 'content-length'));
  };
  // Its claims from its own address are limited like the peer's (2), then refused before the body.
  const forged: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const signedFor = JSON.stringify(sharePayload());
    const reply = await fetch(`${rig.publicUrl}/ocm/shares`, {
      method: 'POST',
      headers: { ...forgedHeaders(signedFor), 'x-forwarded-for': '203.0.113.66' },
      body: JSON.stringify(sharePayload()),
    });
    forged.push(reply.status);
    await reply.arrayBuffer();
  }
  assert.deepEqual(forged, [401, 401, 429]);
  // The real peer, from two addresses (two web nodes): two shares pass, the third is over its limit.
  const first = await post('198.51.100.10', true);
  assert.equal(first.status, 201, await first.text());
  const second = await post('198.51.100.11', true);
  assert.equal(second.status, 201, await second.text());
  const third = await post('198.51.100.12', true);
  assert.equal(third.status, 429, await third.clone().text());
  assert.ok(Number(third.headers.get('retry-after')) >= 1);
  assert.equal(((await third.json()) as { message: string }).message, 'RATE_LIMITED');
  assert.equal(createShares() - before, 2, 'the limited share never reached the backend');
  assert.ok(rig.logs.some((line) => line.includes('"message":"rate limited"')));
});
