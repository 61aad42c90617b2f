/**
 * Verifies a draft-cavage-http-signatures-12 `Signature` header as OCM pre-1.2 Appendix B asks:
 * `headers` covers at least `content-length date digest host`, `host` is us, content-length and
 * digest are recomputed, `Date` is fresh, and the key comes from the `keyId` host's discovery.
 */
import { createHash } from 'node:crypto';
import { parseCavageSignature } from './cavage-signature-header.ts';
import { cavageSigningString } from './cavage-signing-string.ts';
import { parseHttpDate } from './http-date.ts';
import { hostOfKeyId, normaliseHost } from './key-id-host.ts';
import { checkLegacyDigest } from './legacy-digest.ts';
import {
  algorithmForKey,
  checkAlgorithmName,
  verifySignatureBytes,
} from './signature-algorithm.ts';
import { readHeader, type SignableRequest } from './signable-request.ts';
import { checkTimestamp, lookUpKey, type VerifyOptions } from './verify-options.ts';
import { verificationFailure, type VerificationResult } from './verification-result.ts';

const scheme = 'cavage';

/** The minimum the OCM text requires; `(request-target)` is checked whenever it is listed. */
export const CAVAGE_REQUIRED_HEADERS = ['content-length', 'date', 'digest', 'host'] as const;

/** The `Signature` header value, or the parameters of `Authorization: Signature …`. */
export function cavageSignatureText(request: SignableRequest): string | undefined {
  const signature = readHeader(request.headers, 'signature');
  if (signature !== undefined) return signature;
  const authorization = readHeader(request.headers, 'authorization');
  const match = authorization === undefined ? null : /^Signature\s+(.+)$/i.exec(authorization);
  return match?.[1];
}

export async function verifyCavage(
  request: SignableRequest,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const fail = (
    reason: Parameters<typeof verificationFailure>[0],
    message: string,
    keyId?: string,
  ) => verificationFailure(reason, message, keyId === undefined ? { scheme } : { scheme, keyId });

  const text = cavageSignatureText(request);
  if (text === undefined) return fail('missing', 'no Signature header');
  const parsed = parseCavageSignature(text);
  if (!parsed.ok) return fail('malformed', parsed.message);
  const { keyId, algorithm, headers, created, expires } = parsed.value;

  const signerHost = hostOfKeyId(keyId);
  if (signerHost === undefined) return fail('malformed', `keyId "${keyId}" names no host`, keyId);
  if (algorithm === undefined) return fail('malformed', 'Signature has no algorithm', keyId);
  const algorithmName = checkAlgorithmName(scheme, algorithm);
  if (algorithmName !== undefined && !algorithmName.ok) {
    return fail(algorithmName.reason, algorithmName.message, keyId);
  }
  const missing = CAVAGE_REQUIRED_HEADERS.filter((name) => !headers.includes(name));
  if (missing.length > 0) {
    return fail('missing-components', `the signature does not cover ${missing.join(', ')}`, keyId);
  }
  if (new Set(headers).size !== headers.length) {
    return fail('malformed', 'a header is listed twice in headers', keyId);
  }

  const context = { scheme, keyId } as const;
  const date = parseHttpDate(readHeader(request.headers, 'date') ?? '');
  if (date === undefined) return fail('malformed', 'Date is missing or not an HTTP date', keyId);
  const dateProblem = checkTimestamp('Date', date, options, context);
  if (dateProblem !== undefined) return dateProblem;
  if (created !== undefined) {
    const createdProblem = checkTimestamp('created', created, options, context);
    if (createdProblem !== undefined) return createdProblem;
  }
  if (expires !== undefined && Math.floor(options.now / 1000) > expires) {
    return fail('stale', 'the signature has expired', keyId);
  }

  let ourHost: string | undefined;
  try {
    ourHost = new URL(request.targetUri).host;
  } catch {
    return fail('malformed', 'the target URI is not an absolute URI', keyId);
  }
  if (normaliseHost(readHeader(request.headers, 'host') ?? '') !== ourHost) {
    return fail('wrong-host', `the signed Host is not ${ourHost}`, keyId);
  }
  if (readHeader(request.headers, 'content-length') !== String(request.body.byteLength)) {
    return fail('bad-content-length', 'Content-Length does not match the body', keyId);
  }
  const digest = checkLegacyDigest(readHeader(request.headers, 'digest'), request.body);
  if (!digest.ok) return fail(digest.reason, digest.message, keyId);

  const signingString = cavageSigningString(request, headers, { created, expires });
  if (!signingString.ok) return fail('malformed', signingString.message, keyId);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(parsed.value.signature)) {
    return fail('malformed', 'the signature value is not base64', keyId);
  }
  const signature = Buffer.from(parsed.value.signature, 'base64');

  const key = await lookUpKey(options, keyId, scheme);
  if ('reason' in key) return key;
  const chosen = algorithmForKey(scheme, algorithm, key);
  if (!chosen.ok) return fail(chosen.reason, chosen.message, keyId);
  const data = Buffer.from(signingString.text, 'utf8');
  if (!verifySignatureBytes(chosen.algorithm, key, data, signature)) {
    return fail('bad-signature', 'the signature does not verify with the published key', keyId);
  }
  return {
    ok: true,
    scheme,
    keyId,
    signerHost,
    createdAt: created ?? date,
    replayKey: createHash('sha256').update(signature).digest('base64url'),
  };
}
