import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideBackendProfile,
  type BackendProbeResults,
  type BackendProfile,
} from '../../../../gateway/core/backend/index.ts';
import type { DialectId } from '../../../../gateway/core/model/dialect-id.ts';
import {
  alternate,
  answer,
  BACKEND,
  fixture,
  probes,
  statusOf,
  unreachable,
} from './probe-fixtures.ts';

const NOW = 1_750_000_000_000;

function decide(p: BackendProbeResults, forced?: DialectId): BackendProfile {
  return decideBackendProfile({ probes: p, backendUrl: BACKEND, forced, now: NOW }).profile;
}

const ocsProvider = answer('/ocs-provider/', fixture('discovery-ocs-provider').response);
const oc10Status = answer('/status.php', fixture('discovery-status-php').response);
const oc9Status = answer('/status.php', alternate('discovery-status-php', 'ownCloud 9.0'));
const nc13Status = answer('/status.php', statusOf('13.0.12.1', 'Nextcloud'));
const nc27Status = answer('/status.php', statusOf('27.1.0.1', 'Nextcloud'));
const nc14Ocm = answer('/ocm-provider/', fixture('discovery-ocm-provider-nextcloud14').response);
const oc10Ocm = answer('/ocm-provider/', fixture('discovery-ocm-provider-owncloud10').response);

function actions(profile: BackendProfile): string {
  return Object.entries(profile.actions)
    .map(([a, via]) => `${a}:${via}`)
    .join(' ');
}

describe('decideBackendProfile: legacy OCS backends', () => {
  test('ownCloud 9.0 (status.php without productname): ocs-v1, accept/decline/unshare only', () => {
    const p = decide(probes({ ocsProvider, statusPhp: oc9Status }));
    assert.equal(p.dialect, 'ocs-v1');
    assert.equal(p.variant, undefined);
    assert.equal(p.status, 'known');
    assert.equal(p.source, 'probe');
    assert.equal(p.decidedBy, `${BACKEND}/status.php`);
    assert.equal(p.checkedAt, NOW);
    assert.deepEqual(p.product, { name: 'ownCloud', version: '9.0.0.19', major: 9, minor: 0 });
    assert.equal(actions(p), 'accept:ocs decline:ocs unshare:ocs');
    assert.equal(p.webdavPath, '/public.php/webdav/');
    assert.deepEqual(p.shareTypes, ['user']);
    assert.equal(p.ocmEndPoint, undefined);
  });

  test('ownCloud 10 with its OCM app off: ocs-v2 with reshare/permissions/revoke, no move', () => {
    const p = decide(probes({ ocsProvider, statusPhp: oc10Status }));
    assert.equal(p.dialect, 'ocs-v2');
    assert.equal(p.product.name, 'ownCloud');
    assert.equal(
      actions(p),
      'accept:ocs decline:ocs unshare:ocs reshare:ocs permissions:ocs revoke:ocs',
    );
  });

  test('Nextcloud 13: ocs-v2 with move', () => {
    const p = decide(probes({ ocsProvider, statusPhp: nc13Status }));
    assert.equal(p.dialect, 'ocs-v2');
    assert.equal(p.product.name, 'Nextcloud');
    assert.equal(p.product.major, 13);
    assert.ok('move' in p.actions && 'permissions' in p.actions && 'reshare' in p.actions);
  });

  test('Nextcloud 14+ with cloud_federation_api disabled (501): ocs-v2, permissions refused', () => {
    const disabled = answer(
      '/ocm-provider/',
      alternate('discovery-ocm-provider-nextcloud14', 'cloud_federation_api disabled'),
    );
    const p = decide(probes({ ocmProvider: disabled, ocsProvider, statusPhp: nc27Status }));
    assert.equal(p.dialect, 'ocs-v2');
    assert.equal(p.actions.permissions, undefined);
    assert.equal(p.actions.move, 'ocs');
  });

  test('a Nextcloud status.php without productname but version ≥ 11 is still Nextcloud', () => {
    const p = decide(probes({ statusPhp: answer('/status.php', statusOf('12.0.5.3')) }));
    assert.equal(p.product.name, 'Nextcloud');
    assert.equal(p.actions.move, 'ocs');
  });

  test('Pydio 8 (/ocs/v2/shares advertised): ocs-v2 pydio8 variant, basic actions', () => {
    const pydio = answer('/ocs-provider/', alternate('discovery-ocs-provider', 'Pydio 8'));
    const p = decide(probes({ ocsProvider: pydio }));
    assert.equal(p.dialect, 'ocs-v2');
    assert.equal(p.variant, 'pydio8');
    assert.equal(p.ocsVariant, 'pydio8');
    assert.equal(p.product.name, 'Pydio');
    assert.equal(p.webdavPath, '/ocs/v2/dav');
    assert.equal(actions(p), 'accept:ocs decline:ocs unshare:ocs');
  });

  test('only /ocs-provider/ answers: known server, product unknown, basic actions noted', () => {
    const p = decide(probes({ ocsProvider }));
    assert.equal(p.dialect, 'ocs-v2');
    assert.equal(p.status, 'known');
    assert.equal(p.decidedBy, `${BACKEND}/ocs-provider/`);
    assert.equal(actions(p), 'accept:ocs decline:ocs unshare:ocs');
    assert.ok(p.notes.some((n) => n.includes('did not name the product')));
  });
});

