import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

// DESIGN §5's dependency rule is enforced by lint; these probes prove the rules really fire.
const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function rulesHit(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map(
    (m) => `${m.ruleId ?? 'parse'}: ${m.message.split('.')[0] ?? ''}`,
  );
}

test('gateway/core may not import express, I/O modules, other layers, the env or the clock', async () => {
  const hits = await rulesHit(
    'gateway/core/lint-probe.ts',
    [
      "import express from 'express';",
      "import { Redis } from 'ioredis';",
      "import { readFileSync } from 'node:fs';",
      "import { createAdminApp } from '../http/create-admin-app.ts';",
      'export const probe = [express, Redis, readFileSync, createAdminApp, process.env.X, Date.now(), Math.random()];',
    ].join('\n'),
  );
  const restricted = hits.filter((h) => h.startsWith('no-restricted'));
  assert.equal(restricted.length, 7, hits.join('\n'));
});

test('services reach I/O through ports only', async () => {
  const hits = await rulesHit(
    'gateway/services/lint-probe.ts',
    "import express from 'express';\nimport { createStores } from '../../adapters/create-stores.ts';\nexport const probe = [express, createStores];\n",
  );
  assert.equal(
    hits.filter((h) => h.startsWith('no-restricted-imports')).length,
    2,
    hits.join('\n'),
  );
});

test('only gateway/http may use express; only config/ reads process.env', async () => {
  const adapters = await rulesHit(
    'adapters/lint-probe.ts',
    "import express from 'express';\nexport const probe = [express, process.env.X];\n",
  );
  assert.equal(
    adapters.filter((h) => h.startsWith('no-restricted')).length,
    2,
    adapters.join('\n'),
  );
  const http = await rulesHit(
    'gateway/http/lint-probe.ts',
    "import express from 'express';\nexport const probe = [express, process.env.X];\n",
  );
  assert.deepEqual(
    http.filter((h) => h.startsWith('no-restricted')),
    ["no-restricted-properties: 'process"],
  );
});
