/** Early-OCM (1.0-proposal1) fixtures against ownCloud 10 and Nextcloud 14–30 receivers. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alternate, loadFixture } from './fixture-replay.ts';
import {
  assertResponse,
  NC,
  OC1,
  seedOwnerShare42,
  seedReceived42,
  withFixtureSim,
} from './legacy-test-kit.ts';

const NC_NOTIFY = '/index.php/ocm/notifications';
const OC_NOTIFY = '/index.php/apps/federatedfilesharing/notifications';

describe('ocm-nextcloud-create-share.json', () => {
  const f = loadFixture('ocm-nextcloud-create-share.json');
  const body = f.request.body as Record<string, unknown>;
  for (const v of [14, 20, 30]) {
    test(`nextcloud-ocm ${v}: 201 with recipientDisplayName and the share stored`, () =>
      withFixtureSim(
        'nextcloud-ocm',
        NC,
        async ({ sim, send }) => {
          assertResponse(await send(f), f.response);
          const r = sim.receivedShares('bob')[0]!;
          assert.deepEqual(
            [r.remote, r.remoteId, r.token, r.via],
            ['oc1.example.com/', '42', 'Xy9zA1bC2dE3fG4', 'ocm'],
          );
          assert.equal(r.sharedByFederatedId, 'alice@oc1.example.com');
        },
        { nextcloudVersion: v },
      ));
  }
  test('missing arguments / unknown user / unsupported shareType', () =>
    withFixtureSim('nextcloud-ocm', NC, async ({ sim, send }) => {
      const noProvider = { ...body };
      delete noProvider.providerId;
      assertResponse(await send(f, { body: noProvider }), alternate(f, 'missing arguments'));
      assertResponse(
        await send(f, { body: { ...body, shareType: 'federation' } }),
        alternate(f, 'unsupported shareType'),
      );
      sim.state.users.delete('bob');
      assertResponse(await send(f), alternate(f, 'unknown user'));
    }));
  test('Nextcloud ignores `sender`: sharedBy falls back to the owner', () =>
    withFixtureSim('nextcloud-ocm', NC, async ({ sim, send }) => {
      const rest = { ...body };
      delete rest.sharedBy;
      delete rest.sharedByDisplayName;
      await send(f, { body: { ...rest, sender: 'mallory@evil.example' } });
      assert.equal(sim.receivedShares('bob')[0]?.sharedByFederatedId, 'alice@oc1.example.com');
    }));
});

describe('ocm-owncloud10-create-share.json', () => {
  const f = loadFixture('ocm-owncloud10-create-share.json');
  const body = f.request.body as Record<string, unknown>;
  test('owncloud10: 201 [] and the remote taken from the owner cloud id', () =>
    withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      assertResponse(await send(f), f.response);
      const r = sim.receivedShares('dave')[0]!;
      assert.deepEqual(
        [r.remote, r.remoteId, r.sharedByFederatedId],
        ['nc.example.org/nextcloud', '77', 'erin@nc.example.org/nextcloud'],
      );
    }));
  test('owncloud10: every documented refusal', async () => {
    await withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      const noProvider = { ...body };
      delete noProvider.providerId;
      assertResponse(await send(f, { body: noProvider }), alternate(f, 'missing field'));
      assertResponse(
        await send(f, { body: { ...body, protocol: { name: 'webdav', options: {} } } }),
        alternate(f, 'sharedSecret'),
      );
      assertResponse(
        await send(f, { body: { ...body, shareType: 'group' } }),
        alternate(f, 'shareType group'),
      );
      sim.state.users.delete('dave');
      assertResponse(await send(f), alternate(f, 'unknown local user'));
    });
    await withFixtureSim(
      'owncloud10',
      OC1,
      async ({ send }) => assertResponse(await send(f), alternate(f, 'disabled')),
      {
        incomingEnabled: false,
      },
    );
  });
});

describe('ocm-notification-share-accepted.json / ocm-notification-share-declined.json', () => {
  const accepted = loadFixture('ocm-notification-share-accepted.json');
  const declined = loadFixture('ocm-notification-share-declined.json');
  test('owncloud10: SHARE_ACCEPTED → 201 []; unknown id → 400; wrong secret → 403', () =>
    withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      assertResponse(await send(accepted), alternate(accepted, 'OC 10 receiver, unknown'));
      const share = seedOwnerShare42(sim);
      const body = structuredClone(accepted.request.body) as {
        notification: { sharedSecret: string };
      };
      body.notification.sharedSecret = 'wrong';
      assertResponse(await send(accepted, { body }), alternate(accepted, 'OC 10 receiver, wrong'));
      assertResponse(await send(accepted), accepted.response);
      assert.equal(share.accepted, true);
    }));
  test('nextcloud-ocm: SHARE_ACCEPTED → 201; unknown id → 400 "Share not found"; wrong secret → 403', () =>
    withFixtureSim('nextcloud-ocm', OC1, async ({ sim, send }) => {
      assertResponse(
        await send(accepted, { path: NC_NOTIFY }),
        alternate(accepted, 'NC receiver, unknown'),
      );
      seedOwnerShare42(sim);
      const body = structuredClone(accepted.request.body) as {
        notification: { sharedSecret: string };
      };
      body.notification.sharedSecret = 'wrong';
      assertResponse(
        await send(accepted, { path: NC_NOTIFY, body }),
        alternate(accepted, 'NC receiver, wrong'),
      );
      assertResponse(await send(accepted, { path: NC_NOTIFY }), accepted.response);
    }));
  for (const [flavour, path] of [
    ['owncloud10', OC_NOTIFY],
    ['nextcloud-ocm', NC_NOTIFY],
  ] as const) {
    test(`${flavour}: SHARE_DECLINED → 201 and the share is gone`, () =>
      withFixtureSim(flavour, OC1, async ({ sim, send }) => {
        seedOwnerShare42(sim);
        assertResponse(await send(declined, { path }), declined.response);
        assert.equal(sim.outgoingShares().length, 0);
      }));
  }
});

describe('ocm-notification-share-unshared.json', () => {
  const f = loadFixture('ocm-notification-share-unshared.json');
  test('nextcloud-ocm: SHARE_UNSHARED (with the `messgage` typo) → 201 and the share is removed', () =>
    withFixtureSim('nextcloud-ocm', NC, async ({ sim, send }) => {
      seedReceived42(sim);
      assertResponse(await send(f), f.response);
      assert.equal(sim.receivedShares().length, 0);
    }));
  test('owncloud10: SHARE_UNSHARED → 201 and the share is removed', () =>
    withFixtureSim('owncloud10', NC, async ({ sim, send }) => {
      seedReceived42(sim);
      assertResponse(await send(f, { path: OC_NOTIFY }), f.response);
      assert.equal(sim.receivedShares().length, 0);
    }));
});

describe('ocm-notification-reshare-undo.json', () => {
  const f = loadFixture('ocm-notification-reshare-undo.json');
  test('nextcloud-ocm: RESHARE_UNDO → 201 and the re-share is deleted', () =>
    withFixtureSim('nextcloud-ocm', NC, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      assertResponse(await send(f), f.response);
      assert.equal(sim.outgoingShares().length, 0);
    }));
  test('owncloud10: RESHARE_UNDO → 501 (stub)', () =>
    withFixtureSim('owncloud10', NC, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      assertResponse(await send(f, { path: OC_NOTIFY }), alternate(f, 'OC 10 receiver'));
    }));
});

describe('ocm-notification-request-reshare.json', () => {
  const f = loadFixture('ocm-notification-request-reshare.json');
  const withToken = (key: string, token: string, expected: { body: unknown }) => ({
    ...expected,
    body: { ...(expected.body as Record<string, unknown>), [key]: token },
  });
  test('nextcloud-ocm: 201 {token, providerId: 43}', () =>
    withFixtureSim('nextcloud-ocm', NC, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      const res = await send(f);
      const token = (JSON.parse(res.text) as { token: string }).token;
      assertResponse(res, withToken('token', token, f.response) as typeof f.response);
      assert.equal(sim.state.shares.get(43)?.reshareRemoteId, '7');
    }));
  test('owncloud10: 201 {sharedSecret, providerId}; no share bit → 400; back to the owner → 403', () =>
    withFixtureSim('owncloud10', NC, async ({ sim, send }) => {
      const share = seedOwnerShare42(sim, 15);
      assertResponse(await send(f, { path: OC_NOTIFY }), alternate(f, 'no share permission'));
      share.permissions = 31;
      const toOwner = structuredClone(f.request.body) as { notification: { shareWith: string } };
      toOwner.notification.shareWith = 'alice@nc.example.org/nextcloud';
      assertResponse(
        await send(f, { path: OC_NOTIFY, body: toOwner }),
        alternate(f, 'reshare to owner'),
      );
      const res = await send(f, { path: OC_NOTIFY });
      const token = (JSON.parse(res.text) as { sharedSecret: string }).sharedSecret;
      assertResponse(
        res,
        withToken('sharedSecret', token, alternate(f, 'OC 10 receiver')) as typeof f.response,
      );
    }));
});

describe('ocm-notification-reshare-change-permission.json', () => {
  const f = loadFixture('ocm-notification-reshare-change-permission.json');
  test('owncloud10: RESHARE_CHANGE_PERMISSION on a re-share → 201 [] and bits r|w|s', () =>
    withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      const share = seedOwnerShare42(sim, 1, { reshareRemoteId: '7' });
      assertResponse(await send(f), f.response);
      assert.equal(share.permissions, 1 | 2 | 4 | 16);
    }));
  test('nextcloud-ocm refuses → 400 "Internal error at <base>/"', () =>
    withFixtureSim('nextcloud-ocm', NC, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      assertResponse(await send(f, { path: NC_NOTIFY }), alternate(f, 'NC receiver'));
    }));
});
