/**
 * Loads the organisation CA for TLS interception: the operator's (GATEWAY_EGRESS_CA_CERT/KEY), or
 * one generated once into `<data dir>/egress-ca/` (key mode 0600) and reused at every later start.
 */
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { importCaSigningKey, parseCaPrivateKey } from './ca-signing-key.ts';
import type { EgressCa } from './egress-ca.ts';
import { generateEgressCa } from './generate-egress-ca.ts';
import { x509 } from './x509-library.ts';

export interface LoadEgressCaOptions {
  /** Both files or none; none means "use or create the CA in the data dir". */
  readonly configured: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly dataDir: string;
  readonly now: Date;
}

const CERT_FIELD = 'GATEWAY_EGRESS_CA_CERT';
const KEY_FIELD = 'GATEWAY_EGRESS_CA_KEY';
// Leaves must expire before their CA; a CA this close to its end cannot issue useful ones.
const MIN_REMAINING_MS = 24 * 3_600_000;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function refuse(field: string, message: string, cause?: unknown): GatewayError {
  return new GatewayError('INVALID_REQUEST', `${field}: ${message}`, {
    issues: [{ field, message }],
    cause,
  });
}

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw refuse(field, `cannot read ${path} (${code})`, error);
  }
}

/** The certificate PEM blocks of a file: the first is the issuing CA, the rest its chain. */
function certificateBlocks(text: string, path: string): string[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw refuse(CERT_FIELD, `${path} holds no PEM certificate`);
  return blocks;
}

async function buildCa(
  certText: string,
  keyText: string,
  where: { certPath: string; source: EgressCa['source'] },
  now: Date,
): Promise<EgressCa> {
  const blocks = certificateBlocks(certText, where.certPath);
  const first = blocks[0] ?? '';
  let node: NodeCertificate;
  try {
    node = new NodeCertificate(first);
  } catch (error) {
    throw refuse(CERT_FIELD, `${where.certPath} is not a valid X.509 certificate`, error);
  }
  if (!node.ca) {
    throw refuse(
      CERT_FIELD,
      `${where.certPath} is not a CA certificate (basicConstraints CA:FALSE)`,
    );
  }
  const key = parseCaPrivateKey(keyText, KEY_FIELD);
  if (!node.checkPrivateKey(key)) {
    throw refuse(KEY_FIELD, `the key does not belong to the certificate in ${where.certPath}`);
  }
  const notAfter = new Date(node.validTo);
  if (notAfter.getTime() - now.getTime() < MIN_REMAINING_MS) {
    throw refuse(CERT_FIELD, `the CA in ${where.certPath} expires ${node.validTo}: renew it`);
  }
  return {
    certificatePem: blocks.join('\n'),
    certificate: new x509.X509Certificate(first),
    signingKey: await importCaSigningKey(key, KEY_FIELD),
    notAfter,
    source: where.source,
    certificatePath: where.certPath,
  };
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function dataDirCa(dataDir: string, now: Date): Promise<EgressCa> {
  const dir = join(dataDir, 'egress-ca');
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  const load = async (source: EgressCa['source']): Promise<EgressCa | undefined> => {
    const cert = readIfPresent(certPath);
    const key = readIfPresent(keyPath);
    if (cert === undefined || key === undefined) return undefined;
    return buildCa(cert, key, { certPath, source }, now);
  };
  const existing = await load('data-dir');
  if (existing !== undefined) return existing;

  const generated = await generateEgressCa(now);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Written aside and renamed into place in one step: a second process starting at the same
  // moment either wins the rename or finds the complete pair, never half of one.
  const staging = mkdtempSync(join(dataDir, '.egress-ca-'));
  try {
    writeFileSync(join(staging, 'ca.key'), generated.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(staging, 'ca.crt'), generated.certificatePem, { mode: 0o644 });
    renameSync(staging, dir);
    return await buildCa(
      generated.certificatePem,
      generated.privateKeyPem,
      { certPath, source: 'generated' },
      now,
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    const winner = await load('data-dir');
    if (winner === undefined) {
      throw refuse(CERT_FIELD, `${dir} holds an incomplete CA (ca.crt + ca.key): fix or remove it`);
    }
    return winner;
  }
}

export async function loadEgressCa(options: LoadEgressCaOptions): Promise<EgressCa> {
  const { configured, now } = options;
  if (configured === undefined) return dataDirCa(options.dataDir, now);
  const cert = readText(configured.certFile, CERT_FIELD);
  const key = readText(configured.keyFile, KEY_FIELD);
  return buildCa(cert, key, { certPath: configured.certFile, source: 'configured' }, now);
}
