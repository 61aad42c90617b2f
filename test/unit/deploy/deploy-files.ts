/** Helpers of the deploy/ tests: paths, YAML documents, and the env schema's variable names. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ENV_HELP } from '../../../config/env-schema.ts';

export const root = join(import.meta.dirname, '..', '..', '..');
export const deployDir = join(root, 'deploy');

export function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Every document of a YAML file, parsed strictly (merge keys allowed, as compose does). */
export function yamlDocuments(path: string): unknown[] {
  const docs = parseAllDocuments(read(path), { merge: true, prettyErrors: true });
  return docs.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map(String).join('; ')}`);
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  });
}

export const ENV_NAMES: ReadonlySet<string> = new Set(Object.keys(ENV_HELP));

/** GATEWAY_* names mentioned anywhere in a text. */
export function gatewayNamesIn(text: string): string[] {
  return [...new Set(text.match(/\bGATEWAY_[A-Z0-9_]+\b/g) ?? [])];
}

/** Files under deploy/ (and docs/operations.md), relative to the repository root. */
export function deployFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(deployDir);
  return out.sort();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping`);
  return value;
}
