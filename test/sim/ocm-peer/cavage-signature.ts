/** draft-cavage-http-signatures-12 request signing as OCM 1.2 (pre-1.2 IETF-RFC Appendix B) and
 * Nextcloud 31+ use it: `(request-target) content-length date digest host`, rsa-sha256/rsa-sha512,
 * keyId = https://host/ocm#signature. Written independently of the gateway. */
import { sign, verify, type KeyObject } from 'node:crypto';
import { checkLegacyDigest } from './body-digest.ts';

export const CAVAGE_HEADERS = ['(request-target)', 'content-length', 'date', 'digest', 'host'];
const REQUIRED = ['content-length', 'date', 'digest', 'host'];

export type CavageAlg = 'rsa-sha256' | 'rsa-sha512';

export interface CavageRequest {
  method: string;
  /** Path + query as sent on the wire. */
  target: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

/** The signing string: `name: value` lines joined by '\n' (no trailing newline). */
export function cavageSigningString(req: CavageRequest, headers: string[]): string | undefined {
  const lines: string[] = [];
  for (const h of headers) {
    if (h === '(request-target)') {
      lines.push(`(request-target): ${req.method.toLowerCase()} ${req.target}`);
      continue;
    }
    const value = req.headers[h];
    if (value === undefined) return undefined;
    lines.push(`${h}: ${value.trim()}`);
  }
  return lines.join('\n');
}

const HASH: Record<CavageAlg, string> = { 'rsa-sha256': 'sha256', 'rsa-sha512': 'sha512' };

export function signCavage(
  req: CavageRequest,
  o: { keyId: string; privateKey: KeyObject; alg: CavageAlg; headers?: string[] },
): string {
  const headers = o.headers ?? CAVAGE_HEADERS;
  const text = cavageSigningString(req, headers);
  if (text === undefined) throw new Error('cannot sign: a listed header is missing');
  const sig = sign(HASH[o.alg], Buffer.from(text, 'utf8'), o.privateKey).toString('base64');
  return `keyId="${o.keyId}",algorithm="${o.alg}",headers="${headers.join(' ')}",signature="${sig}"`;
}

export function parseCavageHeader(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

export interface VerifyCavageOptions {
  /** Milliseconds since the epoch. */
  now: number;
  maxAgeSeconds: number;
  body: Buffer;
  resolveKey: (keyId: string) => Promise<KeyObject | undefined>;
}

export type CavageResult =
  { ok: true; keyId: string; signature: string } | { ok: false; reason: string };

/** Verifies headers list, digest, content-length, date TTL, then the RSA signature. */
export async function verifyCavage(
  req: CavageRequest,
  o: VerifyCavageOptions,
): Promise<CavageResult> {
  const raw = req.headers.signature;
  if (raw === undefined) return { ok: false, reason: 'request is not signed' };
  const p = parseCavageHeader(raw);
  const { keyId, signature } = p;
  const alg = (p.algorithm ?? 'rsa-sha256') as CavageAlg;
  if (keyId === undefined || signature === undefined)
    return { ok: false, reason: 'Signature header lacks keyId or signature' };
  if (!(alg in HASH)) return { ok: false, reason: `unsupported algorithm ${alg}` };
  const headers = (p.headers ?? 'date')
    .toLowerCase()
    .split(/\s+/)
    .filter((h) => h !== '');
  const missing = REQUIRED.filter((h) => !headers.includes(h));
  if (missing.length > 0)
    return { ok: false, reason: `signature does not cover ${missing.join(', ')}` };
  const digest = checkLegacyDigest(req.headers.digest, o.body);
  if (!digest.ok) return { ok: false, reason: digest.reason };
  if (req.headers['content-length'] !== String(o.body.length))
    return { ok: false, reason: 'content-length does not match the body' };
  const date = Date.parse(req.headers.date ?? '');
  if (Number.isNaN(date)) return { ok: false, reason: 'date header missing or invalid' };
  if (Math.abs(o.now - date) > o.maxAgeSeconds * 1000)
    return { ok: false, reason: 'date outside the allowed window' };
  const text = cavageSigningString(req, headers);
  if (text === undefined)
    return { ok: false, reason: 'a signed header is missing from the request' };
  const key = await o.resolveKey(keyId);
  if (key === undefined) return { ok: false, reason: `no public key for keyId ${keyId}` };
  const ok = verify(HASH[alg], Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  return ok ? { ok: true, keyId, signature } : { ok: false, reason: 'signature does not verify' };
}
