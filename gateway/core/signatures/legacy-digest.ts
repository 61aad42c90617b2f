/**
 * The RFC 3230 `Digest` header that draft-cavage signatures cover (OCM pre-1.2 Appendix B,
 * Nextcloud 31+ OCMSignatoryManager): `SHA-256=<base64>` or `SHA-512=<base64>`.
 */
import { createHash } from 'node:crypto';
import { judgeDigests, type DigestCheck } from './content-digest.ts';

export type LegacyDigestAlgorithm = 'SHA-256' | 'SHA-512';

const RECOGNISED: Readonly<Record<string, 'sha256' | 'sha512'>> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
};

export function legacyDigestHeader(body: Uint8Array, algorithm: LegacyDigestAlgorithm): string {
  const hash = algorithm === 'SHA-256' ? 'sha256' : 'sha512';
  return `${algorithm}=${createHash(hash).update(body).digest('base64')}`;
}

export function checkLegacyDigest(value: string | undefined, body: Uint8Array): DigestCheck {
  if (value === undefined) {
    return { ok: false, reason: 'bad-digest', message: 'Digest header is missing' };
  }
  const outcomes: boolean[] = [];
  // RFC 3230: comma-separated `algorithm=value`, algorithm names case-insensitive; base64 has no commas.
  for (const part of value.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) {
      return { ok: false, reason: 'malformed', message: 'Digest is not "ALGORITHM=base64"' };
    }
    const hash = RECOGNISED[part.slice(0, equals).trim().toLowerCase()];
    if (hash === undefined) continue;
    const expected = createHash(hash).update(body).digest('base64');
    outcomes.push(part.slice(equals + 1).trim() === expected);
  }
  return judgeDigests(outcomes, 'Digest');
}
