import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import {
  compilePeerPolicy,
  type PeerPolicyConfig,
} from '../../../gateway/core/policy/peer-policy.ts';
import { signRequest } from '../../../gateway/core/signatures/sign-request.ts';
import type { SigningKey } from '../../../gateway/core/signatures/signing-key.ts';
import type { PeerCapabilities } from '../../../gateway/ports/peer-discovery.ts';
import {
  createPeerAuthenticator,
  type AuthenticatePeerDeps,
} from '../../../gateway/services/authenticate-peer.ts';
import { peerOfKeyId } from '../../../gateway/services/authenticate-peer-keys.ts';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const PEER = 'peer.example.net';
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rfcKey: SigningKey = { keyId: `${PEER}#key1`, family: 'ed25519', privateKey: ed.privateKey };
const cavageKey: SigningKey = {
  keyId: `https://${PEER}/nextcloud/ocm#signature`,
  family: 'rsa',
  privateKey: rsa.privateKey,
};
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

function capabilities(keys: Partial<PeerCapabilities['keys']>, caps: string[] = []) {
  return {
    peer: PEER,
    baseUrl: `https://${PEER}`,
    family: 'ocm',
    dialects: ['ocm-1.3'],
    endPoint: `https://${PEER}/ocm`,
    resourceTypes: [],
    capabilities: caps,
    criteria: [],
    keys: { publicKeys: [], ...keys },
    sources: {},
    warnings: [],
  } satisfies PeerCapabilities;
}

const signing = capabilities({
  publicKeys: [{ keyId: rfcKey.keyId, publicKeyPem: pem(ed.publicKey) }],
  cavage: { keyId: cavageKey.keyId, publicKeyPem: pem(rsa.publicKey) },
});

const basePolicy: PeerPolicyConfig = {
  allowHosts: [],
  denyHosts: [],
  allowNetworks: [],
  denyNetworks: [],
  signatures: 'prefer',
  rateLimit: { requests: 600, windowSeconds: 60 },
  perPeerRateLimit: { requests: 120, windowSeconds: 60 },
  peers: [],
};

function rig(
  options: {
    policy?: Partial<PeerPolicyConfig>;
    caps?: PeerCapabilities | Error;
    mustUseHttpSig?: boolean;
  } = {},
) {
  const compiled = compilePeerPolicy({ ...basePolicy, ...options.policy });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const asked: string[] = [];
  const caps = options.caps ?? signing;
  const deps: AuthenticatePeerDeps = {
    resolver: {
      resolve: (peer) => {
        asked.push(peer);
        return caps instanceof Error
          ? Promise.reject(new GatewayError('UNAVAILABLE', caps.message))
          : Promise.resolve({ capabilities: caps });
      },
    },
    replayStore: new MemoryShortLivedStore(),
    policy: compiled.policy,
    mustUseHttpSig: options.mustUseHttpSig ?? false,
    clock: () => NOW,
  };
  return { auth: createPeerAuthenticator(deps), asked };
}