describe('decideBackendProfile: early-OCM backends', () => {
  test('Nextcloud 14 document: ocm-proposal1 nextcloud, endPoint rebased on the backend URL', () => {
    const p = decide(probes({ ocmProvider: nc14Ocm, ocsProvider, statusPhp: nc27Status }));
    assert.equal(p.dialect, 'ocm-proposal1');
    assert.equal(p.variant, 'nextcloud');
    assert.equal(p.decidedBy, `${BACKEND}/ocm-provider/`);
    assert.deepEqual(p.ocmEndPoint, {
      advertised: 'https://nc.example.org/nextcloud/index.php/ocm',
      url: 'https://backend.internal/nextcloud/index.php/ocm',
    });
    assert.deepEqual(p.resourceTypes, ['file']);
    assert.deepEqual(p.shareTypes, ['user', 'group']);
    assert.equal(actions(p), 'accept:ocm decline:ocm unshare:ocm reshare:ocm revoke:ocm move:ocs');
    assert.equal(p.ocsDialect, 'ocs-v2');
  });

  test('ownCloud 10 document (shareTypes key): owncloud10 variant, revoke stays legacy', () => {
    const p = decide(probes({ ocmProvider: oc10Ocm, ocsProvider, statusPhp: oc10Status }));
    assert.equal(p.dialect, 'ocm-proposal1');
    assert.equal(p.variant, 'owncloud10');
    assert.deepEqual(p.shareTypes, ['user']);
    assert.equal(p.actions.revoke, 'ocs');
    assert.equal(p.actions.permissions, 'ocm');
    assert.equal(p.actions.move, undefined);
    assert.equal(
      p.ocmEndPoint?.url,
      'https://backend.internal/nextcloud/index.php/apps/federatedfilesharing',
    );
  });

  test('ownCloud 10 document is recognised even when status.php is unreachable', () => {
    const p = decide(probes({ ocmProvider: oc10Ocm, statusPhp: unreachable('/status.php') }));
    assert.equal(p.variant, 'owncloud10');
  });

  test('an unnamed proposal1 server gets the compat variant', () => {
    const doc = { ...(fixture('discovery-ocm-provider-nextcloud14').response.body as object) };
    const p = decide(probes({ ocmProvider: answer('/ocm-provider/', { status: 200, body: doc }) }));
    assert.equal(p.variant, 'compat');
  });

  test('Nextcloud 31 (apiVersion 1.1.0): its receiver is spoken to as Nextcloud proposal1', () => {
    const nc31 = answer('/ocm-provider/', fixture('discovery-ocm-provider-nextcloud31').response);
    const status = answer('/status.php', statusOf('31.0.0.18', 'Nextcloud'));
    const p = decide(probes({ ocmProvider: nc31, statusPhp: status }));
    assert.equal(p.dialect, 'ocm-proposal1');
    assert.equal(p.variant, 'nextcloud');
    assert.ok(p.notes.some((n) => n.includes('1.1.0')));
  });

  test('enabled:false or a non-JSON /ocm-provider/ is not OCM (ownCloud 10 rule)', () => {
    const off = answer('/ocm-provider/', {
      status: 200,
      body: { enabled: false, apiVersion: '1.0-proposal1', endPoint: 'https://x/ocm' },
    });
    assert.equal(decide(probes({ ocmProvider: off, statusPhp: nc13Status })).dialect, 'ocs-v2');
    const html = answer('/ocm-provider/', { status: 200, body: '<html></html>' });
    assert.equal(decide(probes({ ocmProvider: html, statusPhp: oc9Status })).dialect, 'ocs-v1');
  });
});

