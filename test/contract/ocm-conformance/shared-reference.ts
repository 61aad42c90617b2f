/**
 * Locates the read-only reference folder `shared/` beside the repository (`<repo>/../shared`; the
 * repo is /work/main in dev, elsewhere in CI) and reads fixtures and OCM spec files from it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

export const sharedDir = join(repoRoot, '..', 'shared');

export interface LegacyFixture {
  readonly title: string;
  readonly request: { readonly body: unknown; readonly path: string };
  readonly response: { readonly status: number; readonly body: unknown };
  readonly alternateResponses?: readonly {
    readonly when: string;
    readonly status: number;
    readonly body: unknown;
  }[];
}

/** A file of reference/legacy-fixtures/, e.g. `ocm-nextcloud-create-share.json`. */
export function readLegacyFixture(name: string): LegacyFixture {
  return JSON.parse(
    readFileSync(join(sharedDir, 'reference', 'legacy-fixtures', name), 'utf8'),
  ) as LegacyFixture;
}

/** A YAML spec of ocm-spec/, parsed. */
export function readOcmSpec(file: string): Record<string, unknown> {
  return parseYaml(readFileSync(join(sharedDir, 'ocm-spec', file), 'utf8')) as Record<
    string,
    unknown
  >;
}
