/** Body digests: RFC 9530 `Content-Digest` (OCM 1.3) and the legacy RFC 3230 `Digest` header used by
 * draft-cavage signing (OCM 1.2, Nextcloud 31+). Every recognised algorithm present must match. */
import { createHash } from 'node:crypto';
import { parseDictionary } from './structured-fields.ts';

const RFC9530: Record<string, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };
const RFC3230: Record<string, string> = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

export function contentDigest(
  body: Buffer | string,
  alg: 'sha-256' | 'sha-512' = 'sha-256',
): string {
  return `${alg}=:${createHash(RFC9530[alg] ?? 'sha256')
    .update(body)
    .digest('base64')}:`;
}

export type DigestCheck = { ok: true } | { ok: false; reason: string };

/** RFC 9530: at least one recognised algorithm, and every recognised one matches the body. */
export function checkContentDigest(header: string | undefined, body: Buffer): DigestCheck {
  if (header === undefined) return { ok: false, reason: 'Content-Digest header missing' };
  let members;
  try {
    members = parseDictionary(header).members;
  } catch (e) {
    return { ok: false, reason: `Content-Digest unparsable: ${(e as Error).message}` };
  }
  let recognised = 0;
  for (const [alg, m] of members) {
    const hash = RFC9530[alg];
    if (hash === undefined) continue;
    recognised++;
    const value = 'value' in m ? m.value : undefined;
    if (typeof value !== 'object' || !('bytes' in value))
      return { ok: false, reason: `${alg} is not a byte sequence` };
    if (!createHash(hash).update(body).digest().equals(value.bytes)) {
      return { ok: false, reason: `Content-Digest ${alg} does not match the body` };
    }
  }
  return recognised > 0
    ? { ok: true }
    : { ok: false, reason: 'no recognised Content-Digest algorithm' };
}

export function legacyDigest(
  body: Buffer | string,
  alg: 'SHA-256' | 'SHA-512' = 'SHA-256',
): string {
  return `${alg}=${createHash(RFC3230[alg] ?? 'sha256')
    .update(body)
    .digest('base64')}`;
}

/** RFC 3230 `Digest: SHA-256=<b64>[, SHA-512=<b64>]`. */
export function checkLegacyDigest(header: string | undefined, body: Buffer): DigestCheck {
  if (header === undefined) return { ok: false, reason: 'Digest header missing' };
  let recognised = 0;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const alg = part.slice(0, eq).trim().toUpperCase();
    const hash = RFC3230[alg];
    if (eq === -1 || hash === undefined) continue;
    recognised++;
    if (createHash(hash).update(body).digest('base64') !== part.slice(eq + 1).trim()) {
      return { ok: false, reason: `Digest ${alg} does not match the body` };
    }
  }
  return recognised > 0 ? { ok: true } : { ok: false, reason: 'no recognised Digest algorithm' };
}