describe('decideBackendProfile: unreachable, unidentified, forced', () => {
  const down = probes({
    ocmProvider: unreachable('/ocm-provider/'),
    ocsProvider: unreachable('/ocs-provider/'),
    statusPhp: unreachable('/status.php'),
  });

  test('nothing answers: conservative ocs-v2 marked unknown, basic actions', () => {
    const decision = decideBackendProfile({ probes: down, backendUrl: BACKEND, now: NOW });
    assert.equal(decision.reachable, false);
    const p = decision.profile;
    assert.equal(p.dialect, 'ocs-v2');
    assert.equal(p.status, 'unknown');
    assert.equal(p.source, 'default');
    assert.equal(p.decidedBy, undefined);
    assert.equal(actions(p), 'accept:ocs decline:ocs unshare:ocs');
    assert.ok(p.notes.some((n) => n.includes('could not be reached')));
  });

  test('an answering server that is no ownCloud-family one: reachable, still unknown', () => {
    const decision = decideBackendProfile({ probes: probes({}), backendUrl: BACKEND, now: NOW });
    assert.equal(decision.reachable, true);
    assert.equal(decision.profile.status, 'unknown');
    assert.ok(decision.profile.notes.some((n) => n.includes('answered, but not')));
  });

  test('forced dialect that matches detection keeps the details, source config', () => {
    const p = decide(probes({ ocmProvider: oc10Ocm, statusPhp: oc10Status }), 'ocm-proposal1');
    assert.equal(p.source, 'config');
    assert.equal(p.status, 'known');
    assert.equal(p.variant, 'owncloud10');
  });

  test('forced ocs-v1 over an OCM-capable Nextcloud: legacy calls with its product actions', () => {
    const p = decide(probes({ ocmProvider: nc14Ocm, statusPhp: nc27Status }), 'ocs-v1');
    assert.equal(p.dialect, 'ocs-v1');
    assert.equal(p.ocsDialect, 'ocs-v1');
    assert.equal(p.actions.move, 'ocs');
    assert.equal(p.ocmEndPoint, undefined);
  });

  test('forced while unreachable: the forced dialect, unknown, endPoint assumed', () => {
    const p = decide(down, 'ocm-proposal1');
    assert.equal(p.dialect, 'ocm-proposal1');
    assert.equal(p.variant, 'compat');
    assert.equal(p.status, 'unknown');
    assert.equal(p.source, 'config');
    assert.equal(p.ocmEndPoint?.url, `${BACKEND}/index.php/ocm`);
    assert.equal(decide(down, 'ocs-v1').dialect, 'ocs-v1');
  });

  test('maintenance mode is noted', () => {
    const r = statusOf('13.0.12.1', 'Nextcloud');
    const maint = answer('/status.php', {
      ...r,
      body: { ...(r.body as object), maintenance: true },
    });
    assert.ok(decide(probes({ statusPhp: maint })).notes.some((n) => n.includes('maintenance')));
  });
});
