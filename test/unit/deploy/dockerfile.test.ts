import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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

/** The files and packages `node <entry>` loads, by following import specifiers from the entry. */
function importClosure(entries: readonly string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pattern =
    /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(pattern)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) visit(relative(root, resolve(root, dirname(file), specifier)));
      else
        packages.add(
          specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : specifier.split('/')[0]!,
        );
    }
  };
  for (const entry of entries) visit(entry);
  return { files, packages };
}

function copiedDirs(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.startsWith('COPY ') && !l.includes('--from'))
    .flatMap((l) => l.split(/\s+/).slice(1, -1));
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

test('the image holds everything the gateway and its CLI load, with production dependencies only', () => {
  const copied = copiedDirs(dockerfile);
  const { files, packages } = importClosure(['gateway/main.ts', 'gateway/cli.ts']);
  for (const file of files)
    assert.ok(
      copied.some((dir) => file.startsWith(`${dir}/`)),
      `${file} is copied into the image`,
    );
  for (const name of packages)
    assert.ok(name in pkg.dependencies, `${name} is a production dependency`);
  // The walk really followed the imports (the listeners, the stores, the Redis client).
  assert.ok(
    files.size > 100 && packages.has('express') && packages.has('ioredis'),
    `${files.size} files`,
  );
});

test('the demo image holds the simulators, the walk-through and the launcher, and its ignore file lets them in', () => {
  const demo = readFileSync(join(root, 'deploy', 'demo.Dockerfile'), 'utf8');
  const copied = copiedDirs(demo);
  for (const source of copied) assert.ok(existsSync(join(root, source)), `${source} exists`);
  const { files, packages } = importClosure(['deploy/demo/start-sim.ts', 'test/demo/run-demo.ts']);
  for (const file of files)
    assert.ok(
      copied.some((dir) => file.startsWith(`${dir}/`)),
      `${file} is copied into the demo image`,
    );
  for (const name of packages)
    assert.ok(name in pkg.dependencies, `${name} is a production dependency`);
  // The root .dockerignore keeps test/ out of the gateway image; the demo has its own list.
  assert.ok(readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').includes('test'));
  const ignored = readFileSync(join(root, 'deploy', 'demo.Dockerfile.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const source of copied)
    for (const entry of ignored)
      assert.ok(
        !source.startsWith(entry) && !entry.startsWith(`${source}/`),
        `${entry} hides ${source}`,
      );
  assert.match(demo, /^USER 1000:1000$/m);
});
