import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDigestHeader } from './content-digest.ts';
import { signRequest } from './sign-request.ts';
import { buildSignatureBase } from './signature-base.ts';
import type { HeaderMap, SignableRequest } from './signable-request.ts';
import type { SigningKey } from './signing-key.ts';
import { verifyRequest } from './verify-request.ts';
import type { VerifyOptions } from './verify-options.ts';

const NOW = Date.UTC(2026, 0, 16, 13, 37, 0);
const KEY_ID = 'sender.example.org#key1';
const ed = generateKeyPairSync('ed25519');
const signer: SigningKey = { keyId: KEY_ID, family: 'ed25519', privateKey: ed.privateKey };
const body = new TextEncoder().encode(
  JSON.stringify({
    shareWith: 'marie@receiver.example.org',
    sender: 'einstein@sender.example.org',
  }),
);
const unsigned: SignableRequest = {
  method: 'POST',
  targetUri: 'https://receiver.example.org/ocm/shares',
  headers: { 'Content-Type': 'application/json' },
  body,
};

function signed(request: SignableRequest = unsigned, now = NOW): SignableRequest {
  const added = signRequest('rfc9421', signer, request, now);
  return { ...request, headers: { ...request.headers, ...added } };
}

function options(keys: Record<string, KeyObject> = { [KEY_ID]: ed.publicKey }): VerifyOptions {
  return {
    now: NOW,
    resolveKey: (keyId, scheme) => Promise.resolve(scheme === 'rfc9421' ? keys[keyId] : undefined),
  };
}

async function reasonOf(request: SignableRequest, opts = options()): Promise<string> {
  const result = await verifyRequest(request, opts);
  return result.ok ? 'ok' : result.reason;
}

function withHeader(request: SignableRequest, name: string, value: string): SignableRequest {
  const headers: Record<string, HeaderMap[string]> = {};
  for (const [key, v] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== name.toLowerCase()) headers[key] = v;
  }
  headers[name] = value;
  return { ...request, headers };
}

