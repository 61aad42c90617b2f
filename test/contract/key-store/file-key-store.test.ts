/** KeyStore contract on the file adapter: first-start generation (also racing), rotation, read-only secrets, no key leaks. */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { FileKeyStore } from '../../../adapters/keys/file-key-store.ts';
import type { KeySet } from '../../../gateway/core/signatures/key-set.ts';

const run = promisify(execFile);
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const roots: string[] = [];

async function freshDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ocmgw-keys-'));
  roots.push(root);
  return join(root, 'data', 'keys');
}

after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

const states = (set: KeySet) => set.keys.map((key) => `${key.family}:${key.state}`).sort();
const kids = (set: KeySet) => set.keys.map((key) => key.kid).sort();

describe('FileKeyStore', () => {
  test('first start generates one active and one next key per family, private files 0600', async () => {
    const dir = await freshDir();
    const store = new FileKeyStore({ dir });
    assert.equal(await store.exists(), false);
    const set = await store.load(T0);
    assert.deepEqual(states(set), ['ed25519:active', 'ed25519:next', 'rsa:active', 'rsa:next']);
    assert.equal(await store.exists(), true);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ['manifest.json', ...kids(set).map((kid) => `${kid}.pem`)].sort());
    for (const file of files) assert.equal((await stat(join(dir, file))).mode & 0o777, 0o600, file);
    const manifest = await readFile(join(dir, 'manifest.json'), 'utf8');
    assert.doesNotMatch(manifest, /PRIVATE|BEGIN/);
    const rsa = set.keys.find((key) => key.family === 'rsa');
    assert.equal(rsa?.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    // Loading again reads the same set back.
    assert.deepEqual(kids(await new FileKeyStore({ dir }).load(T0 + DAY)), kids(set));
  });

  test('concurrent first starts in one process end with ONE key set', async () => {
    const dir = await freshDir();
    const sets = await Promise.all([1, 2, 3, 4].map(() => new FileKeyStore({ dir }).load(T0)));
    for (const set of sets) assert.deepEqual(kids(set), kids(sets[0]!));
    assert.equal((await readdir(dir)).length, 5);
    assert.deepEqual((await readdir(resolve(dir, '..'))).sort(), ['keys']);
  });

  test('concurrent first starts of separate processes end with ONE key set', async () => {
    const dir = await freshDir();
    const moduleUrl = new URL('../../../adapters/keys/file-key-store.ts', import.meta.url).href;
    const script =
      `import { FileKeyStore } from ${JSON.stringify(moduleUrl)};` +
      `const set = await new FileKeyStore({ dir: process.argv[1] }).load(Date.now());` +
      `console.log(JSON.stringify(set.keys.map((k) => k.kid).sort()));`;
    const outputs = await Promise.all(
      [1, 2, 3].map(() =>
        run(process.execPath, ['--input-type=module', '-e', script, dir], { timeout: 30_000 }),
      ),
    );
    const results = outputs.map((output) => output.stdout.trim());
    assert.equal(new Set(results).size, 1, results.join('\n'));
    assert.deepEqual(JSON.parse(results[0]!), kids(await new FileKeyStore({ dir }).load(T0)));
    assert.deepEqual((await readdir(resolve(dir, '..'))).sort(), ['keys']);
  });

  test('rotate and prune: states move, files follow the manifest', async () => {
    const dir = await freshDir();
    const store = new FileKeyStore({ dir });
    const before = await store.load(T0);
    const rotated = await store.rotate(T0 + DAY, 7 * DAY, ['ed25519']);
    const byKid = new Map(rotated.keys.map((key) => [key.kid, key]));
    const oldActive = before.keys.find(
      (key) => key.family === 'ed25519' && key.state === 'active',
    )!;
    const oldNext = before.keys.find((key) => key.family === 'ed25519' && key.state === 'next')!;
    assert.equal(byKid.get(oldActive.kid)?.state, 'retired');
    assert.equal(byKid.get(oldActive.kid)?.retiredUntil, T0 + 8 * DAY);
    assert.equal(byKid.get(oldNext.kid)?.state, 'active');
    assert.deepEqual(states(rotated), [
      'ed25519:active',
      'ed25519:next',
      'ed25519:retired',
      'rsa:active',
      'rsa:next',
    ]);
    assert.deepEqual(kids(await new FileKeyStore({ dir }).load(T0)), kids(rotated));

    const pruned = await store.prune(T0 + 8 * DAY);
    assert.equal(
      pruned.keys.some((key) => key.kid === oldActive.kid),
      false,
    );
    assert.deepEqual(
      (await readdir(dir)).sort(),
      ['manifest.json', ...kids(pruned).map((kid) => `${kid}.pem`)].sort(),
    );
  });

  test('a held rotation lock refuses a second rotation; a stale one is broken', async () => {
    const dir = await freshDir();
    const store = new FileKeyStore({ dir });
    await store.load(T0);
    const lock = join(dir, '.rotate.lock');
    await writeFile(lock, '');
    await assert.rejects(store.rotate(T0, DAY), /another rotation/);
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    await store.rotate(T0, DAY);
    await assert.rejects(stat(lock), { code: 'ENOENT' });
  });

  test('a mounted secret is read-only: loaded, never generated or rotated', async () => {
    const dir = await freshDir();
    const secret = new FileKeyStore({ dir, readOnly: true });
    await assert.rejects(secret.load(T0), (error: Error) => {
      assert.match(error.message, /read-only.*keys generate/);
      return true;
    });
    assert.equal(await secret.exists(), false);
    const generated = await new FileKeyStore({ dir }).load(T0);
    assert.deepEqual(kids(await secret.load(T0)), kids(generated));
    await assert.rejects(secret.rotate(T0, DAY), /cannot rotate a read-only/);
    await assert.rejects(secret.prune(T0), /cannot prune a read-only/);
  });

  test('broken files give a clear error naming the file, never its content', async () => {
    const dir = await freshDir();
    const set = await new FileKeyStore({ dir }).load(T0);
    const ed = set.keys.find((key) => key.family === 'ed25519')!;
    const victim = `${ed.kid}.pem`;
    const pem = await readFile(join(dir, victim), 'utf8');
    await writeFile(join(dir, victim), pem.slice(0, 60));
    await assert.rejects(new FileKeyStore({ dir }).load(T0), (error: Error) => {
      assert.match(error.message, new RegExp(`${victim} is missing or is not a PEM private key`));
      assert.doesNotMatch(error.message, /BEGIN|PRIVATE KEY-----|MC4CAQ|MII/);
      return true;
    });
    await writeFile(join(dir, victim), pem);
    // A key file of the wrong family is refused too.
    const other = set.keys.find((key) => key.family === 'rsa')!;
    await writeFile(join(dir, victim), await readFile(join(dir, `${other.kid}.pem`), 'utf8'));
    await assert.rejects(new FileKeyStore({ dir }).load(T0), /not the Ed25519 key/);
    await writeFile(join(dir, 'manifest.json'), '{"version":2}');
    await assert.rejects(
      new FileKeyStore({ dir }).load(T0),
      /manifest.json is not a valid key manifest/,
    );
  });
});
