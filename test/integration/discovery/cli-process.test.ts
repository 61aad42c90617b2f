/** `ocm-gateway peers …` as operators run it: a child process on the fleet's Redis, against a real peer. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deleteKeysWithPrefix,
  randomKeyPrefix,
  testRedisClient,
  testRedisUrl,
} from '../../contract/redis-test-keys.ts';
import { OcmPeer } from '../../sim/ocm-peer/ocm-peer.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'gateway', 'cli.ts');
const LEDGER_KEY = 'cli-process-ledger-key-0123456789abcdefghij';
const prefix = randomKeyPrefix();
const dataDir = mkdtempSync(join(tmpdir(), 'ocmgw-cli-process-'));
let peer: OcmPeer;

const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_REDIS_URL: testRedisUrl(),
  GATEWAY_REDIS_KEY_PREFIX: prefix,
  GATEWAY_LEDGER_KEY: LEDGER_KEY,
  GATEWAY_ALLOW_PRIVATE_PEERS: '1',
  GATEWAY_DATA_DIR: dataDir,
};

function cli(
  args: string[],
  environment: Record<string, string> = env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: environment, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function discoveries(): number {
  return peer.received.filter((r) => r.path === '/.well-known/ocm').length;
}

before(async () => {
  peer = await OcmPeer.start({ version: '1.3' });
});
after(async () => {
  await peer.close();
  const raw = testRedisClient();
  await deleteKeysWithPrefix(raw, prefix);
  raw.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ocm-gateway peers (child process, shared Redis)', () => {
  test('show --json discovers and caches; show again reads the cache; list shows it', async () => {
    const shown = await cli(['peers', 'show', `alice@${peer.url}`, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stderr, '');
    const status = JSON.parse(shown.stdout) as {
      peer: string;
      state: string;
      dialect: string;
      capabilities: { keys: { jwks: unknown[] } };
    };
    assert.equal(status.peer, peer.host);
    assert.equal(status.state, 'fresh');
    assert.equal(status.dialect, 'ocm-1.3');
    assert.equal(status.capabilities.keys.jwks.length, 1);
    assert.equal(discoveries(), 1);

    const table = await cli(['peers', 'show', peer.host]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^dialect\s+ocm-1\.3 \(best in common\)$/m);
    assert.match(table.stdout, /^keys\s+jwks \S+#key1$/m);
    assert.equal(discoveries(), 1, 'served from the shared cache');

    const list = await cli(['peers', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^PEER\s+STATE/);
    assert.ok(list.stdout.includes(`${peer.host}  fresh`));
    for (const output of [shown, table, list]) {
      assert.ok(!(output.stdout + output.stderr).includes(LEDGER_KEY));
    }
  });

  test('refresh discovers again; forget empties the cache', async () => {
    const before = discoveries();
    const refreshed = await cli(['peers', 'refresh', peer.url]);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(discoveries(), before + 1);
    const forgot = await cli(['peers', 'forget', peer.host]);
    assert.equal(forgot.code, 0);
    assert.equal(forgot.stdout, `Forgot ${peer.host}.\n`);
    const list = await cli(['peers', 'list', '--json']);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  test('failures: exit 1 or 2 with one line on stderr and no stack trace', async () => {
    const down = await cli(['peers', 'show', 'http://127.0.0.1:9']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^error: .+\n$/);
    const usage = await cli(['peers', 'show']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^error: show needs exactly one <peer>\n/);
    const withoutUrl = Object.fromEntries(
      Object.entries(env).filter(([name]) => name !== 'GATEWAY_PUBLIC_URL'),
    );
    const config = await cli(['peers', 'list'], withoutUrl);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /^error: configuration: GATEWAY_PUBLIC_URL is required .*\n$/);
    for (const output of [down, usage, config]) assert.doesNotMatch(output.stderr, /\n\s+at /);
  });
});
