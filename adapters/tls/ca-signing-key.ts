/**
 * Turns the organisation CA's private key (PEM, any of PKCS#8, PKCS#1, SEC1) into a WebCrypto
 * signing key and the signature algorithm that goes with it. RSA, ECDSA P-256/384/521, Ed25519.
 */
import { createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';

type SigningAlgorithm =
  webcrypto.Algorithm | webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams;

export interface CaSigningKey {
  readonly privateKey: webcrypto.CryptoKey;
  /** What X509CertificateGenerator signs with (hash included). */
  readonly signingAlgorithm: SigningAlgorithm;
}

const EC_CURVES: Readonly<Record<string, { namedCurve: string; hash: string }>> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
  secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
};

function refuse(field: string, message: string): GatewayError {
  return new GatewayError('INVALID_REQUEST', `${field}: ${message}`, {
    issues: [{ field, message }],
  });
}

/** Parses the PEM; the error names the field, never the key material. */
export function parseCaPrivateKey(pem: string, field: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const encrypted = /passphrase/i.test(error instanceof Error ? error.message : '');
    throw refuse(
      field,
      encrypted
        ? 'the private key is encrypted; give an unencrypted PEM key (protect the file instead)'
        : 'is not a PEM private key',
    );
  }
}

export async function importCaSigningKey(key: KeyObject, field: string): Promise<CaSigningKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const type = key.asymmetricKeyType;
  let importAlgorithm: SigningAlgorithm | webcrypto.EcKeyImportParams;
  let signingAlgorithm: CaSigningKey['signingAlgorithm'];
  if (type === 'rsa') {
    importAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    signingAlgorithm = importAlgorithm;
  } else if (type === 'ec') {
    const curve = EC_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve === undefined) throw refuse(field, 'the EC key is not on P-256, P-384 or P-521');
    importAlgorithm = { name: 'ECDSA', namedCurve: curve.namedCurve };
    signingAlgorithm = { name: 'ECDSA', hash: curve.hash };
  } else if (type === 'ed25519') {
    importAlgorithm = { name: 'Ed25519' };
    signingAlgorithm = importAlgorithm;
  } else {
    throw refuse(field, `${String(type)} keys are not supported; use RSA, ECDSA or Ed25519`);
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, importAlgorithm, false, [
    'sign',
  ]);
  return { privateKey, signingAlgorithm };
}
