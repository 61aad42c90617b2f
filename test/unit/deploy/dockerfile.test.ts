import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine runs here: these checks hold the Dockerfile to the rules an image build would.
const root = join(import.meta.dirname, '..', '..', '..');
const dockerfile = readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const finalStage = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));

test('every stage is based on a Node 24 image', () => {
  const froms = instructions.filter((l) => l.startsWith('FROM '));
  assert.ok(froms.length >= 2, 'multi-stage');
  for (const from of froms) assert.match(from, /^FROM node:24[-.\w]* AS \w+$/);
});

test('the runtime stage runs as a non-root user with a health check on the admin listener', () => {
  const user = finalStage.filter((l) => l.startsWith('USER '));
  assert.equal(user.length, 1);
  assert.doesNotMatch(user[0]!, /USER (root|0)\b/);
  assert.ok(finalStage.indexOf(user[0]!) < finalStage.findIndex((l) => l.startsWith('CMD ')));
  assert.ok(finalStage.some((l) => l.startsWith('HEALTHCHECK') && l.includes('/healthz')));
  assert.ok(finalStage.some((l) => l.includes('GATEWAY_HOST=0.0.0.0')));
});

test('the command starts the composition root, and every copied path exists', () => {
  const cmd = finalStage.find((l) => l.startsWith('CMD '));
  assert.equal(cmd, 'CMD ["node", "gateway/main.ts"]');
  assert.ok(existsSync(join(root, 'gateway', 'main.ts')));
  for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))) {
    const sources = line.split(/\s+/).slice(1, -1);
    for (const source of sources) assert.ok(existsSync(join(root, source)), `${source} exists`);
  }
});

test('production install leaves dev tooling out and the image ignores local state', () => {
  assert.ok(instructions.some((l) => l.includes('npm ci --omit=dev')));
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['node_modules', 'data', '.env', '.git'])
    assert.ok(ignored.includes(entry), entry);
});
