/**
 * RFC 9530 `Content-Digest` (what RFC 9421 signatures cover, I-D-05 Appendix B): a Structured
 * Field dictionary `sha-256=:<base64>:`. Every recognised algorithm present must match the body.
 */
import { createHash } from 'node:crypto';
import { parseSfDictionary } from './structured-field.ts';

export type ContentDigestAlgorithm = 'sha-256' | 'sha-512';

/** Algorithms we can check; RFC 9530's deprecated ones (md5, sha, crc32c…) are ignored, not trusted. */
const RECOGNISED: Readonly<Record<string, 'sha256' | 'sha512'>> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
};

export type DigestCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'bad-digest' | 'digest-algorithm-mismatch' | 'malformed';
      readonly message: string;
    };

export function contentDigestHeader(
  body: Uint8Array,
  algorithms: readonly ContentDigestAlgorithm[] = ['sha-256'],
): string {
  return algorithms
    .map(
      (name) =>
        `${name}=:${createHash(RECOGNISED[name] ?? name)
          .update(body)
          .digest('base64')}:`,
    )
    .join(', ');
}

export function checkContentDigest(value: string | undefined, body: Uint8Array): DigestCheck {
  if (value === undefined) {
    return { ok: false, reason: 'bad-digest', message: 'Content-Digest header is missing' };
  }
  const members = parseSfDictionary(value);
  if (members === undefined) {
    return { ok: false, reason: 'malformed', message: 'Content-Digest is not a valid dictionary' };
  }
  const outcomes: boolean[] = [];
  for (const [name, member] of members) {
    const hash = RECOGNISED[name];
    if (hash === undefined) continue;
    const received = member[0];
    if (!(received instanceof ArrayBuffer)) {
      return {
        ok: false,
        reason: 'malformed',
        message: `Content-Digest ${name} is not a byte sequence (:base64:)`,
      };
    }
    outcomes.push(createHash(hash).update(body).digest().equals(new Uint8Array(received)));
  }
  return judgeDigests(outcomes, 'Content-Digest');
}

/** Shared by RFC 9530 and the cavage `Digest` header: all recognised digests must match. */
export function judgeDigests(outcomes: readonly boolean[], header: string): DigestCheck {
  if (outcomes.length === 0) {
    return {
      ok: false,
      reason: 'bad-digest',
      message: `${header} carries no supported algorithm (sha-256 or sha-512)`,
    };
  }
  if (outcomes.every(Boolean)) return { ok: true };
  if (outcomes.some(Boolean)) {
    return {
      ok: false,
      reason: 'digest-algorithm-mismatch',
      message: `${header}: one algorithm matches the body while another does not`,
    };
  }
  return { ok: false, reason: 'bad-digest', message: `${header} does not match the body` };
}
