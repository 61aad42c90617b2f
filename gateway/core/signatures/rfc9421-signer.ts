/**
 * Signs an outgoing request per RFC 9421 as OCM I-D-05 Appendix B requires: one signature
 * labelled `ocm` over `"@method" "@target-uri" "content-digest" "content-length" "date"` with
 * `created`, `keyid` and `alg="ed25519"`, plus the RFC 9530 `Content-Digest` it covers.
 */
import { sign } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.ts';
import { contentDigestHeader } from './content-digest.ts';
import { formatHttpDate } from './http-date.ts';
import { buildSignatureBase } from './signature-base.ts';
import { serializeSfByteMember, serializeSfInnerList } from './structured-field.ts';
import { withHeaders, type SignableRequest } from './signable-request.ts';
import type { SigningKey } from './signing-key.ts';

export const OCM_SIGNATURE_LABEL = 'ocm';

/** The components every OCM signature must cover (I-D-05 Appendix B, "Signing a Request"). */
export const OCM_REQUIRED_COMPONENTS = [
  '@method',
  '@target-uri',
  'content-digest',
  'content-length',
  'date',
] as const;

/** Headers to set on the request: Content-Digest, Content-Length, Date, Signature-Input, Signature. */
export function signRfc9421(
  key: SigningKey,
  request: SignableRequest,
  now: number,
): Record<string, string> {
  if (key.family !== 'ed25519') {
    throw new GatewayError('INTERNAL', 'RFC 9421 signing needs an Ed25519 key.');
  }
  const covered: Record<string, string> = {
    'Content-Digest': contentDigestHeader(request.body),
    'Content-Length': String(request.body.byteLength),
    Date: formatHttpDate(now),
  };
  const signatureParams = serializeSfInnerList([
    OCM_REQUIRED_COMPONENTS.map((name) => [name, new Map()] as const),
    new Map<string, string | number>([
      ['created', Math.floor(now / 1000)],
      ['keyid', key.keyId],
      ['alg', 'ed25519'],
    ]),
  ]);
  const base = buildSignatureBase(
    { ...request, headers: withHeaders(request.headers, covered) },
    OCM_REQUIRED_COMPONENTS,
    signatureParams,
  );
  if (!base.ok) throw new GatewayError('INTERNAL', `Cannot sign the request: ${base.message}.`);
  const signature = sign(null, Buffer.from(base.base, 'utf8'), key.privateKey);
  return {
    ...covered,
    'Signature-Input': `${OCM_SIGNATURE_LABEL}=${signatureParams}`,
    Signature: serializeSfByteMember(OCM_SIGNATURE_LABEL, signature),
  };
}
