/** Embedded mode without a configured ledger key: create one once in the data dir (0600) and reuse it. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LedgerKeyResult {
  readonly key: string;
  /** 'config' when given, 'file' when read back, 'generated' on first start. */
  readonly source: 'config' | 'file' | 'generated';
}

export function ensureLedgerKey(configured: string | undefined, dataDir: string): LedgerKeyResult {
  if (configured !== undefined) return { key: configured, source: 'config' };
  const existing = readGeneratedLedgerKey(dataDir);
  if (existing !== undefined) return { key: existing, source: 'file' };
  const path = join(dataDir, 'ledger.key');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(48).toString('base64url');
  // 'wx' fails if another process created it meanwhile; then that key wins.
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { key: readFileSync(path, 'utf8').trim(), source: 'file' };
    }
    throw error;
  }
  return { key, source: 'generated' };
}

/** The key an earlier start generated in the data dir, if there is one (never creates it). */
export function readGeneratedLedgerKey(dataDir: string): string | undefined {
  try {
    const existing = readFileSync(join(dataDir, 'ledger.key'), 'utf8').trim();
    return existing.length >= 32 ? existing : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}
