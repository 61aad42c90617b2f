import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EgressCa } from './egress-ca.ts';
import { LeafCertificateCache } from './leaf-certificate-cache.ts';
import { loadEgressCa } from './load-egress-ca.ts';
import { LEAF_LIFETIME_MS } from './mint-leaf-certificate.ts';

let dataDir: string;
let ca: EgressCa;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'leaf-cache-'));
  ca = await loadEgressCa({ configured: undefined, dataDir, now: new Date() });
});
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test('one host is minted once, even when many connections ask at the same moment', async () => {
  const cache = new LeafCertificateCache({ ca });
  const contexts = await Promise.all(
    Array.from({ length: 5 }, () => cache.secureContextFor('peer.example')),
  );
  assert.equal(cache.minted, 1);
  assert.ok(contexts.every((c) => c === contexts[0]));
  // Host names are case-insensitive and a trailing dot names the same host.
  assert.equal(await cache.secureContextFor('PEER.example.'), contexts[0]);
  assert.equal(cache.minted, 1);
});

test('the cache is bounded: the least recently used host is dropped and minted again', async () => {
  const cache = new LeafCertificateCache({ ca, maxEntries: 2 });
  await cache.secureContextFor('a.example');
  await cache.secureContextFor('b.example');
  await cache.secureContextFor('a.example'); // a is now the most recent
  await cache.secureContextFor('c.example'); // evicts b
  assert.equal(cache.size, 2);
  assert.equal(cache.minted, 3);
  await cache.secureContextFor('a.example');
  assert.equal(cache.minted, 3);
  await cache.secureContextFor('b.example');
  assert.equal(cache.minted, 4);
});

test('a leaf is replaced half-way through its life, long before it expires', async () => {
  let now = new Date();
  const cache = new LeafCertificateCache({ ca, now: () => now });
  const first = await cache.secureContextFor('peer.example');
  const firstLeaf = cache.peek('peer.example');
  now = new Date(now.getTime() + LEAF_LIFETIME_MS / 2 - 60_000);
  assert.equal(await cache.secureContextFor('peer.example'), first);
  now = new Date(now.getTime() + 120_000);
  const renewed = await cache.secureContextFor('peer.example');
  assert.notEqual(renewed, first);
  assert.equal(cache.minted, 2);
  assert.notEqual(cache.peek('peer.example')?.certificatePem, firstLeaf?.certificatePem);
});

test('a host that cannot be a certificate name is refused, nothing is cached', async () => {
  const cache = new LeafCertificateCache({ ca });
  await assert.rejects(cache.secureContextFor('-bad-.example/x'), /not a DNS name or IP/);
  assert.equal(cache.size, 0);
});
