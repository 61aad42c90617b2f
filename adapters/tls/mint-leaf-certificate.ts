/**
 * Mints the certificate the forward proxy shows for one intercepted host: ECDSA P-256 (fast to
 * make), the host as a DNS or IP subjectAltName (RFC 5280 §4.2.1.6), serverAuth only, signed by
 * the organisation CA and always expiring before it.
 */
import { webcrypto } from 'node:crypto';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { formatIpAddress, parseIpAddress } from '../../gateway/core/network/index.ts';
import type { EgressCa } from './egress-ca.ts';
import { randomSerialNumber } from './generate-egress-ca.ts';
import { x509 } from './x509-library.ts';

export interface LeafCertificate {
  /** The name it is for: lower-case DNS name or canonical IP text (no brackets). */
  readonly host: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export const LEAF_LIFETIME_MS = 30 * 24 * 3_600_000;
// Clients whose clock runs a little behind still accept a freshly minted leaf.
const BACKDATE_MS = 3_600_000;
const LEAF_KEY = { name: 'ECDSA', namedCurve: 'P-256' };
const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** The SAN a host needs, or an error naming why it cannot have one. */
export function leafSubjectName(host: string): { type: 'dns' | 'ip'; value: string } {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const ip = parseIpAddress(bare);
  if (ip !== undefined) return { type: 'ip', value: formatIpAddress(ip) };
  const name = bare.toLowerCase().replace(/\.$/, '');
  if (!DNS_NAME.test(name)) {
    throw new GatewayError('INVALID_REQUEST', 'host: not a DNS name or IP address', {
      issues: [{ field: 'host', message: 'not a DNS name or IP address' }],
    });
  }
  return { type: 'dns', value: name };
}

export async function mintLeafCertificate(
  ca: EgressCa,
  host: string,
  now: Date,
  lifetimeMs: number = LEAF_LIFETIME_MS,
): Promise<LeafCertificate> {
  const san = leafSubjectName(host);
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(Math.min(now.getTime() + lifetimeMs, ca.notAfter.getTime() - 1_000));
  const keys = await webcrypto.subtle.generateKey(LEAF_KEY, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    // A CN is limited to 64 characters; the SAN is what clients check anyway.
    subject: san.value.length <= 64 ? [{ CN: [san.value] }] : [{ O: ['OCM gateway'] }],
    issuer: ca.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey.privateKey,
    signingAlgorithm: ca.signingKey.signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([san]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    host: san.value,
    certificatePem: certificate.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    notBefore,
    notAfter,
  };
}
