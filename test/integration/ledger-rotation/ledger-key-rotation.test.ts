/**
 * A ledger key rotation as an operator does it, through the real startGateway and the CLI: the
 * new key in GATEWAY_LEDGER_KEY, the old one in GATEWAY_LEDGER_PREVIOUS_KEYS; shares and access
 * tokens from before keep working; `ocm-gateway ledger rewrap` moves the records; then the old
 * key can go.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { loadConfig } from '../../../config/load-config.ts';
import { runOcmGateway } from '../../../gateway/cli/ocm-gateway.ts';
import { deriveAccessTokenKey } from '../../../gateway/core/tokens/access-token-key.ts';
import { accessTokenClaims, signAccessToken } from '../../../gateway/core/tokens/access-token.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway } from '../../../gateway/start-gateway.ts';
import { freePort } from '../../support/free-port.ts';
import { captureLogger, type LogLine } from '../../unit/http/capture-logger.ts';

const OLD_KEY = 'the-old-ledger-key-before-rotation-0123456789';
const NEW_KEY = 'the-new-ledger-key-after-rotation-9876543210';
const SECRET = 'BackendShareToken-rotation-0123456789';
const PUBLIC_URL = 'https://cloud.example.org';

let backend: http.Server;
const seen: { url: string; authorization: string | undefined }[] = [];
let dataDir: string;
let env: Record<string, string>;
let shareId: string;

before(async () => {
  backend = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.end('file body');
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  dataDir = mkdtempSync(join(tmpdir(), 'gw-ledger-rotation-'));
  env = {
    GATEWAY_PUBLIC_URL: PUBLIC_URL,
    GATEWAY_BACKEND_URL: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
    GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    GATEWAY_DATA_DIR: dataDir,
  };
  // Before the rotation: the backend shared a file with a peer; the ledger sealed it with OLD_KEY.
  const old = new SqliteLedger({ dataDir, secretKey: OLD_KEY });
  const { record } = await old.shares.create({
    direction: 'outgoing',
    peerHost: 'peer.example.net',
    providerId: '17',
    sharedSecret: SECRET,
    dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
    owner: 'alice@cloud.example.org',
    sender: 'alice@cloud.example.org',
    shareWith: 'bob@peer.example.net',
    resourceName: 'Report.pdf',
    state: 'accepted',
  });
  shareId = record.id;
  await old.close();
});

after(async () => {
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function gatewayWith(extra: Record<string, string>, logs: LogLine[] = []) {
  const config = loadConfig({
    env: {
      ...env,
      ...extra,
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_INTERNAL_PORT: String(await freePort()),
      GATEWAY_ADMIN_PORT: String(await freePort()),
    },
  });
  return startGateway(config, {
    logger: captureLogger(logs),
    metrics: createMetrics({ collectDefaults: false }),
  });
}

async function readAs(publicUrl: string, bearer: string): Promise<number> {
  const reply = await fetch(`${publicUrl}/public.php/webdav/Report.pdf`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  await reply.arrayBuffer();
  return reply.status;
}

async function cli(args: string[], extra: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runOcmGateway(
    args,
    { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } },
    { loadConfig: () => loadConfig({ env: { ...env, ...extra } }) },
  );
  return { code, out, err };
}

const basicFor = (secret: string) => `Basic ${Buffer.from(`${secret}:`).toString('base64')}`;

test('rotate, rewrap, drop the old key: the share and its tokens keep working throughout', async () => {
  const oldToken = await signAccessToken(
    accessTokenClaims({
      shareId,
      clientId: 'peer.example.net',
      now: Date.now(),
      lifetimeSeconds: 3600,
      tokenId: 'tok-1',
    }),
    deriveAccessTokenKey(OLD_KEY),
    PUBLIC_URL,
  );
  const rotated = { GATEWAY_LEDGER_KEY: NEW_KEY, GATEWAY_LEDGER_PREVIOUS_KEYS: OLD_KEY };

  // 1. New key, old one listed: the peer's secret and its token from before still open the share.
  const logs: LogLine[] = [];
  const during = await gatewayWith(rotated, logs);
  try {
    assert.ok(logs.some((l) => /previous ledger keys configured/.test(l.message)));
    assert.equal(await readAs(during.publicUrl, SECRET), 200);
    assert.equal(await readAs(during.publicUrl, oldToken), 200);
    assert.deepEqual(
      seen.slice(-2).map((s) => s.authorization),
      [basicFor(SECRET), basicFor(SECRET)],
    );
  } finally {
    await during.stop();
  }

  // 2. The rewrap moves the share to the new key; a second run has nothing left to move.
  const first = await cli(['ledger', 'rewrap'], rotated);
  assert.equal(first.code, 0, first.err);
  assert.equal(first.out, 'rewrapped 1 share(s), 0 invite(s), 0 outbox item(s)\n');
  assert.ok(!first.out.includes(SECRET) && !first.err.includes(OLD_KEY));
  const second = await cli(['ledger', 'rewrap'], rotated);
  assert.equal(second.out, 'rewrapped 0 share(s), 0 invite(s), 0 outbox item(s)\n');

  // 3. The old key removed: the share still opens; a token the old key signed no longer does
  //    (keep the previous key listed until such tokens have expired: ocm.accessTokenSeconds).
  const after = await gatewayWith({ GATEWAY_LEDGER_KEY: NEW_KEY });
  try {
    assert.equal(await readAs(after.publicUrl, SECRET), 200);
    assert.equal(seen.at(-1)?.authorization, basicFor(SECRET));
    const before = seen.length;
    assert.equal(await readAs(after.publicUrl, oldToken), 401);
    assert.equal(seen.length, before, 'a refused token never reaches the backend');
  } finally {
    await after.stop();
  }
  const alone = await cli(['ledger', 'rewrap'], { GATEWAY_LEDGER_KEY: NEW_KEY });
  assert.equal(alone.code, 0);
  assert.match(alone.err, /GATEWAY_LEDGER_PREVIOUS_KEYS is empty/);
});

test('ledger: bad usage is 2 with the usage; help is 0', async () => {
  const bad = await cli(['ledger', 'frobnicate'], { GATEWAY_LEDGER_KEY: NEW_KEY });
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown ledger command "frobnicate"/);
  const help = await cli(['ledger', 'help'], { GATEWAY_LEDGER_KEY: NEW_KEY });
  assert.equal(help.code, 0);
  assert.match(help.out, /rewrap/);
});
