import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCavageSignature } from './cavage-signature-header.ts';
import { cavageSigningString } from './cavage-signing-string.ts';
import { hostOfKeyId } from './key-id-host.ts';
import { legacyDigestHeader } from './legacy-digest.ts';
import { signRequest } from './sign-request.ts';
import type { SignableRequest } from './signable-request.ts';
import type { SigningKey } from './signing-key.ts';
import { verifyRequest } from './verify-request.ts';
import type { VerifyOptions } from './verify-options.ts';

// CI clones the repository with shared/ beside it: <repo>/../shared/reference/legacy-fixtures.
const FIXTURE = 'ocm-signed-request-nextcloud31.json';
const fixture = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../../../../shared/reference/legacy-fixtures', FIXTURE),
    'utf8',
  ),
) as {
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: unknown;
    signedString: string;
  };
};

const KEY_ID = 'https://nc.example.org/nextcloud/ocm#signature';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signer: SigningKey = { keyId: KEY_ID, family: 'rsa', privateKey: rsa.privateKey };
const NOW = Date.parse('Mon, 08 Jul 2024 14:16:20 GMT');
const body = new TextEncoder().encode(JSON.stringify(fixture.request.body));
const unsigned: SignableRequest = {
  method: 'POST',
  targetUri: fixture.request.url,
  headers: { 'Content-Type': 'application/json' },
  body,
};

function options(keys: Record<string, KeyObject> = { [KEY_ID]: rsa.publicKey }): VerifyOptions {
  return {
    now: NOW,
    resolveKey: (keyId, scheme) => Promise.resolve(scheme === 'cavage' ? keys[keyId] : undefined),
  };
}

function signed(cavage?: {
  algorithm: 'rsa-sha256' | 'rsa-sha512';
  digest: 'SHA-256' | 'SHA-512';
}): SignableRequest {
  const added = signRequest(
    'cavage',
    signer,
    unsigned,
    NOW,
    cavage === undefined ? {} : { cavage },
  );
  return { ...unsigned, headers: { ...unsigned.headers, ...added } };
}

async function reasonOf(request: SignableRequest, opts = options()): Promise<string> {
  const result = await verifyRequest(request, opts);
  return result.ok ? 'ok' : result.reason;
}

function edit(request: SignableRequest, name: string, value: string): SignableRequest {
  return { ...request, headers: { ...request.headers, [name]: value } };
}

describe(`draft-cavage as Nextcloud 31+ signs (fixture ${FIXTURE})`, () => {
  test('the fixture signing string is reconstructed exactly from its headers', () => {
    const { headers, signedString } = fixture.request;
    const params = parseCavageSignature(headers.Signature ?? '');
    assert.ok(params.ok);
    assert.deepEqual(params.value.headers, [
      '(request-target)',
      'content-length',
      'date',
      'digest',
      'host',
    ]);
    assert.equal(params.value.algorithm, 'rsa-sha512');
    assert.equal(hostOfKeyId(params.value.keyId), 'nc.example.org');
    const rebuilt = cavageSigningString(
      {
        method: fixture.request.method,
        targetUri: fixture.request.url,
        headers,
        body: new Uint8Array(),
      },
      params.value.headers,
    );
    // The fixture abbreviates the digest differently in its headers and its signed string.
    assert.deepEqual(rebuilt, {
      ok: true,
      text: signedString.replace('SHA-512=<...>', headers.digest ?? ''),
    });
  });

  test('our signature has the fixture shape, with the real digest and length', () => {
    const added = signRequest('cavage', signer, unsigned, NOW, {
      cavage: { algorithm: 'rsa-sha512', digest: 'SHA-512' },
    });
    assert.equal(added.Date, fixture.request.headers.date);
    assert.equal(added.Host, fixture.request.headers.host);
    assert.equal(added.Digest, legacyDigestHeader(body, 'SHA-512'));
    assert.match(
      added.Signature ?? '',
      /^keyId="https:\/\/nc\.example\.org\/nextcloud\/ocm#signature",algorithm="rsa-sha512",headers="\(request-target\) content-length date digest host",signature="[A-Za-z0-9+/]+={0,2}"$/,
    );
    const text = cavageSigningString({ ...unsigned, headers: added }, [
      '(request-target)',
      'content-length',
      'date',
      'digest',
      'host',
    ]);
    assert.ok(text.ok);
    assert.equal(
      text.text,
      fixture.request.signedString
        .replace('content-length: 163', `content-length: ${body.byteLength}`)
        .replace('SHA-512=<...>', added.Digest),
    );
  });

  test('round trips: rsa-sha256/SHA-256 (default) and rsa-sha512/SHA-512', async () => {
    const plain = signed();
    assert.match(String(plain.headers.Signature), /algorithm="rsa-sha256"/);
    assert.match(String(plain.headers.Digest), /^SHA-256=/);
    const result = await verifyRequest(plain, options());
    assert.deepEqual(
      result.ok && [result.scheme, result.keyId, result.signerHost, result.createdAt],
      ['cavage', KEY_ID, 'nc.example.org', Math.floor(NOW / 1000)],
    );
    assert.equal(await reasonOf(signed({ algorithm: 'rsa-sha512', digest: 'SHA-512' })), 'ok');
  });

  test('Authorization: Signature is accepted too; a bare-FQDN keyId names its host', async () => {
    const good = signed();
    const { Signature: value, ...rest } = good.headers;
    const viaAuthorization = {
      ...good,
      headers: { ...rest, Authorization: `Signature ${String(value)}` },
    };
    assert.equal(await reasonOf(viaAuthorization), 'ok');
    const bare: SigningKey = { ...signer, keyId: 'nc.example.org' };
    const added = signRequest('cavage', bare, unsigned, NOW);
    const result = await verifyRequest(
      { ...unsigned, headers: added },
      options({ 'nc.example.org': rsa.publicKey }),
    );
    assert.equal(result.ok && result.signerHost, 'nc.example.org');
  });
});

