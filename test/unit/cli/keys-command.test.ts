import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runKeysCommand, type KeysCommandContext } from '../../../gateway/cli/keys-command.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const roots: string[] = [];

after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function setup(): Promise<{
  context: KeysCommandContext;
  output: () => string;
  clock: { now: number };
  dataDir: string;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ocmgw-cli-'));
  roots.push(dataDir);
  let text = '';
  const clock = { now: T0 };
  const context: KeysCommandContext = {
    dataDir,
    publicUrl: 'https://cloud.example.org',
    out: { write: (chunk: string) => (text += chunk) },
    now: () => clock.now,
  };
  return {
    context,
    output: () => {
      const all = text;
      text = '';
      return all;
    },
    clock,
    dataDir,
  };
}

/** Every base64 line of every private PEM in the key dir: none may ever be printed. */
async function privateLines(dataDir: string): Promise<string[]> {
  const dir = join(dataDir, 'keys');
  const lines: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.pem')) continue;
    lines.push(
      ...(await readFile(join(dir, name), 'utf8'))
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('-----')),
    );
  }
  return lines;
}

function assertNoSecrets(text: string, secrets: readonly string[]): void {
  assert.doesNotMatch(text, /PRIVATE KEY|BEGIN/);
  for (const line of secrets) assert.ok(!text.includes(line), 'private key material printed');
}

describe('ocm-gateway keys', () => {
  test('usage: no command → 2, unknown command or option → 2', async () => {
    const { context, output } = await setup();
    assert.equal(await runKeysCommand([], context), 2);
    assert.match(output(), /usage: ocm-gateway keys/);
    assert.equal(await runKeysCommand(['explode'], context), 2);
    assert.match(output(), /unknown command "explode"/);
    assert.equal(await runKeysCommand(['rotate', '--overlap', 'soon'], context), 2);
    assert.match(output(), /--overlap needs a duration/);
    assert.equal(await runKeysCommand(['rotate', '--alg', 'dsa'], context), 2);
    assert.equal(await runKeysCommand(['generate', '--json'], context), 2);
    assert.equal(await runKeysCommand(['help'], context), 0);
  });

  test('list before generate fails without creating anything', async () => {
    const { context, output, dataDir } = await setup();
    assert.equal(await runKeysCommand(['list'], context), 1);
    assert.match(output(), /No key set in .*keys generate/);
    await assert.rejects(stat(join(dataDir, 'keys')), { code: 'ENOENT' });
  });

  test('generate, list, rotate, prune; nothing private is ever printed', async () => {
    const { context, output, clock, dataDir } = await setup();
    assert.equal(await runKeysCommand(['generate'], context), 0);
    const generated = output();
    assert.match(generated, /^Generated a key set in /);
    const secrets = await privateLines(dataDir);
    assert.ok(secrets.length > 10);
    assertNoSecrets(generated, secrets);

    assert.equal(await runKeysCommand(['generate'], context), 0);
    assert.match(output(), /already exists in .*; nothing generated/);

    assert.equal(await runKeysCommand(['list'], context), 0);
    const table = output();
    assertNoSecrets(table, secrets);
    const lines = table.trim().split('\n');
    assert.match(lines[0] ?? '', /^KID\s+ALG\s+STATE\s+CREATED\s+RETIRED-UNTIL\s+KEY-ID$/);
    assert.equal(lines.length, 5);
    assert.ok(
      lines.some((line) =>
        /\sed25519\s+active\s+2026-01-01T00:00:00\.000Z\s+-\s+cloud\.example\.org#/.test(line),
      ),
    );
    assert.ok(
      lines.some((line) =>
        /\srsa-2048\s+active\s.*https:\/\/cloud\.example\.org\/ocm#signature$/.test(line),
      ),
    );

    clock.now = T0 + DAY;
    assert.equal(
      await runKeysCommand(['rotate', '--overlap', '2d', '--alg', 'ed25519'], context),
      0,
    );
    assertNoSecrets(output(), await privateLines(dataDir));
    assert.equal(await runKeysCommand(['list', '--json'], context), 0);
    const rows = JSON.parse(output()) as {
      kid: string;
      alg: string;
      state: string;
      retiredUntil: string | null;
    }[];
    assert.deepEqual(rows.map((row) => `${row.alg}:${row.state}`).sort(), [
      'ed25519:active',
      'ed25519:next',
      'ed25519:retired',
      'rsa-2048:active',
      'rsa-2048:next',
    ]);
    assert.equal(
      rows.find((row) => row.state === 'retired')?.retiredUntil,
      new Date(T0 + 3 * DAY).toISOString(),
    );

    clock.now = T0 + 3 * DAY;
    assert.equal(await runKeysCommand(['prune'], context), 0);
    assert.doesNotMatch(output(), /retired/);
  });

  test('read-only secret: generate refuses with a hint, errors carry no key material', async () => {
    const { context, output, dataDir } = await setup();
    assert.equal(
      await runKeysCommand(['generate'], {
        ...context,
        keyDir: join(dataDir, 'secret'),
        readOnly: true,
      }),
      1,
    );
    assert.match(output(), /error: .*read-only.*keys generate/);

    assert.equal(await runKeysCommand(['generate'], context), 0);
    output();
    const secrets = await privateLines(dataDir);
    const dir = join(dataDir, 'keys');
    const victim = (await readdir(dir)).find((name) => name.endsWith('.pem')) ?? '';
    const pem = await readFile(join(dir, victim), 'utf8');
    await writeFile(join(dir, victim), pem.slice(0, pem.length - 40));
    assert.equal(await runKeysCommand(['list'], context), 1);
    const message = output();
    assert.match(message, /error: Signing keys in .*is missing or is not a PEM private key/);
    assertNoSecrets(message, secrets);
  });
});
