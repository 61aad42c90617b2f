import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

// Keeps the README's first quick-start command true: the demo mesh starts and walks its share.
test('npm run demo walks a share both ways through the gateway and exits cleanly with --once', async () => {
  const script = join(import.meta.dirname, '..', '..', 'demo', 'run-demo.ts');
  const child = spawn(process.execPath, [script, '--once'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 0, `${out}\n${err}`);
  assert.match(out, /share created on the backend, waiting for bob/);
  assert.match(out, /accept callback → .* → ok/);
  assert.match(out, /PROPFIND of the peer's share → 207/);
  assert.match(out, /through the gateway → 200: "minutes of the federation meeting\\n"/);
  assert.match(
    out,
    /gateway_http_request_duration_seconds_count\{listener="public",route="passthrough",method="POST",status_class="2xx"\} [1-9]/,
  );
  assert.match(out, /peer received POST \/ocm\/shares \(OCM 1\.3 JSON\), signed: RFC 9421/);
  assert.match(out, /reads the file → 200: "budget 2027\\n"/);
  assert.match(out, /backend reads it through the facade → 200: "report from a modern server\\n"/);
  assert.match(out, /demo done\./);
  assert.doesNotMatch(out, /"token":"(?!<token>)/, 'share tokens are masked in the printed bodies');
});
