/**
 * Signs an outgoing request the way Nextcloud 31+ does (draft-cavage-http-signatures-12 as OCM
 * pre-1.2 Appendix B uses it): `Digest`, `Date`, `Content-Length`, `Host` and a `Signature` over
 * `(request-target) content-length date digest host` with an RSA key.
 */
import { sign } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.ts';
import { formatCavageSignature } from './cavage-signature-header.ts';
import { cavageSigningString } from './cavage-signing-string.ts';
import { formatHttpDate } from './http-date.ts';
import { legacyDigestHeader, type LegacyDigestAlgorithm } from './legacy-digest.ts';
import { withHeaders, type SignableRequest } from './signable-request.ts';
import type { SigningKey } from './signing-key.ts';

export const CAVAGE_SIGNED_HEADERS = [
  '(request-target)',
  'content-length',
  'date',
  'digest',
  'host',
] as const;

export interface CavageSigningOptions {
  /**
   * `rsa-sha256` with a `SHA-256` digest is what the OCM pre-1.2 text shows and every cavage peer
   * verifies; Nextcloud 31+ itself sends `rsa-sha512` with `SHA-512` and accepts both.
   */
  readonly algorithm?: 'rsa-sha256' | 'rsa-sha512';
  readonly digest?: LegacyDigestAlgorithm;
}

/** Headers to set on the request: Content-Length, Date, Digest, Host, Signature. */
export function signCavage(
  key: SigningKey,
  request: SignableRequest,
  now: number,
  options: CavageSigningOptions = {},
): Record<string, string> {
  if (key.family !== 'rsa') {
    throw new GatewayError('INTERNAL', 'draft-cavage signing needs an RSA key.');
  }
  const algorithm = options.algorithm ?? 'rsa-sha256';
  let host: string;
  try {
    host = new URL(request.targetUri).host;
  } catch {
    throw new GatewayError('INTERNAL', 'Cannot sign the request: the target URI is not absolute.');
  }
  const covered: Record<string, string> = {
    'Content-Length': String(request.body.byteLength),
    Date: formatHttpDate(now),
    Digest: legacyDigestHeader(request.body, options.digest ?? 'SHA-256'),
    Host: host,
  };
  const text = cavageSigningString(
    { ...request, headers: withHeaders(request.headers, covered) },
    CAVAGE_SIGNED_HEADERS,
  );
  if (!text.ok) throw new GatewayError('INTERNAL', `Cannot sign the request: ${text.message}.`);
  const hash = algorithm === 'rsa-sha256' ? 'sha256' : 'sha512';
  const signature = sign(hash, Buffer.from(text.text, 'utf8'), key.privateKey).toString('base64');
  return {
    ...covered,
    Signature: formatCavageSignature({
      keyId: key.keyId,
      algorithm,
      headers: CAVAGE_SIGNED_HEADERS,
      signature,
    }),
  };
}