describe('draft-cavage verification refuses tampering', () => {
  const good = signed();

  test('body, method, path, date', async () => {
    const other = new TextEncoder().encode(JSON.stringify({ evil: 1 }).padEnd(body.byteLength));
    assert.equal(await reasonOf({ ...good, body: other }), 'bad-digest');
    assert.equal(
      await reasonOf(
        edit({ ...good, body: other }, 'Digest', legacyDigestHeader(other, 'SHA-256')),
      ),
      'bad-signature',
    );
    assert.equal(await reasonOf({ ...good, method: 'PUT' }), 'bad-signature');
    assert.equal(
      await reasonOf({
        ...good,
        targetUri: fixture.request.url.replace('notifications', 'shares'),
      }),
      'bad-signature',
    );
    assert.equal(
      await reasonOf(edit(good, 'Date', 'Mon, 08 Jul 2024 14:16:21 GMT')),
      'bad-signature',
    );
  });

  test('digest header, content length, host', async () => {
    const mixed = `${String(good.headers.Digest)},SHA-512=${Buffer.alloc(64).toString('base64')}`;
    assert.equal(await reasonOf(edit(good, 'Digest', mixed)), 'digest-algorithm-mismatch');
    assert.equal(await reasonOf(edit(good, 'Content-Length', '7')), 'bad-content-length');
    // Signed for another receiver, replayed to us: the Host is not ours.
    assert.equal(
      await reasonOf({
        ...good,
        targetUri: 'https://gateway.example.net/index.php/apps/federatedfilesharing/notifications',
      }),
      'wrong-host',
    );
  });

  test('tampered authority: Host alone, or Host and target together', async () => {
    const host = new URL(good.targetUri).host;
    // A Host that disagrees with the server that received the request.
    assert.equal(await reasonOf(edit(good, 'Host', 'evil.example.org')), 'wrong-host');
    // Re-addressed consistently to another server (or port): the signed host no longer matches.
    for (const other of ['evil.example.org', `${host}:8443`]) {
      const moved = new URL(good.targetUri);
      moved.host = other;
      assert.equal(
        await reasonOf({ ...edit(good, 'Host', other), targetUri: moved.toString() }),
        'bad-signature',
      );
    }
  });

  test('stale or future Date', async () => {
    assert.equal(await reasonOf(good, { ...options(), now: NOW + 301_000 }), 'stale');
    assert.equal(await reasonOf(good, { ...options(), now: NOW - 61_000 }), 'future');
  });

  test('headers list without the required ones', async () => {
    const signature = String(good.headers.Signature).replace(
      'headers="(request-target) content-length date digest host"',
      'headers="(request-target) date host"',
    );
    assert.equal(await reasonOf(edit(good, 'Signature', signature)), 'missing-components');
    const noList = String(good.headers.Signature).replace(/headers="[^"]*",/, '');
    assert.equal(await reasonOf(edit(good, 'Signature', noList)), 'missing-components');
  });

  test('the spec minimum without (request-target) still verifies', async () => {
    const names = ['content-length', 'date', 'digest', 'host'];
    const text = cavageSigningString(good, names);
    assert.ok(text.ok);
    const value = sign('sha256', Buffer.from(text.text), rsa.privateKey).toString('base64');
    const header = `keyId="${KEY_ID}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${value}"`;
    assert.equal(await reasonOf(edit(good, 'Signature', header)), 'ok');
  });

  test('algorithms: hmac refused, unknown refused, missing refused', async () => {
    const value = String(good.headers.Signature);
    assert.equal(
      await reasonOf(edit(good, 'Signature', value.replace('rsa-sha256', 'hmac-sha256'))),
      'symmetric-algorithm',
    );
    assert.equal(
      await reasonOf(edit(good, 'Signature', value.replace('rsa-sha256', 'rsa-sha1'))),
      'unsupported-algorithm',
    );
    assert.equal(
      await reasonOf(edit(good, 'Signature', value.replace('algorithm="rsa-sha256",', ''))),
      'malformed',
    );
    // Declared rsa-sha512 while signed with sha256: the signature cannot verify.
    assert.equal(
      await reasonOf(edit(good, 'Signature', value.replace('rsa-sha256', 'rsa-sha512'))),
      'bad-signature',
    );
  });

  test('keys: unknown, wrong type, another RSA key', async () => {
    assert.equal(await reasonOf(good, options({})), 'unknown-key');
    assert.equal(
      await reasonOf(good, options({ [KEY_ID]: generateKeyPairSync('ed25519').publicKey })),
      'key-algorithm-mismatch',
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.equal(await reasonOf(good, options({ [KEY_ID]: other.publicKey })), 'bad-signature');
  });

  test('malformed Signature headers', async () => {
    for (const value of [
      'keyId=',
      'keyId="x",keyId="y",signature="AA=="',
      'signature="AA=="',
      `keyId="${KEY_ID}",algorithm="rsa-sha256",headers="content-length date digest host",signature="***"`,
    ]) {
      assert.equal(await reasonOf(edit(good, 'Signature', value)), 'malformed', value);
    }
  });
});
