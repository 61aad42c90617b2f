import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ENV_HELP } from '../../../config/env-schema.ts';
import { fileSchema } from '../../../config/file-schema.ts';
import { loadConfig } from '../../../config/load-config.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (name: string) => readFileSync(join(root, name), 'utf8');

/** Every leaf key path of a parsed value (array items merged). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const path = prefix === '' ? k : `${prefix}.${k}`;
      return [path, ...keyPaths(v, path)];
    });
  }
  return [];
}

test('.env.example names every GATEWAY_* variable of the schema, and no other', () => {
  const named = new Set(
    [...read('.env.example').matchAll(/^#?\s*(GATEWAY_[A-Z_]+)=/gm)].map((m) => m[1]),
  );
  assert.deepEqual([...named].sort(), Object.keys(ENV_HELP).sort());
});

test('config/gateway.example.yaml is valid and shows every key of the file schema', () => {
  const example: unknown = parseYaml(read('config/gateway.example.yaml'));
  const parsed = fileSchema.parse(example);
  // Keys the schema fills in by default must all be written out in the example.
  const defaults = fileSchema.parse({
    peers: [
      {
        host: 'x.example',
        rateLimit: { requests: 1, windowSeconds: 1 },
        dialect: 'ocm-1.0',
        signatures: 'ignore',
      },
    ],
  });
  const missing = keyPaths(defaults).filter((path) => !keyPaths(example).includes(path));
  assert.deepEqual(missing, []);
  assert.equal(parsed.peers.length, 1);
});

test('the example file loads through loadConfig as GATEWAY_CONFIG', () => {
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
      GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
      GATEWAY_CONFIG: 'config/gateway.example.yaml',
    },
    readFile: (path) => read(path),
  });
  assert.equal(config.configFile, 'config/gateway.example.yaml');
  assert.equal(config.peers[0]?.host, 'cloud.partner.example');
});

test('the README configuration table names every GATEWAY_* variable', () => {
  const readme = read('README.md');
  const missing = Object.keys(ENV_HELP).filter((name) => !readme.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});
