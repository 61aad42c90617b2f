/** The simulators' own signing code against published vectors (RFC 9421 B.2.6, RFC 9530) and the
 * Nextcloud 31 draft-cavage fixture, plus the verifiers' refusals. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { checkContentDigest, contentDigest, legacyDigest } from './body-digest.ts';
import { cavageSigningString, signCavage, verifyCavage } from './cavage-signature.ts';
import {
  signatureBase,
  signRfc9421,
  verifyRfc9421,
  type SignableRequest,
} from './message-signature.ts';
import { parseDictionary } from './structured-fields.ts';
import { loadFixture } from '../legacy/fixture-replay.ts';

const RFC9421_ED25519 =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n';

describe('RFC 9421 / RFC 9530', () => {
  test('RFC 9421 Appendix B.2.6: same signature base and Ed25519 signature as the RFC', () => {
    const req: SignableRequest = {
      method: 'POST',
      url: 'https://example.com/foo?param=Value&Pet=dog',
      headers: {
        date: 'Tue, 20 Apr 2021 02:07:55 GMT',
        'content-type': 'application/json',
        'content-length': '18',
      },
    };
    const covered = {
      list: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'].map(
        (value) => ({ value, params: [] }),
      ),
      params: [
        ['created', 1618884473],
        ['keyid', 'test-key-ed25519'],
      ] as [string, number | string][],
    };
    const base = signatureBase(req, covered);
    assert.equal(
      base,
      '"date": Tue, 20 Apr 2021 02:07:55 GMT\n"@method": POST\n"@path": /foo\n"@authority": example.com\n' +
        '"content-type": application/json\n"content-length": 18\n"@signature-params": ("date" "@method" "@path" ' +
        '"@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    );
    const sig = sign(null, Buffer.from(base), createPrivateKey(RFC9421_ED25519)).toString('base64');
    assert.equal(
      sig,
      'wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==',
    );
  });

  test('RFC 9530 §2 example digests; a recognised mismatch beside a match is an integrity failure', () => {
    const body = Buffer.from('{"hello": "world"}');
    assert.equal(contentDigest(body), 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
    assert.equal(
      contentDigest(body, 'sha-512'),
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    );
    assert.deepEqual(checkContentDigest(`${contentDigest(body)}, md5=:AAAA:`, body), { ok: true });
    const mixed = `${contentDigest(body)}, ${contentDigest('other', 'sha-512')}`;
    assert.equal(checkContentDigest(mixed, body).ok, false);
    assert.equal(checkContentDigest('md5=:AAAA:', body).ok, false);
  });

  const key = generateKeyPairSync('ed25519');
  const body = Buffer.from(JSON.stringify({ shareWith: 'marie@receiver.example.org' }));
  const signed = (created: number, over: Partial<Record<string, string>> = {}): SignableRequest => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-digest': contentDigest(body),
      'content-length': String(body.length),
      date: new Date(created * 1000).toUTCString(),
    };
    const req = { method: 'POST', url: 'https://receiver.example.org/ocm/shares', headers };
    const s = signRfc9421(req, {
      keyId: 'sender.example.org#key1',
      privateKey: key.privateKey,
      alg: 'ed25519',
      created,
    });
    return {
      ...req,
      headers: { ...headers, 'signature-input': s.signatureInput, signature: s.signature, ...over },
    };
  };
  const verifyAt = (req: SignableRequest, now: number, b = body) =>
    verifyRfc9421(req, {
      now,
      maxAgeSeconds: 300,
      maxFutureSkewSeconds: 60,
      body: b,
      resolveKey: () => Promise.resolve(key.publicKey),
    });

  test('OCM label, covered components and parameters as in draft-ietf-ocm Appendix B', () => {
    const req = signed(1730815200);
    assert.equal(
      req.headers['signature-input'],
      'ocm=("@method" "@target-uri" "content-digest" "content-length" "date");created=1730815200;keyid="sender.example.org#key1";alg="ed25519"',
    );
    assert.match(req.headers.signature ?? '', /^ocm=:[A-Za-z0-9+/]+=*:$/);
  });

  test('verification: good, tampered body, too old, future, missing component, duplicate ocm label, other labels ignored', async () => {
    const now = 1730815200;
    assert.equal((await verifyAt(signed(now), now + 10)).ok, true);
    assert.deepEqual(await verifyAt(signed(now), now, Buffer.from('{"x":1}')), {
      ok: false,
      reason: 'Content-Digest sha-256 does not match the body',
    });
    assert.deepEqual(await verifyAt(signed(now - 301), now), {
      ok: false,
      reason: 'signature too old',
    });
    assert.deepEqual(await verifyAt(signed(now + 120), now), {
      ok: false,
      reason: 'signature created in the future',
    });
    const partial = signed(now, {
      'signature-input': 'ocm=("@method" "@target-uri" "date");created=1730815200;keyid="k"',
    });
    assert.equal((await verifyAt(partial, now)).ok, false);
    const good = signed(now);
    const twice = {
      ...good,
      headers: {
        ...good.headers,
        signature: `${good.headers.signature ?? ''}, ${good.headers.signature ?? ''}`,
      },
    };
    assert.deepEqual(await verifyAt(twice, now), {
      ok: false,
      reason: 'more than one ocm signature',
    });
    const extra = {
      ...good,
      headers: {
        ...good.headers,
        'signature-input': `proxy=("@method");created=1, ${good.headers['signature-input'] ?? ''}`,
        signature: `proxy=:AAAA:, ${good.headers.signature ?? ''}`,
      },
    };
    assert.equal((await verifyAt(extra, now)).ok, true);
    const otherKey = generateKeyPairSync('ed25519').publicKey;
    const wrongKey = await verifyRfc9421(good, {
      now,
      maxAgeSeconds: 300,
      maxFutureSkewSeconds: 60,
      body,
      resolveKey: () => Promise.resolve(otherKey),
    });
    assert.deepEqual(wrongKey, { ok: false, reason: 'signature does not verify' });
  });

  test('structured-field dictionary parsing keeps labels, inner lists and parameters', () => {
    const { members, duplicates } = parseDictionary('a=("x" "@y");created=5;keyid="k", b=:AQI=:');
    assert.deepEqual(duplicates, []);
    assert.deepEqual(
      members.map(([k]) => k),
      ['a', 'b'],
    );
    assert.throws(() => parseDictionary('a=("x"'));
  });
});

describe('draft-cavage (ocm-signed-request-nextcloud31.json)', () => {
  const f = loadFixture('ocm-signed-request-nextcloud31.json');
  const headers = Object.fromEntries(
    Object.entries(f.request.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const body = Buffer.from(JSON.stringify(f.request.body));
  const digest = legacyDigest(body, 'SHA-512');
  const req = {
    method: 'POST',
    target: '/index.php/apps/federatedfilesharing/notifications',
    headers: {
      ...headers,
      digest,
      'content-length': String(body.length),
      date: new Date().toUTCString(),
    },
  };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = 'https://nc.example.org/nextcloud/ocm#signature';

  test('the signing string has the fixture layout: (request-target) content-length date digest host', () => {
    const fixtureReq = { ...req, headers: { ...headers, digest } };
    const expected = (f.request as unknown as { signedString: string }).signedString.replace(
      'SHA-512=<...>',
      digest,
    );
    assert.equal(
      cavageSigningString(fixtureReq, [
        '(request-target)',
        'content-length',
        'date',
        'digest',
        'host',
      ]),
      expected,
    );
  });

  test('rsa-sha512 round trip; tampered body, stale date, short header list and wrong key are refused', async () => {
    const signature = signCavage(req, { keyId, privateKey, alg: 'rsa-sha512' });
    assert.match(
      signature,
      /^keyId="https:\/\/nc\.example\.org\/nextcloud\/ocm#signature",algorithm="rsa-sha512",headers="\(request-target\) content-length date digest host",signature="/,
    );
    const withSig = { ...req, headers: { ...req.headers, signature } };
    const opts = {
      now: Date.now(),
      maxAgeSeconds: 300,
      body,
      resolveKey: () => Promise.resolve(publicKey),
    };
    assert.equal((await verifyCavage(withSig, opts)).ok, true);
    assert.equal((await verifyCavage(withSig, { ...opts, body: Buffer.from('{}') })).ok, false);
    assert.deepEqual(await verifyCavage(withSig, { ...opts, now: Date.now() + 301_000 }), {
      ok: false,
      reason: 'date outside the allowed window',
    });
    const short = {
      ...req,
      headers: {
        ...req.headers,
        signature: signCavage(req, {
          keyId,
          privateKey,
          alg: 'rsa-sha256',
          headers: ['date', 'digest'],
        }),
      },
    };
    assert.equal((await verifyCavage(short, opts)).ok, false);
    const other = createPublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    assert.deepEqual(
      await verifyCavage(withSig, { ...opts, resolveKey: () => Promise.resolve(other) }),
      { ok: false, reason: 'signature does not verify' },
    );
  });
});
