import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendTransport } from '../../../adapters/backend/backend-transport.ts';
import { createHttpBackendProber } from '../../../adapters/backend/http-backend-prober.ts';
import { startBackendDialectDetection } from '../../../gateway/services/detect-backend-dialect.ts';
import { startLegacyServer } from '../../sim/index.ts';
import { closedPortUrl } from '../../sim/legacy/legacy-test-kit.ts';
import type { LegacyServerOptions } from '../../sim/legacy/legacy-context.ts';
import { quietLogger } from './backend-rig.ts';

async function detect(
  options: Omit<LegacyServerOptions, 'proxy'>,
  dialect: 'auto' | 'ocs-v2' = 'auto',
) {
  const sim = await startLegacyServer({ ...options, proxy: await closedPortUrl() });
  const transport = createBackendTransport({ connectTimeoutMs: 2_000, totalTimeoutMs: 5_000 });
  try {
    const detection = await startBackendDialectDetection({
      prober: createHttpBackendProber({ backendUrl: sim.url, transport }),
      backendUrl: sim.url,
      dialect,
      recheckSeconds: 0,
      clock: Date.now,
      logger: quietLogger,
    });
    detection.stop();
    return { profile: detection.current(), url: sim.url };
  } finally {
    transport.close();
    await sim.close();
  }
}

describe('backend detection against the legacy simulators', () => {
  test('ownCloud 9.0 → ocs-v1 without reshare/permissions/revoke', async () => {
    const { profile, url } = await detect({ flavour: 'owncloud9' });
    assert.equal(profile.dialect, 'ocs-v1');
    assert.equal(profile.status, 'known');
    assert.equal(profile.decidedBy, `${url}/status.php`);
    assert.deepEqual(Object.keys(profile.actions), ['accept', 'decline', 'unshare']);
  });

  test('Nextcloud 13 → ocs-v2 with move, under a sub-path', async () => {
    const { profile, url } = await detect({ flavour: 'nextcloud13', basePath: '/nextcloud' });
    assert.ok(url.endsWith('/nextcloud'));
    assert.equal(profile.dialect, 'ocs-v2');
    assert.equal(profile.product.name, 'Nextcloud');
    assert.equal(profile.actions.move, 'ocs');
    assert.equal(profile.actions.reshare, 'ocs');
  });

  test('ownCloud 10.1+ → ocm-proposal1 owncloud10; its public endPoint is rebased on the backend', async () => {
    const { profile, url } = await detect({
      flavour: 'owncloud10',
      publicUrl: 'https://cloud.example.org',
    });
    assert.equal(profile.dialect, 'ocm-proposal1');
    assert.equal(profile.variant, 'owncloud10');
    assert.deepEqual(profile.ocmEndPoint, {
      advertised: 'https://cloud.example.org/index.php/apps/federatedfilesharing',
      url: `${url}/index.php/apps/federatedfilesharing`,
    });
  });

  for (const version of [14, 27, 30]) {
    test(`Nextcloud ${version} → ocm-proposal1 nextcloud`, async () => {
      const { profile, url } = await detect({
        flavour: 'nextcloud-ocm',
        nextcloudVersion: version,
        basePath: '/nc',
        publicUrl: 'https://cloud.example.org/nc',
      });
      assert.equal(profile.dialect, 'ocm-proposal1');
      assert.equal(profile.variant, 'nextcloud');
      assert.equal(profile.ocmEndPoint?.url, `${url}/index.php/ocm`);
      assert.equal(profile.product.major, version);
      assert.deepEqual(profile.shareTypes, ['user', 'group']);
    });
  }

  test('Nextcloud 27 with its OCM app off → ocs-v2', async () => {
    const { profile } = await detect({ flavour: 'nextcloud-ocm', ocmEnabled: false });
    assert.equal(profile.dialect, 'ocs-v2');
    assert.equal(profile.actions.permissions, undefined);
  });

  test('forced by config: the forced dialect with what the probes tell', async () => {
    const { profile } = await detect({ flavour: 'owncloud10' }, 'ocs-v2');
    assert.equal(profile.dialect, 'ocs-v2');
    assert.equal(profile.source, 'config');
    assert.equal(profile.actions.revoke, 'ocs');
  });

  test('an unreachable backend: start anyway with ocs-v2 marked unknown', async () => {
    const backendUrl = await closedPortUrl();
    const transport = createBackendTransport({ connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 });
    const detection = await startBackendDialectDetection({
      prober: createHttpBackendProber({ backendUrl, transport }),
      backendUrl,
      dialect: 'auto',
      recheckSeconds: 300,
      clock: Date.now,
      logger: quietLogger,
    });
    detection.stop();
    transport.close();
    assert.equal(detection.current().dialect, 'ocs-v2');
    assert.equal(detection.current().status, 'unknown');
  });
});
