import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkContentDigest, contentDigestHeader } from './content-digest.ts';
import { checkLegacyDigest, legacyDigestHeader } from './legacy-digest.ts';

const body = new TextEncoder().encode('{"hello": "world"}');
// RFC 9530 / RFC 9421 Appendix B.2 values for this body.
const SHA256 = 'X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=';
const SHA512 =
  'WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==';
const WRONG256 = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

describe('RFC 9530 Content-Digest', () => {
  test('writes the published values', () => {
    assert.equal(contentDigestHeader(body), `sha-256=:${SHA256}:`);
    assert.equal(
      contentDigestHeader(body, ['sha-256', 'sha-512']),
      `sha-256=:${SHA256}:, sha-512=:${SHA512}:`,
    );
  });

  test('accepts a match, with unknown and deprecated algorithms ignored', () => {
    assert.deepEqual(checkContentDigest(`sha-256=:${SHA256}:`, body), { ok: true });
    assert.deepEqual(checkContentDigest(`sha-512=:${SHA512}:, md5=:AAAA:`, body), { ok: true });
  });

  test('every recognised algorithm must match', () => {
    const mixed = checkContentDigest(`sha-256=:${SHA256}:, sha-512=:${WRONG256}:`, body);
    assert.equal(!mixed.ok && mixed.reason, 'digest-algorithm-mismatch');
    const wrong = checkContentDigest(`sha-256=:${WRONG256}:`, body);
    assert.equal(!wrong.ok && wrong.reason, 'bad-digest');
  });

  test('missing, unsupported-only and malformed values are refused', () => {
    assert.equal(checkContentDigest(undefined, body).ok, false);
    const onlyMd5 = checkContentDigest('md5=:AAAA:', body);
    assert.equal(!onlyMd5.ok && onlyMd5.reason, 'bad-digest');
    const notBytes = checkContentDigest(`sha-256="${SHA256}"`, body);
    assert.equal(!notBytes.ok && notBytes.reason, 'malformed');
    const garbage = checkContentDigest('SHA-256=abc', body);
    assert.equal(!garbage.ok && garbage.reason, 'malformed');
  });
});

describe('RFC 3230 Digest (draft-cavage)', () => {
  test('writes SHA-256 and SHA-512', () => {
    assert.equal(legacyDigestHeader(body, 'SHA-256'), `SHA-256=${SHA256}`);
    assert.equal(legacyDigestHeader(body, 'SHA-512'), `SHA-512=${SHA512}`);
  });

  test('checks case-insensitively, every recognised algorithm', () => {
    assert.deepEqual(checkLegacyDigest(`sha-512=${SHA512}`, body), { ok: true });
    assert.deepEqual(checkLegacyDigest(`SHA-256=${SHA256},MD5=xyz`, body), { ok: true });
    const mixed = checkLegacyDigest(`SHA-256=${SHA256},SHA-512=${WRONG256}`, body);
    assert.equal(!mixed.ok && mixed.reason, 'digest-algorithm-mismatch');
    const wrong = checkLegacyDigest(`SHA-256=${WRONG256}`, body);
    assert.equal(!wrong.ok && wrong.reason, 'bad-digest');
    assert.equal(checkLegacyDigest('nonsense', body).ok, false);
    assert.equal(checkLegacyDigest(undefined, body).ok, false);
  });
});
