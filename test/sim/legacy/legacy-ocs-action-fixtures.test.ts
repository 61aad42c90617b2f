/** Each legacy flavour answers the OCS share-action fixtures (accept, decline, unshare, reshare,
 * permissions, revoke, move) exactly as the fixtures say. */
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

describe('legacy-accept.json / legacy-decline.json', () => {
  const accept = loadFixture('legacy-accept.json');
  const decline = loadFixture('legacy-decline.json');
  test('nextcloud13: accept on v2 → 200 "OK" and the share is accepted', () =>
    withFixtureSim('nextcloud13', OC1, async ({ sim, send }) => {
      const share = seedOwnerShare42(sim);
      assertResponse(await send(accept), accept.response);
      assert.equal(share.accepted, true);
    }));
  test('owncloud9: accept on v1 → statuscode 100, even for an unknown id', () =>
    withFixtureSim('owncloud9', OC1, async ({ send }) => {
      assertResponse(
        await send(accept, { path: '/ocs/v1.php/cloud/shares/42/accept' }),
        alternate(accept, 'v1 path'),
      );
    }));
  test('owncloud10: unknown id → 410, wrong token → 403', () =>
    withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      assertResponse(await send(accept), alternate(accept, 'unknown id'));
      seedOwnerShare42(sim);
      assertResponse(
        await send(accept, { body: { token: 'wrong' } }),
        alternate(accept, 'wrong token'),
      );
    }));
  test('nextcloud13: decline → 200 and the owner-side row is deleted', () =>
    withFixtureSim('nextcloud13', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      assertResponse(await send(decline), decline.response);
      assert.equal(sim.outgoingShares().length, 0);
    }));
  test('owncloud9: decline on v1', () =>
    withFixtureSim('owncloud9', OC1, async ({ send }) =>
      assertResponse(
        await send(decline, { path: '/ocs/v1.php/cloud/shares/42/decline' }),
        alternate(decline, 'v1 path'),
      ),
    ));
});

describe('legacy-unshare.json', () => {
  const f = loadFixture('legacy-unshare.json');
  test('nextcloud13: unshare deletes the share_external row', () =>
    withFixtureSim('nextcloud13', NC, async ({ sim, send }) => {
      seedReceived42(sim);
      assertResponse(await send(f), f.response);
      assert.equal(sim.receivedShares().length, 0);
    }));
  test('owncloud9: v1 (format=json in the body, as 9.0 sends it)', () =>
    withFixtureSim('owncloud9', NC, async ({ send }) =>
      assertResponse(
        await send(f, {
          path: '/ocs/v1.php/cloud/shares/42/unshare',
          search: '',
          body: { token: 'Xy9zA1bC2dE3fG4', format: 'json' },
        }),
        alternate(f, 'v1 path'),
      ),
    ));
  test('nextcloud13: federation disabled → 503', () =>
    withFixtureSim(
      'nextcloud13',
      NC,
      async ({ send }) => assertResponse(await send(f), alternate(f, 'disabled')),
      {
        incomingEnabled: false,
      },
    ));
});

