/** RFC 9421 HTTP Message Signatures as OCM 1.3 / draft-ietf-ocm uses them (Appendix B): one signature
 * labelled `ocm`, covering @method @target-uri content-digest content-length date, with created and
 * keyid; Ed25519 (and ECDSA P-256 for verification). Written independently of the gateway. */
import { sign, verify, type KeyObject } from 'node:crypto';
import { checkContentDigest } from './body-digest.ts';
import {
  isInnerList,
  paramOf,
  parseDictionary,
  serializeInnerList,
  type InnerList,
  type Params,
} from './structured-fields.ts';

export const OCM_COMPONENTS = [
  '@method',
  '@target-uri',
  'content-digest',
  'content-length',
  'date',
];

export interface SignableRequest {
  method: string;
  /** Absolute target URI as the receiver will reconstruct it. */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

function componentValue(name: string, req: SignableRequest): string | undefined {
  const url = new URL(req.url);
  switch (name) {
    case '@method':
      return req.method.toUpperCase();
    case '@target-uri':
      return req.url;
    case '@authority':
      return url.host.toLowerCase();
    case '@scheme':
      return url.protocol.replace(/:$/, '').toLowerCase();
    case '@path':
      return url.pathname;
    case '@query':
      return url.search === '' ? '?' : url.search;
    case '@request-target':
      return url.pathname + url.search;
    default:
      if (name.startsWith('@')) return undefined;
      return req.headers[name]?.trim();
  }
}

/** The signature base of RFC 9421 §2.5; undefined when a covered component is absent. */
export function signatureBase(req: SignableRequest, covered: InnerList): string | undefined {
  const lines: string[] = [];
  for (const item of covered.list) {
    if (typeof item.value !== 'string' || item.params.length > 0) return undefined;
    const value = componentValue(item.value, req);
    if (value === undefined) return undefined;
    lines.push(`"${item.value}": ${value}`);
  }
  lines.push(`"@signature-params": ${serializeInnerList(covered)}`);
  return lines.join('\n');
}

export type SigningAlg = 'ed25519' | 'ecdsa-p256-sha256';

function rawSign(alg: SigningAlg, key: KeyObject, data: Buffer): Buffer {
  return alg === 'ed25519'
    ? sign(null, data, key)
    : sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}

function rawVerify(key: KeyObject, alg: string | undefined, data: Buffer, sig: Buffer): boolean {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519')
    return (alg === undefined || alg === 'ed25519') && verify(null, data, key, sig);
  if (type === 'ec') {
    const algOk = alg === undefined || alg === 'ecdsa-p256-sha256';
    return algOk && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  }
  return false; // symmetric or unsupported: OCM forbids symmetric algorithms
}

/** Signs `req` and returns the Signature-Input and Signature header values. */
export function signRfc9421(
  req: SignableRequest,
  o: {
    keyId: string;
    privateKey: KeyObject;
    alg: SigningAlg;
    created: number;
    label?: string;
    components?: string[];
  },
): { signatureInput: string; signature: string } {
  const params: Params = [
    ['created', o.created],
    ['keyid', o.keyId],
    ['alg', o.alg],
  ];
  const covered: InnerList = {
    list: (o.components ?? OCM_COMPONENTS).map((c) => ({ value: c, params: [] })),
    params,
  };
  const base = signatureBase(req, covered);
  if (base === undefined)
    throw new Error('cannot sign: a covered component is missing from the request');
  const label = o.label ?? 'ocm';
  const sig = rawSign(o.alg, o.privateKey, Buffer.from(base, 'utf8'));
  return {
    signatureInput: `${label}=${serializeInnerList(covered)}`,
    signature: `${label}=:${sig.toString('base64')}:`,
  };
}

export interface VerifyRfc9421Options {
  /** Seconds since the epoch. */
  now: number;
  maxAgeSeconds: number;
  maxFutureSkewSeconds: number;
  body: Buffer;
  resolveKey: (keyid: string) => Promise<KeyObject | undefined>;
}

export type Rfc9421Result =
  { ok: true; keyid: string; created: number; signature: string } | { ok: false; reason: string };

/** Verifies the single `ocm` signature (other labels ignored), incl. Content-Digest and length. */
export async function verifyRfc9421(
  req: SignableRequest,
  o: VerifyRfc9421Options,
): Promise<Rfc9421Result> {
  const inputHeader = req.headers['signature-input'];
  const sigHeader = req.headers.signature;
  if (inputHeader === undefined || sigHeader === undefined)
    return { ok: false, reason: 'request is not signed' };
  let inputs, sigs;
  try {
    inputs = parseDictionary(inputHeader);
    sigs = parseDictionary(sigHeader);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (inputs.duplicates.includes('ocm') || sigs.duplicates.includes('ocm'))
    return { ok: false, reason: 'more than one ocm signature' };
  const covered = inputs.members.find(([k]) => k === 'ocm')?.[1];
  const sigMember = sigs.members.find(([k]) => k === 'ocm')?.[1];
  if (covered === undefined || sigMember === undefined)
    return { ok: false, reason: 'no signature labelled ocm' };
  if (!isInnerList(covered) || isInnerList(sigMember))
    return { ok: false, reason: 'malformed ocm signature' };
  const sigValue = sigMember.value;
  if (typeof sigValue !== 'object' || !('bytes' in sigValue))
    return { ok: false, reason: 'signature is not a byte sequence' };
  const names = covered.list.map((i) => i.value);
  const missing = OCM_COMPONENTS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    return { ok: false, reason: `signature does not cover ${missing.join(', ')}` };
  const created = paramOf(covered.params, 'created');
  const keyid = paramOf(covered.params, 'keyid');
  const alg = paramOf(covered.params, 'alg');
  const expires = paramOf(covered.params, 'expires');
  if (typeof created !== 'number') return { ok: false, reason: 'created parameter missing' };
  if (typeof keyid !== 'string') return { ok: false, reason: 'keyid parameter missing' };
  if (created > o.now + o.maxFutureSkewSeconds)
    return { ok: false, reason: 'signature created in the future' };
  if (created < o.now - o.maxAgeSeconds) return { ok: false, reason: 'signature too old' };
  if (typeof expires === 'number' && expires < o.now)
    return { ok: false, reason: 'signature expired' };
  const digest = checkContentDigest(req.headers['content-digest'], o.body);
  if (!digest.ok) return { ok: false, reason: digest.reason };
  if (req.headers['content-length'] !== String(o.body.length))
    return { ok: false, reason: 'content-length does not match the body' };
  const base = signatureBase(req, covered);
  if (base === undefined)
    return { ok: false, reason: 'a covered component is missing from the request' };
  const key = await o.resolveKey(keyid);
  if (key === undefined) return { ok: false, reason: `no public key for keyid ${keyid}` };
  const ok = rawVerify(
    key,
    typeof alg === 'string' ? alg : undefined,
    Buffer.from(base, 'utf8'),
    sigValue.bytes,
  );
  return ok
    ? { ok: true, keyid, created, signature: sigValue.bytes.toString('base64') }
    : { ok: false, reason: 'signature does not verify' };
}
