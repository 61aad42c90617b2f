import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { loadEgressCa } from './load-egress-ca.ts';
import { mintLeafCertificate } from './mint-leaf-certificate.ts';
import { x509 } from './x509-library.ts';

const NOW = new Date();

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'egress-ca-'));
}

/** An operator's CA made the way openssl would: RSA 2048 or ECDSA P-384, CA:TRUE unless asked. */
async function operatorCa(
  kind: 'rsa' | 'ec384',
  options: { ca?: boolean; days?: number } = {},
): Promise<{ certPem: string; keyPem: string }> {
  const alg =
    kind === 'rsa'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          hash: 'SHA-256',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
        }
      : { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Example Org Egress CA, O=Example Org',
    notBefore: new Date(NOW.getTime() - 60_000),
    notAfter: new Date(NOW.getTime() + (options.days ?? 365) * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(options.ca ?? true, undefined, true)],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

function writePair(dir: string, pair: { certPem: string; keyPem: string }) {
  const certFile = join(dir, 'org-ca.crt');
  const keyFile = join(dir, 'org-ca.key');
  writeFileSync(certFile, pair.certPem);
  writeFileSync(keyFile, pair.keyPem);
  return { certFile, keyFile };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

test('without a configured CA one is generated into the data dir once, key 0600, then reused', async () => {
  const dataDir = tempDir();
  try {
    const first = await loadEgressCa({ configured: undefined, dataDir, now: NOW });
    assert.equal(first.source, 'generated');
    assert.equal(first.certificatePath, join(dataDir, 'egress-ca', 'ca.crt'));
    assert.equal(statSync(join(dataDir, 'egress-ca', 'ca.key')).mode & 0o777, 0o600);
    const node = new X509Certificate(readFileSync(first.certificatePath));
    assert.equal(node.ca, true);
    assert.ok(node.verify(node.publicKey), 'self-signed');

    const second = await loadEgressCa({ configured: undefined, dataDir, now: NOW });
    assert.equal(second.source, 'data-dir');
    assert.equal(second.certificatePem, first.certificatePem);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('two starts racing on an empty data dir end up with the same CA', async () => {
  const dataDir = tempDir();
  try {
    const [a, b] = await Promise.all([
      loadEgressCa({ configured: undefined, dataDir, now: NOW }),
      loadEgressCa({ configured: undefined, dataDir, now: NOW }),
    ]);
    assert.equal(a.certificatePem, b.certificatePem);
    assert.deepEqual(
      [a.source, b.source].sort(),
      ['data-dir', 'generated'],
      'exactly one of them generated',
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

for (const kind of ['rsa', 'ec384'] as const) {
  test(`an operator's ${kind} CA signs leaves that verify under it and expire before it`, async () => {
    const dir = tempDir();
    try {
      const pair = await operatorCa(kind, { days: 10 });
      const ca = await loadEgressCa({ configured: writePair(dir, pair), dataDir: dir, now: NOW });
      assert.equal(ca.source, 'configured');
      const leaf = await mintLeafCertificate(ca, 'Cloud.Peer.Example', NOW);
      const caCert = new X509Certificate(pair.certPem);
      const leafCert = new X509Certificate(leaf.certificatePem);
      assert.ok(leafCert.verify(caCert.publicKey));
      assert.ok(leafCert.checkIssued(caCert));
      assert.equal(leafCert.subjectAltName, 'DNS:cloud.peer.example');
      assert.equal(leafCert.ca, false);
      assert.ok(new Date(leafCert.validTo) < new Date(caCert.validTo), 'leaf ends before its CA');
      assert.equal(leaf.host, 'cloud.peer.example');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('IP hosts get an IP subjectAltName (v4 and v6)', async () => {
  const dataDir = tempDir();
  try {
    const ca = await loadEgressCa({ configured: undefined, dataDir, now: NOW });
    const v4 = new X509Certificate(
      (await mintLeafCertificate(ca, '127.0.0.1', NOW)).certificatePem,
    );
    assert.equal(v4.subjectAltName, 'IP Address:127.0.0.1');
    assert.equal(v4.checkIP('127.0.0.1'), '127.0.0.1');
    const v6 = new X509Certificate((await mintLeafCertificate(ca, '[::1]', NOW)).certificatePem);
    assert.equal(v6.checkIP('::1'), '::1');
    await assert.rejects(mintLeafCertificate(ca, 'bad host/name', NOW), /not a DNS name/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('bad operator CAs stop start-up with the field named and no key material shown', async () => {
  const dir = tempDir();
  try {
    const good = await operatorCa('rsa');
    const other = await operatorCa('rsa');
    const now = NOW;

    const mismatch = writePair(dir, { certPem: good.certPem, keyPem: other.keyPem });
    const wrongKey = await refusal(loadEgressCa({ configured: mismatch, dataDir: dir, now }));
    assert.match(wrongKey.message, /GATEWAY_EGRESS_CA_KEY: the key does not belong/);
    assert.ok(!wrongKey.message.includes('PRIVATE KEY'));

    const notCa = writePair(dir, await operatorCa('ec384', { ca: false }));
    const leafOnly = await refusal(loadEgressCa({ configured: notCa, dataDir: dir, now }));
    assert.match(leafOnly.message, /GATEWAY_EGRESS_CA_CERT: .* is not a CA certificate/);

    const missing = { certFile: join(dir, 'nope.crt'), keyFile: join(dir, 'nope.key') };
    const absent = await refusal(loadEgressCa({ configured: missing, dataDir: dir, now }));
    assert.match(absent.message, /GATEWAY_EGRESS_CA_CERT: cannot read .*nope\.crt \(ENOENT\)/);

    const garbage = writePair(dir, { certPem: good.certPem, keyPem: 'not a key' });
    const badKey = await refusal(loadEgressCa({ configured: garbage, dataDir: dir, now }));
    assert.match(badKey.message, /GATEWAY_EGRESS_CA_KEY: is not a PEM private key/);

    const late = new Date(now.getTime() + 400 * 86_400_000);
    const expired = writePair(dir, good);
    const old = await refusal(loadEgressCa({ configured: expired, dataDir: dir, now: late }));
    assert.match(old.message, /expires .*: renew it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