describe('legacy-reshare.json', () => {
  const f = loadFixture('legacy-reshare.json');
  test('nextcloud13: reshare → {token, remoteId: 43} and a new share for carol', () =>
    withFixtureSim('nextcloud13', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      const res = await send(f);
      const body = JSON.parse(res.text) as { ocs: { data: { token: string } } };
      assert.match(body.ocs.data.token, /^[A-Za-z0-9]{15}$/);
      const expected = structuredClone(f.response);
      (expected.body as { ocs: { data: { token: string } } }).ocs.data.token = body.ocs.data.token;
      assertResponse(res, expected);
      const reshare = sim.state.shares.get(43)!;
      assert.equal(reshare.shareWith, 'carol@third.example.net');
      assert.equal(reshare.reshareRemoteId, '7');
      assert.equal(reshare.permissions, 17);
    }));
  test('owncloud10: v1 path → statuscode 100 with the token pair', () =>
    withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      const res = await send(f, { path: '/ocs/v1.php/cloud/shares/42/reshare' });
      const expected = structuredClone(alternate(f, 'v1 path'));
      const token = (JSON.parse(res.text) as { ocs: { data: { token: string } } }).ocs.data.token;
      (expected.body as { ocs: { data: { token: string } } }).ocs.data.token = token;
      assertResponse(res, expected);
    }));
  test('nextcloud13: sharing back to the owner → 403; unknown id → 404; no share bit → 400', () =>
    withFixtureSim('nextcloud13', OC1, async ({ sim, send }) => {
      const body = f.request.body as Record<string, string>;
      assertResponse(await send(f), alternate(f, 'unknown id'));
      seedOwnerShare42(sim, 15);
      assertResponse(await send(f), alternate(f, 'no share permission'));
      sim.state.shares.get(42)!.permissions = 31;
      assertResponse(
        await send(f, { body: { ...body, shareWith: 'alice@oc1.example.com' } }),
        alternate(f, 'back to the owner'),
      );
    }));
});

describe('legacy-permissions.json / legacy-revoke.json / legacy-move.json', () => {
  const perms = loadFixture('legacy-permissions.json');
  const revoke = loadFixture('legacy-revoke.json');
  const move = loadFixture('legacy-move.json');
  test('nextcloud13: permissions update → 200 and the share has 19', () =>
    withFixtureSim('nextcloud13', OC1, async ({ sim, send }) => {
      const share = seedOwnerShare42(sim);
      assertResponse(await send(perms), perms.response);
      assert.equal(share.permissions, 19);
    }));
  test('nextcloud-ocm refuses (provider: "Updating reshares not allowed") → 400', () =>
    withFixtureSim('nextcloud-ocm', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      assertResponse(await send(perms), alternate(perms, 'NC >= 14'));
    }));
  test('owncloud10: not a federated re-share → 400; a re-share is masked to r|u|c|s', () =>
    withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      const share = seedOwnerShare42(sim);
      assertResponse(await send(perms), alternate(perms, 'invalid token'));
      share.reshareRemoteId = '7';
      // ownCloud's success envelope carries message null where Nextcloud's fixture says "OK".
      const ocSuccess = {
        ...perms.response,
        body: { ocs: { meta: { status: 'ok', statuscode: 200, message: null }, data: [] } },
      };
      assertResponse(
        await send(perms, { body: { token: 'Xy9zA1bC2dE3fG4', permissions: '31' } }),
        ocSuccess,
      );
      assert.equal(share.permissions, 23);
    }));
  test('nextcloud13: revoke deletes the re-share; a bad token → 400', () =>
    withFixtureSim('nextcloud13', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      assertResponse(
        await send(revoke, { body: { token: 'nope' } }),
        alternate(revoke, 'bad token'),
      );
      assertResponse(await send(revoke), revoke.response);
      assert.equal(sim.outgoingShares().length, 0);
    }));
  test('owncloud9 (9.0) has no revoke route', () =>
    withFixtureSim('owncloud9', OC1, async ({ send }) => {
      const res = await send(revoke);
      assert.equal(res.status, 404);
    }));
  test('nextcloud13: move re-points the received share', () =>
    withFixtureSim('nextcloud13', NC, async ({ sim, send }) => {
      assertResponse(await send(move), alternate(move, 'no matching share'));
      const r = seedReceived42(sim);
      assertResponse(await send(move), move.response);
      assert.deepEqual(
        [r.remote, r.owner, r.remoteId],
        ['https://new.example.com', 'alice', '420'],
      );
    }));
  test('nextcloud13: move with federation disabled → 503; ownCloud has no move', async () => {
    await withFixtureSim(
      'nextcloud13',
      NC,
      async ({ send }) => assertResponse(await send(move), alternate(move, 'disabled')),
      {
        incomingEnabled: false,
      },
    );
    await withFixtureSim('owncloud10', NC, async ({ send }) =>
      assert.equal((await send(move)).status, 404),
    );
  });
});
