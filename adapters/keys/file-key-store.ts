/**
 * KeyStore on files (DESIGN §4): `<dataDir>/keys/` generated on first start, or a mounted secret
 * directory read-only. Every change is atomic: a new set is built in a sibling temp directory
 * and renamed into place (two processes starting at once: one rename wins, the other adopts its
 * set); a rotation writes new key files first, then swaps the manifest by rename.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  KEY_FAMILIES,
  pruneKeySet,
  rotateKeySet,
  type KeySet,
} from '../../gateway/core/signatures/key-set.ts';
import type { KeyFamily } from '../../gateway/core/signatures/signing-key.ts';
import type { KeyStore } from '../../gateway/ports/key-store.ts';
import { generateKeyRecord } from './generate-key-record.ts';
import {
  MANIFEST_FILE,
  keyError,
  manifestOf,
  pemFileName,
  privatePem,
  readKeySetDir,
} from './key-set-files.ts';

export interface FileKeyStoreOptions {
  /** The key directory itself, e.g. `<GATEWAY_DATA_DIR>/keys` or a mounted secret. */
  readonly dir: string;
  readonly readOnly?: boolean;
}

/** Where the embedded mode keeps its keys: `<GATEWAY_DATA_DIR>/keys`. */
export function defaultKeyDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

const LOCK_FILE = '.rotate.lock';
/** A rotation lock older than this is left over from a crashed CLI run. */
const STALE_LOCK_MS = 60_000;

export class FileKeyStore implements KeyStore {
  readonly readOnly: boolean;
  readonly #dir: string;

  constructor(options: FileKeyStoreOptions) {
    this.#dir = options.dir;
    this.readOnly = options.readOnly ?? false;
  }

  async exists(): Promise<boolean> {
    return (await readKeySetDir(this.#dir)) !== undefined;
  }

  async load(now: number): Promise<KeySet> {
    const existing = await readKeySetDir(this.#dir);
    if (existing !== undefined) return existing;
    if (this.readOnly) {
      throw keyError(
        this.#dir,
        `no ${MANIFEST_FILE} in this read-only directory; create a key set with ` +
          '`ocm-gateway keys generate` and mount that directory',
      );
    }
    return this.#generate(now);
  }

  async rotate(
    now: number,
    overlapMs: number,
    families: readonly KeyFamily[] = KEY_FAMILIES,
  ): Promise<KeySet> {
    this.#refuseReadOnly('rotate');
    // Generated outside the lock: a first generation renames onto the directory the lock lives in.
    await this.load(now);
    return this.#locked(async () => {
      const current = await this.load(now);
      const fresh = await Promise.all(
        families.map((family) => generateKeyRecord(family, 'next', now)),
      );
      return this.#commit(pruneKeySet(rotateKeySet(current, fresh, now, overlapMs), now));
    });
  }

  async prune(now: number): Promise<KeySet> {
    this.#refuseReadOnly('prune');
    await this.load(now);
    return this.#locked(async () => this.#commit(pruneKeySet(await this.load(now), now)));
  }

  async #generate(now: number): Promise<KeySet> {
    const keys = await Promise.all(
      KEY_FAMILIES.flatMap((family) => [
        generateKeyRecord(family, 'active', now),
        generateKeyRecord(family, 'next', now),
      ]),
    );
    const set = { keys };
    const parent = dirname(this.#dir);
    await mkdir(parent, { recursive: true, mode: 0o700 });
    const temp = join(parent, `.${basename(this.#dir)}.tmp-${randomBytes(6).toString('hex')}`);
    await mkdir(temp, { mode: 0o700 });
    try {
      for (const key of keys)
        await writeFileDurably(join(temp, pemFileName(key.kid)), privatePem(key));
      await writeFileDurably(join(temp, MANIFEST_FILE), manifestJson(set));
      await rename(temp, this.#dir);
      return set;
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
        throw keyError(this.#dir, 'cannot create the key set', error);
      }
      // Another process created the set first: theirs is the one set.
      const winner = await readKeySetDir(this.#dir);
      if (winner === undefined) throw keyError(this.#dir, `exists but has no ${MANIFEST_FILE}`);
      return winner;
    }
  }

  /** New key files first, then the manifest swap; files of keys no longer listed go last. */
  async #commit(set: KeySet): Promise<KeySet> {
    for (const key of set.keys) {
      const file = join(this.#dir, pemFileName(key.kid));
      if (!(await fileExists(file))) await replaceFile(file, privatePem(key));
    }
    await replaceFile(join(this.#dir, MANIFEST_FILE), manifestJson(set));
    const kept = new Set(set.keys.map((key) => pemFileName(key.kid)));
    for (const name of await readdir(this.#dir)) {
      if (name.endsWith('.pem') && !kept.has(name))
        await rm(join(this.#dir, name), { force: true });
    }
    return set;
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const lock = join(this.#dir, LOCK_FILE);
    await takeLock(lock, this.#dir);
    try {
      return await work();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  #refuseReadOnly(what: string): void {
    if (this.readOnly) {
      throw keyError(
        this.#dir,
        `cannot ${what} a read-only key directory; ${what} where the keys are generated and update the secret`,
      );
    }
  }
}

function manifestJson(set: KeySet): string {
  return `${JSON.stringify(manifestOf(set), null, 2)}\n`;
}

async function takeLock(lock: string, dir: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
      if (age < STALE_LOCK_MS) break;
      await unlink(lock).catch(() => undefined);
    }
  }
  throw keyError(dir, `another rotation holds ${LOCK_FILE}; try again in a minute`);
}

/** Temp file in the same directory, fsync, rename over the target: readers see old or new, whole. */
async function replaceFile(path: string, content: string): Promise<void> {
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await writeFileDurably(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function writeFileDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