describe('RFC 9421 signing', () => {
  test('adds exactly the headers I-D-05 Appendix B shows, one `ocm` label', () => {
    const added = signRequest('rfc9421', signer, unsigned, NOW);
    assert.deepEqual(Object.keys(added).sort(), [
      'Content-Digest',
      'Content-Length',
      'Date',
      'Signature',
      'Signature-Input',
    ]);
    assert.equal(added.Date, 'Fri, 16 Jan 2026 13:37:00 GMT');
    assert.equal(added['Content-Length'], String(body.byteLength));
    assert.equal(added['Content-Digest'], contentDigestHeader(body));
    assert.equal(
      added['Signature-Input'],
      'ocm=("@method" "@target-uri" "content-digest" "content-length" "date");created=1768570620;keyid="sender.example.org#key1";alg="ed25519"',
    );
    assert.match(added.Signature ?? '', /^ocm=:[A-Za-z0-9+/]{86}==:$/);
  });

  test('round trip: verified, with the signer host from the keyid', async () => {
    const result = await verifyRequest(signed(), options());
    assert.deepEqual(result.ok && { ...result, replayKey: typeof result.replayKey }, {
      ok: true,
      scheme: 'rfc9421',
      keyId: KEY_ID,
      signerHost: 'sender.example.org',
      createdAt: Math.floor(NOW / 1000),
      replayKey: 'string',
    });
  });

  test('unsigned scheme adds nothing; a missing key is a programming error', () => {
    assert.deepEqual(signRequest('unsigned', undefined, unsigned, NOW), {});
    assert.throws(() => signRequest('rfc9421', undefined, unsigned, NOW), /No signing key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.throws(
      () =>
        signRequest(
          'rfc9421',
          { keyId: 'x', family: 'rsa', privateKey: rsa.privateKey },
          unsigned,
          NOW,
        ),
      /Ed25519/,
    );
  });
});

describe('RFC 9421 verification refuses tampering', () => {
  const good = signed();

  test('body changed (digest no longer matches)', async () => {
    const tampered = {
      ...good,
      body: new TextEncoder().encode(JSON.stringify({ evil: 1 }).padEnd(body.byteLength)),
    };
    assert.equal(await reasonOf(tampered), 'bad-digest');
  });

  test('body and digest changed together (signature no longer matches)', async () => {
    const other = new TextEncoder().encode(JSON.stringify({ evil: true }).padEnd(body.byteLength));
    const tampered = withHeader(
      { ...good, body: other },
      'Content-Digest',
      contentDigestHeader(other),
    );
    assert.equal(await reasonOf(tampered), 'bad-signature');
  });

  test('method, path, query, host changed', async () => {
    assert.equal(await reasonOf({ ...good, method: 'PUT' }), 'bad-signature');
    assert.equal(
      await reasonOf({ ...good, targetUri: 'https://receiver.example.org/ocm/notifications' }),
      'bad-signature',
    );
    assert.equal(
      await reasonOf({ ...good, targetUri: 'https://receiver.example.org/ocm/shares?x=1' }),
      'bad-signature',
    );
    assert.equal(
      await reasonOf({ ...good, targetUri: 'https://other.example.org/ocm/shares' }),
      'bad-signature',
    );
  });

  test('tampered authority: another port, user info, another host', async () => {
    for (const authority of [
      'receiver.example.org:8443',
      'x@receiver.example.org',
      'evil.example.org',
    ]) {
      const moved = good.targetUri.replace('receiver.example.org', authority);
      assert.notEqual(moved, good.targetUri);
      assert.notEqual(await reasonOf({ ...good, targetUri: moved }), 'ok', authority);
    }
  });

  test('date changed within the window', async () => {
    assert.equal(
      await reasonOf(withHeader(good, 'Date', 'Fri, 16 Jan 2026 13:37:01 GMT')),
      'bad-signature',
    );
  });

  test('content-length header not the body length', async () => {
    assert.equal(await reasonOf(withHeader(good, 'Content-Length', '1')), 'bad-content-length');
  });

  test('digest: another algorithm that disagrees', async () => {
    const mixed = `${String(good.headers['Content-Digest'])}, sha-512=:${Buffer.alloc(64).toString('base64')}:`;
    assert.equal(
      await reasonOf(withHeader(good, 'Content-Digest', mixed)),
      'digest-algorithm-mismatch',
    );
  });

  test('two `ocm` signatures, in one header or across repeated lines', async () => {
    const input = String(good.headers['Signature-Input']);
    const signature = String(good.headers.Signature);
    assert.equal(
      await reasonOf(withHeader(good, 'Signature-Input', `${input}, ${input}`)),
      'duplicate-label',
    );
    assert.equal(
      await reasonOf(withHeader(good, 'Signature', `${signature}, ${signature}`)),
      'duplicate-label',
    );
    const lines = { ...good, headers: { ...good.headers, 'Signature-Input': [input, input] } };
    assert.equal(await reasonOf(lines), 'duplicate-label');
  });

  test('other labels are ignored, an ocm label is required', async () => {
    const input = String(good.headers['Signature-Input']);
    const signature = String(good.headers.Signature);
    const extra = withHeader(
      withHeader(good, 'Signature-Input', `proxy=("@method");created=1, ${input}`),
      'Signature',
      `proxy=:AAAA:, ${signature}`,
    );
    assert.equal(await reasonOf(extra), 'ok');
    const relabelled = withHeader(
      withHeader(good, 'Signature-Input', input.replace(/^ocm=/, 'sig1=')),
      'Signature',
      signature.replace(/^ocm=/, 'sig1='),
    );
    assert.equal(await reasonOf(relabelled), 'missing');
  });

  test('a required component left out', async () => {
    for (const dropped of [
      '"@method" ',
      '"@target-uri" ',
      '"content-digest" ',
      '"content-length" ',
      ' "date"',
    ]) {
      const input = String(good.headers['Signature-Input']).replace(dropped, '');
      assert.equal(
        await reasonOf(withHeader(good, 'Signature-Input', input)),
        'missing-components',
        dropped,
      );
    }
  });

  test('created missing, stale or in the future; Date stale', async () => {
    const input = String(good.headers['Signature-Input']);
    assert.equal(
      await reasonOf(withHeader(good, 'Signature-Input', input.replace(/;created=\d+/, ''))),
      'malformed',
    );
    assert.equal(await reasonOf(good, { ...options(), now: NOW + 301_000 }), 'stale');
    assert.equal(await reasonOf(good, { ...options(), now: NOW + 299_000 }), 'ok');
    assert.equal(await reasonOf(good, { ...options(), now: NOW - 61_000 }), 'future');
    assert.equal(await reasonOf(good, { ...options(), now: NOW - 59_000 }), 'ok');
    assert.equal(
      await reasonOf(good, { ...options(), now: NOW - 10_000, maxFutureSkewSeconds: 5 }),
      'future',
    );
    // created fresh but the covered Date far in the past: refused on Date.
    const oldDate = signed(unsigned, NOW);
    const rebuilt = resign(withHeader(oldDate, 'Date', 'Fri, 16 Jan 2026 12:00:00 GMT'));
    assert.equal(await reasonOf(rebuilt), 'stale');
  });

  test('symmetric and unknown algorithms are refused before any key lookup', async () => {
    let lookups = 0;
    const counting: VerifyOptions = {
      ...options(),
      resolveKey: () => {
        lookups += 1;
        return Promise.resolve(undefined);
      },
    };
    const input = String(good.headers['Signature-Input']);
    assert.equal(
      await reasonOf(
        withHeader(good, 'Signature-Input', input.replace('ed25519', 'hmac-sha256')),
        counting,
      ),
      'symmetric-algorithm',
    );
    assert.equal(
      await reasonOf(
        withHeader(good, 'Signature-Input', input.replace('ed25519', 'rot13')),
        counting,
      ),
      'unsupported-algorithm',
    );
    assert.equal(lookups, 0);
  });

  test('a secret (symmetric) key from the resolver is refused', async () => {
    const { createSecretKey } = await import('node:crypto');
    assert.equal(
      await reasonOf(good, options({ [KEY_ID]: createSecretKey(Buffer.alloc(32)) })),
      'symmetric-algorithm',
    );
  });

  test('unknown key, failing lookup, key of another type or another Ed25519 key', async () => {
    assert.equal(await reasonOf(good, options({})), 'unknown-key');
    assert.equal(
      await reasonOf(good, { ...options(), resolveKey: () => Promise.reject(new Error('down')) }),
      'key-unavailable',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.equal(
      await reasonOf(good, options({ [KEY_ID]: rsa.publicKey })),
      'key-algorithm-mismatch',
    );
    const other = generateKeyPairSync('ed25519');
    assert.equal(await reasonOf(good, options({ [KEY_ID]: other.publicKey })), 'bad-signature');
  });

  test('garbage headers are malformed, never thrown', async () => {
    assert.equal(await reasonOf(withHeader(good, 'Signature-Input', 'ocm=(((')), 'malformed');
    assert.equal(await reasonOf(withHeader(good, 'Signature', 'ocm="text"')), 'malformed');
    assert.equal(await reasonOf(withHeader(good, 'Signature', 'other=:AAAA:')), 'malformed');
    const input = String(good.headers['Signature-Input']);
    assert.equal(
      await reasonOf(withHeader(good, 'Signature-Input', input.replace('"date"', '"date";sf'))),
      'malformed',
    );
    assert.equal(
      await reasonOf(
        withHeader(
          good,
          'Signature-Input',
          input.replace('keyid="sender.example.org#key1"', 'keyid="#"'),
        ),
      ),
      'malformed',
    );
  });
});

describe('RFC 9421 verification of other signers', () => {
  test('ECDSA P-256 (as newer Nextcloud signs) verifies with the key type inferred', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const created = Math.floor(NOW / 1000);
    const headers = {
      'Content-Digest': contentDigestHeader(body),
      'Content-Length': String(body.byteLength),
      Date: new Date(NOW).toUTCString(),
    };
    const params = `("@method" "@target-uri" "content-digest" "content-length" "date");created=${created};keyid="nc.example.org#ec1"`;
    const request: SignableRequest = { ...unsigned, headers: { ...unsigned.headers, ...headers } };
    const base = buildSignatureBase(
      request,
      ['@method', '@target-uri', 'content-digest', 'content-length', 'date'],
      params,
    );
    assert.ok(base.ok);
    const signature = sign('sha256', Buffer.from(base.base), {
      key: ec.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    const full = {
      ...request,
      headers: {
        ...request.headers,
        'Signature-Input': `ocm=${params}`,
        Signature: `ocm=:${signature.toString('base64')}:`,
      },
    };
    const result = await verifyRequest(full, options({ 'nc.example.org#ec1': ec.publicKey }));
    assert.equal(result.ok && result.signerHost, 'nc.example.org');
  });
});

/** Re-signs a request after its Date was edited, so only the Date check can refuse it. */
function resign(request: SignableRequest): SignableRequest {
  const input = String(request.headers['Signature-Input']).replace(/^ocm=/, '');
  const base = buildSignatureBase(
    request,
    ['@method', '@target-uri', 'content-digest', 'content-length', 'date'],
    input,
  );
  assert.ok(base.ok);
  const signature = sign(
    null,
    Buffer.from(base.base),
    createPrivateKey(ed.privateKey.export({ format: 'pem', type: 'pkcs8' })),
  );
  return withHeader(request, 'Signature', `ocm=:${signature.toString('base64')}:`);
}