function request(body: unknown, sign?: 'rfc9421' | 'cavage', key?: SigningKey) {
  const base = {
    method: 'POST',
    targetUri: 'https://cloud.example.org/ocm/shares',
    headers: { 'content-type': 'application/json' } as Record<string, string>,
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
  if (sign === undefined) return base;
  const headers = signRequest(sign, key ?? (sign === 'rfc9421' ? rfcKey : cavageKey), base, NOW);
  return { ...base, headers: { ...base.headers, ...lower(headers) } };
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

const share = { sender: `alice@${PEER}`, providerId: '1' };

describe('createPeerAuthenticator', () => {
  test('an RFC 9421 signature with a key from discovery verifies and names the signer', async () => {
    const { auth, asked } = rig();
    const result = await auth.authenticate(request(share, 'rfc9421'), PEER);
    assert.deepEqual(result, {
      verified: true,
      host: PEER,
      scheme: 'rfc9421',
      keyId: rfcKey.keyId,
    });
    assert.deepEqual(asked, [PEER]);
  });

  test('a key from the JWKS verifies too', async () => {
    const jwk = { ...ed.publicKey.export({ format: 'jwk' }), kid: rfcKey.keyId };
    const { auth } = rig({ caps: capabilities({ jwks: [jwk] }) });
    const result = await auth.authenticate(request(share, 'rfc9421'), PEER);
    assert.equal(result.verified, true);
  });

  test('a Nextcloud cavage signature is looked up at the installation its key id names', async () => {
    const { auth, asked } = rig();
    const result = await auth.authenticate(request(share, 'cavage'), PEER);
    assert.equal(result.verified && result.scheme, 'cavage');
    assert.deepEqual(asked, [`https://${PEER}/nextcloud`]);
  });

  test('the same signed request twice: the second is a replay (401)', async () => {
    const { auth } = rig();
    const signed = request(share, 'rfc9421');
    await auth.authenticate(signed, PEER);
    const e = await refusal(auth.authenticate(signed, PEER));
    assert.equal(e.status, 401);
    assert.match(e.message, /replayed/);
  });

  test('signed by one host while the body claims another: 403', async () => {
    const { auth } = rig();
    const e = await refusal(auth.authenticate(request(share, 'rfc9421'), 'other.example.org'));
    assert.equal(e.status, 403);
    assert.match(e.message, /other\.example\.org/);
  });

  test('a tampered body fails the digest: 401', async () => {
    const { auth } = rig();
    const signed = request(share, 'rfc9421');
    const tampered = { ...signed, body: new TextEncoder().encode('{"sender":"x"}') };
    const e = await refusal(auth.authenticate(tampered, PEER));
    assert.equal(e.status, 401);
  });

  test('a key the peer does not publish: 401', async () => {
    const { auth } = rig({ caps: capabilities({}) });
    const e = await refusal(auth.authenticate(request(share, 'rfc9421'), PEER));
    assert.equal(e.status, 401);
    assert.match(e.message, /unknown-key/);
  });

  test('discovery down while checking a signature: 503 with Retry-After', async () => {
    const { auth } = rig({ caps: new Error('peer unreachable') });
    const e = await refusal(auth.authenticate(request(share, 'rfc9421'), PEER));
    assert.equal(e.status, 503);
    assert.ok((e.retryAfterSeconds ?? 0) > 0);
  });

  test('unsigned under require (global, per peer, or mustUseHttpSig): 401', async () => {
    for (const options of [
      { policy: { signatures: 'require' as const } },
      { policy: { peers: [{ host: PEER, signatures: 'require' as const }] } },
      { mustUseHttpSig: true, caps: capabilities({}) },
    ]) {
      const { auth } = rig(options);
      const e = await refusal(auth.authenticate(request(share), PEER));
      assert.equal(e.status, 401);
    }
  });

  test('prefer: unsigned is refused from a peer known to sign, accepted from one that does not', async () => {
    const known = rig();
    const e = await refusal(known.auth.authenticate(request(share), PEER));
    assert.equal(e.status, 401);
    const httpSigOnly = rig({ caps: capabilities({}, ['http-sig']) });
    await refusal(httpSigOnly.auth.authenticate(request(share), PEER));
    const plain = rig({ caps: capabilities({}) });
    assert.deepEqual(await plain.auth.authenticate(request(share), PEER), { verified: false });
    const down = rig({ caps: new Error('unreachable') });
    assert.deepEqual(await down.auth.authenticate(request(share), PEER), { verified: false });
  });

  test('prefer still refuses a bad signature: signing is not optional once attempted', async () => {
    const { auth } = rig({ caps: capabilities({}) });
    const e = await refusal(auth.authenticate(request(share, 'rfc9421'), PEER));
    assert.equal(e.status, 401);
  });

  test('ignore: nothing is checked, not even a bad signature', async () => {
    const { auth, asked } = rig({ policy: { peers: [{ host: PEER, signatures: 'ignore' }] } });
    const signed = request(share, 'rfc9421');
    const tampered = { ...signed, body: new TextEncoder().encode('{"sender":"x"}') };
    const result = await auth.authenticate(tampered, PEER);
    assert.deepEqual(result, { verified: false });
    assert.deepEqual(asked, []);
  });

  test('no claimed host (notifications): the signer is returned for the caller to bind', async () => {
    const { auth } = rig();
    const result = await auth.authenticate(request({ providerId: '1' }, 'rfc9421'), undefined);
    assert.equal(result.verified && result.host, PEER);
  });

  test('a claimed host with the https default port matches the signer', async () => {
    const { auth } = rig();
    const result = await auth.authenticate(request(share, 'rfc9421'), `${PEER.toUpperCase()}:443`);
    assert.equal(result.verified, true);
  });
});

describe('peerOfKeyId', () => {
  test('RFC 9421 ids name a host; Nextcloud cavage ids an installation', () => {
    assert.equal(peerOfKeyId('peer.example.net:8443#k'), 'peer.example.net:8443');
    assert.equal(peerOfKeyId('https://nc.example.org/ocm#signature'), 'https://nc.example.org');
    assert.equal(
      peerOfKeyId('https://nc.example.org/sub/index.php/ocm#signature'),
      'https://nc.example.org/sub',
    );
    assert.equal(peerOfKeyId('not a host#k'), undefined);
  });
});
