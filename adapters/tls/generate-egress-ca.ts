/**
 * Creates a self-signed organisation CA for TLS interception (ECDSA P-256, 10 years, pathLen 0):
 * the default when the operator gives none. Returns PEM text for the data dir.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { x509 } from './x509-library.ts';

const TEN_YEARS_MS = 10 * 365 * 24 * 3_600_000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface GeneratedCaPem {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  // Positive and non-zero (RFC 5280 §4.1.2.2).
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export async function generateEgressCa(now: Date): Promise<GeneratedCaPem> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  // A per-installation suffix: two gateways' CAs never share a name in a trust store.
  const name = [{ CN: [`OCM gateway egress CA ${randomBytes(4).toString('hex')}`] }];
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name,
    notBefore: new Date(now.getTime() - 3_600_000),
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}
