/** Public surface of the TLS adapter: the organisation CA for interception and per-host leaves. */
export type { EgressCa } from './egress-ca.ts';
export { loadEgressCa, type LoadEgressCaOptions } from './load-egress-ca.ts';
export {
  LeafCertificateCache,
  type LeafCertificateCacheOptions,
} from './leaf-certificate-cache.ts';
export {
  LEAF_LIFETIME_MS,
  leafSubjectName,
  mintLeafCertificate,
  type LeafCertificate,
} from './mint-leaf-certificate.ts';
export { generateEgressCa, type GeneratedCaPem } from './generate-egress-ca.ts';
