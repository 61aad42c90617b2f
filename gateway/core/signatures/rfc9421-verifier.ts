/**
 * Verifies the one `ocm`-labelled RFC 9421 signature of an incoming request (I-D-05 Appendix B,
 * "Verifying a Signature"): other labels are ignored, two `ocm` labels reject the message, the
 * required components and `created` must be there, and the covered digest must match the body.
 */
import { createHash } from 'node:crypto';
import { checkContentDigest } from './content-digest.ts';
import { countDictionaryMembers } from './dictionary-members.ts';
import { parseHttpDate } from './http-date.ts';
import { hostOfKeyId } from './key-id-host.ts';
import { OCM_REQUIRED_COMPONENTS, OCM_SIGNATURE_LABEL } from './rfc9421-signer.ts';
import {
  algorithmForKey,
  checkAlgorithmName,
  verifySignatureBytes,
} from './signature-algorithm.ts';
import { buildSignatureBase } from './signature-base.ts';
import { readHeader, type SignableRequest } from './signable-request.ts';
import { isSfInnerList, parseSfDictionary, serializeSfInnerList } from './structured-field.ts';
import { checkTimestamp, lookUpKey, type VerifyOptions } from './verify-options.ts';
import { verificationFailure, type VerificationResult } from './verification-result.ts';

const scheme = 'rfc9421';

export async function verifyRfc9421(
  request: SignableRequest,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const fail = (
    reason: Parameters<typeof verificationFailure>[0],
    message: string,
    keyId?: string,
  ) => verificationFailure(reason, message, keyId === undefined ? { scheme } : { scheme, keyId });

  const inputHeader = readHeader(request.headers, 'signature-input') ?? '';
  const signatureHeader = readHeader(request.headers, 'signature') ?? '';
  const inputs = countDictionaryMembers(inputHeader, OCM_SIGNATURE_LABEL);
  const values = countDictionaryMembers(signatureHeader, OCM_SIGNATURE_LABEL);
  if (inputs > 1 || values > 1) {
    return fail('duplicate-label', 'more than one signature is labelled "ocm"');
  }
  if (inputs === 0) return fail('missing', 'no signature labelled "ocm" in Signature-Input');
  if (values === 0) return fail('malformed', 'Signature has no member labelled "ocm"');

  const parsedInput = parseSfDictionary(inputHeader);
  const parsedSignature = parseSfDictionary(signatureHeader);
  if (parsedInput === undefined) return fail('malformed', 'Signature-Input is not a dictionary');
  if (parsedSignature === undefined) return fail('malformed', 'Signature is not a dictionary');
  const entry = parsedInput.get(OCM_SIGNATURE_LABEL);
  const signatureItem = parsedSignature.get(OCM_SIGNATURE_LABEL);
  if (entry === undefined || !isSfInnerList(entry)) {
    return fail('malformed', 'Signature-Input "ocm" is not a list of components');
  }
  if (signatureItem === undefined || !(signatureItem[0] instanceof ArrayBuffer)) {
    return fail('malformed', 'Signature "ocm" is not a byte sequence (:base64:)');
  }
  const signature = new Uint8Array(signatureItem[0]);

  const components: string[] = [];
  for (const [name, params] of entry[0]) {
    if (typeof name !== 'string') return fail('malformed', 'a covered component is not a string');
    if (params.size > 0) {
      return fail('malformed', `component "${name}" has parameters, which are not supported`);
    }
    components.push(name);
  }
  const missing = OCM_REQUIRED_COMPONENTS.filter((name) => !components.includes(name));
  if (missing.length > 0) {
    return fail('missing-components', `the signature does not cover ${missing.join(', ')}`);
  }

  const params = entry[1];
  const keyId = params.get('keyid');
  const created = params.get('created');
  const expires = params.get('expires');
  const alg = params.get('alg');
  if (typeof keyId !== 'string' || keyId === '') return fail('malformed', 'keyid is missing');
  if (!isInteger(created)) return fail('malformed', 'created is missing or not an integer', keyId);
  if (expires !== undefined && !isInteger(expires)) {
    return fail('malformed', 'expires is not an integer', keyId);
  }
  if (alg !== undefined && typeof alg !== 'string') {
    return fail('malformed', 'alg is not a string', keyId);
  }
  const signerHost = hostOfKeyId(keyId);
  if (signerHost === undefined) return fail('malformed', `keyid "${keyId}" names no host`, keyId);
  const algorithmName = checkAlgorithmName(scheme, alg);
  if (algorithmName !== undefined && !algorithmName.ok) {
    return fail(algorithmName.reason, algorithmName.message, keyId);
  }

  const context = { scheme, keyId } as const;
  const createdProblem = checkTimestamp('created', created, options, context);
  if (createdProblem !== undefined) return createdProblem;
  if (expires !== undefined && Math.floor(options.now / 1000) > expires) {
    return fail('stale', 'the signature has expired', keyId);
  }
  const date = parseHttpDate(readHeader(request.headers, 'date') ?? '');
  if (date === undefined) return fail('malformed', 'Date is missing or not an HTTP date', keyId);
  const dateProblem = checkTimestamp('Date', date, options, context);
  if (dateProblem !== undefined) return dateProblem;

  if (readHeader(request.headers, 'content-length') !== String(request.body.byteLength)) {
    return fail('bad-content-length', 'Content-Length does not match the body', keyId);
  }
  const digest = checkContentDigest(readHeader(request.headers, 'content-digest'), request.body);
  if (!digest.ok) return fail(digest.reason, digest.message, keyId);

  const base = buildSignatureBase(request, components, serializeSfInnerList(entry));
  if (!base.ok) return fail('malformed', base.message, keyId);

  const key = await lookUpKey(options, keyId, scheme);
  if ('reason' in key) return key;
  const algorithm = algorithmForKey(scheme, alg, key);
  if (!algorithm.ok) return fail(algorithm.reason, algorithm.message, keyId);
  if (!verifySignatureBytes(algorithm.algorithm, key, Buffer.from(base.base, 'utf8'), signature)) {
    return fail('bad-signature', 'the signature does not verify with the published key', keyId);
  }
  return {
    ok: true,
    scheme,
    keyId,
    signerHost,
    createdAt: created,
    replayKey: createHash('sha256').update(signature).digest('base64url'),
  };
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
