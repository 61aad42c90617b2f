/**
 * An early-OCM backend's own endpoint (Nextcloud's /index.php/ocm) stays reachable through the
 * pass-through for peers with its old discovery, but behind the gateway's peer policy and rate
 * limits: an organisation's one trust policy has no side door.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startP2bRig, type P2bRig } from './peer-to-backend-rig.ts';

let rig: P2bRig;
let configDir: string;

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'gw-native-ocm-'));
  const file = join(configDir, 'gateway.yaml');
  writeFileSync(file, 'policy:\n  perPeerRateLimit:\n    requests: 1\n    windowSeconds: 60\n');
  rig = await startP2bRig({
    backend: { flavour: 'nextcloud-ocm', nextcloudVersion: 27 },
    env: { GATEWAY_CONFIG: file },
  });
});

after(async () => {
  await rig.close();
  rmSync(configDir, { recursive: true, force: true });
});

test("the backend's native OCM endpoint is rate limited like the gateway's; other paths are not", async () => {
  const post = () =>
    fetch(`${rig.publicUrl}/index.php/ocm/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  const first = await post();
  assert.notEqual(first.status, 429, 'the first call reaches the backend');
  const before = rig.backend.received.filter((r) => r.path.includes('/ocm/shares')).length;
  const second = await post();
  assert.equal(second.status, 429, await second.clone().text());
  assert.ok(Number(second.headers.get('retry-after')) >= 1);
  assert.equal(
    rig.backend.received.filter((r) => r.path.includes('/ocm/shares')).length,
    before,
    'the limited call never reached the backend',
  );
  // Plain pass-through traffic is not a federation call: no limit.
  for (let i = 0; i < 3; i += 1) {
    const page = await fetch(`${rig.publicUrl}/status.php`);
    assert.notEqual(page.status, 429);
    await page.arrayBuffer();
  }
});
