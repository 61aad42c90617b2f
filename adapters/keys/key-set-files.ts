/**
 * The on-disk form of a key set, one directory: `manifest.json` (kid, family, state, times; no
 * key material) and one PKCS#8 PEM per key, `<kid>.pem`, mode 0600. The same layout works as a
 * mounted Kubernetes/Docker secret (flat file names).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import {
  keySetProblems,
  type KeyRecord,
  type KeySet,
} from '../../gateway/core/signatures/key-set.ts';
import type { KeyFamily } from '../../gateway/core/signatures/signing-key.ts';

export const MANIFEST_FILE = 'manifest.json';

const manifestSchema = z.object({
  version: z.literal(1),
  keys: z.array(
    z.object({
      kid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      family: z.enum(['ed25519', 'rsa']),
      state: z.enum(['next', 'active', 'retired']),
      createdAt: z.iso.datetime(),
      retiredUntil: z.iso.datetime().optional(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function pemFileName(kid: string): string {
  return `${kid}.pem`;
}

export function manifestOf(set: KeySet): Manifest {
  return {
    version: 1,
    keys: set.keys.map((key) => ({
      kid: key.kid,
      family: key.family,
      state: key.state,
      createdAt: new Date(key.createdAt).toISOString(),
      ...(key.retiredUntil === undefined
        ? {}
        : { retiredUntil: new Date(key.retiredUntil).toISOString() }),
    })),
  };
}

export function privatePem(key: KeyRecord): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reads and checks a key directory; undefined when it has no manifest at all. */
export async function readKeySetDir(dir: string): Promise<KeySet | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw keyError(dir, `cannot read ${MANIFEST_FILE}`, error);
  }
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(text));
  } catch (error) {
    throw keyError(dir, `${MANIFEST_FILE} is not a valid key manifest`, error);
  }
  const keys: KeyRecord[] = [];
  for (const entry of manifest.keys) {
    const privateKey = await readPrivateKey(dir, entry.kid, entry.family);
    keys.push({
      kid: entry.kid,
      family: entry.family,
      state: entry.state,
      createdAt: Date.parse(entry.createdAt),
      ...(entry.retiredUntil === undefined ? {} : { retiredUntil: Date.parse(entry.retiredUntil) }),
      privateKey,
      publicKey: createPublicKey(privateKey),
    });
  }
  const set = { keys };
  const problems = keySetProblems(set);
  if (problems.length > 0) throw keyError(dir, `the key set is unusable: ${problems.join('; ')}`);
  return set;
}

async function readPrivateKey(dir: string, kid: string, family: KeyFamily): Promise<KeyObject> {
  const file = pemFileName(kid);
  let key: KeyObject;
  try {
    key = createPrivateKey(await readFile(join(dir, file), 'utf8'));
  } catch (error) {
    // The cause may quote the file's content: keep it out of the message.
    throw keyError(dir, `${file} is missing or is not a PEM private key`, error);
  }
  const type = key.asymmetricKeyType;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (family === 'ed25519' ? type !== 'ed25519' : type !== 'rsa' || bits < 2048) {
    throw keyError(
      dir,
      `${file} is not the ${family === 'rsa' ? 'RSA (≥ 2048 bits)' : 'Ed25519'} key the manifest says`,
    );
  }
  return key;
}

export function keyError(dir: string, problem: string, cause?: unknown): GatewayError {
  return new GatewayError('INTERNAL', `Signing keys in ${dir}: ${problem}.`, { cause });
}
