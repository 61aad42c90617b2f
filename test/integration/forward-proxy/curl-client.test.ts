import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PEER_CA,
  startProxyHarness,
  startTlsServer,
  type ProxyHarness,
  type TestServer,
} from './proxy-harness.ts';

// ownCloud and Nextcloud send their outgoing calls with libcurl (Guzzle): curl with --proxy is
// what the backend really does, including how it reacts to a certificate it does not trust.
const hasCurl = spawnSync('curl', ['--version']).status === 0;

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['-sS', '--max-time', '10', '--noproxy', '', ...args],
      { timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe(
  'curl through the intercepting proxy',
  { skip: hasCurl ? false : 'curl is not installed' },
  () => {
    let proxy: ProxyHarness;
    let peer: TestServer;
    let dir: string;
    before(async () => {
      proxy = await startProxyHarness({ intercept: true });
      peer = await startTlsServer();
      dir = mkdtempSync(join(tmpdir(), 'fwd-curl-'));
      writeFileSync(join(dir, 'peer-ca.pem'), PEER_CA);
    });
    after(async () => {
      await proxy.close();
      await peer.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('https federation call: curl trusts the org CA file and reaches the federation handler', async () => {
      const result = await curl([
        '--proxy',
        proxy.url,
        '--cacert',
        proxy.ca?.certificatePath ?? '',
        `https://peer.example:${peer.port}/ocm-provider/`,
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal((JSON.parse(result.stdout) as { path: unknown }).path, '/ocm-provider/');
      assert.equal(proxy.federationCalls.at(-1)?.scheme, 'https');
    });

    test('plain http: curl sends absolute-form and it is routed the same way', async () => {
      const result = await curl([
        '--proxy',
        proxy.url,
        `http://peer.example:${peer.port}/status.php`,
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(
        { scheme: proxy.federationCalls.at(-1)?.scheme, path: proxy.federationCalls.at(-1)?.path },
        { scheme: 'http', path: '/status.php' },
      );
    });

    test('a backend that does not trust the org CA fails, and the log names the CA file to install', async () => {
      const result = await curl([
        '--proxy',
        proxy.url,
        '--cacert',
        join(dir, 'peer-ca.pem'),
        `https://peer.example:${peer.port}/status.php`,
      ]);
      assert.equal(result.code, 60, 'curl: peer certificate cannot be authenticated');
      const hint = () => proxy.logs.find((l) => /trust the egress CA/.test(l.message));
      for (let i = 0; i < 100 && hint() === undefined; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(hint()?.fields.caCertificate, proxy.ca?.certificatePath);
    });
  },
);
