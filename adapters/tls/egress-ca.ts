/** The organisation CA the forward proxy signs intercepted hosts' certificates with. */
import type { x509 } from './x509-library.ts';
import type { CaSigningKey } from './ca-signing-key.ts';

export interface EgressCa {
  readonly certificatePem: string;
  /** Parsed once: its subject is every leaf's issuer, its key identifier their AKI. */
  readonly certificate: x509.X509Certificate;
  readonly signingKey: CaSigningKey;
  readonly notAfter: Date;
  /** configured: GATEWAY_EGRESS_CA_*; generated: created now; data-dir: created at an earlier start. */
  readonly source: 'configured' | 'generated' | 'data-dir';
  /** Where the certificate is, for the operator (make the backend trust this file). */
  readonly certificatePath: string;
}
