import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config/load-config.ts';
import { runOcmGateway } from '../../../gateway/cli/ocm-gateway.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ocmgw-cli-dispatch-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const env = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_DATA_DIR: dataDir,
};

async function run(args: string[], envOverride: Record<string, string> = env) {
  let out = '';
  let err = '';
  const code = await runOcmGateway(
    args,
    { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } },
    { loadConfig: () => loadConfig({ env: envOverride }) },
  );
  return { code, out, err };
}

describe('ocm-gateway dispatch', () => {
  test('no command or an unknown one is bad usage (2); help is 0', async () => {
    assert.equal((await run([])).code, 2);
    const unknown = await run(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /peers show\|refresh\|forget\|list/);
  });

  test('bad configuration: exit 2, one line naming the first problem and how many more', async () => {
    const result = await run(['peers', 'list'], { GATEWAY_DATA_DIR: dataDir });
    assert.equal(result.code, 2);
    assert.match(
      result.err,
      /^error: configuration: GATEWAY_PUBLIC_URL is required \(fix: .*\); 1 more problem\n$/,
    );
    assert.equal(result.err.split('\n').length, 2);
  });

  test('peers … reaches the peers command with the loaded config', async () => {
    const result = await run(['peers', 'list']);
    assert.equal(result.code, 1);
    assert.match(result.err, /needs the shared cache/);
  });

  test('keys … is handed to the keys command', async () => {
    const result = await run(['keys', 'list']);
    assert.equal(result.code, 1);
    assert.match(result.err, /No key set in .*keys/);
  });
});
