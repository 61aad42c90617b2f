/** Each legacy flavour answers the OCS createShare fixtures exactly as the fixtures say. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alternate, loadFixture } from './fixture-replay.ts';
import { assertResponse, NC, withFixtureSim } from './legacy-test-kit.ts';

describe('legacy-create-share-v1-xml.json', () => {
  const f = loadFixture('legacy-create-share-v1-xml.json');
  for (const flavour of ['owncloud9', 'owncloud10'] as const) {
    test(`${flavour}: v1 without format answers the exact XML envelope`, () =>
      withFixtureSim(flavour, NC, async ({ sim, send }) => {
        assertResponse(await send(f), f.response);
        assert.equal(sim.receivedShares('bob')[0]?.remoteId, '42');
        assert.equal(sim.receivedShares('bob')[0]?.via, 'ocs-v1');
      }));
  }
  test('owncloud9: same request with ?format=json', () =>
    withFixtureSim('owncloud9', NC, async ({ send }) => {
      assertResponse(await send(f, { search: '?format=json' }), alternate(f, 'format=json'));
    }));
});

describe('legacy-create-share-v2.json', () => {
  const f = loadFixture('legacy-create-share-v2.json');
  for (const [flavour, v] of [
    ['nextcloud13', undefined],
    ['nextcloud-ocm', 14],
    ['nextcloud-ocm', 30],
  ] as const) {
    test(`${flavour}${v ?? ''}: v2 createShare with every field → 200 "OK"`, () =>
      withFixtureSim(
        flavour,
        NC,
        async ({ sim, send }) => {
          assertResponse(await send(f), f.response);
          const r = sim.receivedShares('bob')[0]!;
          assert.equal(r.token, 'Xy9zA1bC2dE3fG4');
          assert.equal(r.ownerFederatedId, 'alice@oc1.example.com');
          // Nextcloud ≥ 14 stores the remote from ownerFederatedId with a trailing slash.
          assert.equal(
            r.remote,
            flavour === 'nextcloud13' ? 'https://oc1.example.com/' : 'oc1.example.com/',
          );
        },
        { nextcloudVersion: v },
      ));
  }
  test('nextcloud-ocm 14 reads $_POST only: the same fields as JSON are "missing"', () =>
    withFixtureSim(
      'nextcloud-ocm',
      NC,
      async ({ send }) => {
        const json = {
          ...f,
          request: {
            ...f.request,
            bodyEncoding: 'application/json',
            headers: { 'Content-Type': 'application/json' },
          },
        };
        const res = await send(json);
        assert.equal(res.status, 400);
        assert.match(res.text, /missing parameter/);
      },
      { nextcloudVersion: 14 },
    ));
});

describe('legacy-create-share-error.json', () => {
  const f = loadFixture('legacy-create-share-error.json');
  const body = f.request.body as Record<string, string>;
  test('nextcloud13: unknown user on v2 → HTTP 400 "User does not exists"', () =>
    withFixtureSim('nextcloud13', NC, async ({ send }) =>
      assertResponse(await send(f), f.response),
    ));
  test('owncloud9: same call on /ocs/v1.php → HTTP 200 with statuscode 400', () =>
    withFixtureSim('owncloud9', NC, async ({ send }) =>
      assertResponse(
        await send(f, { path: '/ocs/v1.php/cloud/shares' }),
        alternate(f, '/ocs/v1.php'),
      ),
    ));
  test('nextcloud13: non-numeric remoteId is cast to 0 → missing parameter', () =>
    withFixtureSim('nextcloud13', NC, async ({ send }) =>
      assertResponse(
        await send(f, { body: { ...body, shareWith: 'bob', remoteId: 'abc' } }),
        alternate(f, 'non-numeric'),
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
  test('nextcloud13: name with a slash → invalid mountpoint', () =>
    withFixtureSim('nextcloud13', NC, async ({ send }) =>
      assertResponse(
        await send(f, { body: { ...body, shareWith: 'bob', name: 'a/b' } }),
        alternate(f, 'invalid chars'),
      ),
    ));
  test('nextcloud13: storage failure → 500 naming the remote', () =>
    withFixtureSim(
      'nextcloud13',
      NC,
      async ({ send }) =>
        assertResponse(
          await send(f, { body: { ...body, shareWith: 'bob' } }),
          alternate(f, 'storage'),
        ),
      {
        storageFailure: true,
      },
    ));
  test('owncloud10 words it differently: "User does not exist", "Required parameters are missing"', () =>
    withFixtureSim('owncloud10', NC, async ({ send }) => {
      assert.match((await send(f)).text, /"User does not exist"/);
      assert.match(
        (await send(f, { body: { ...body, shareWith: 'bob', remoteId: 'x' } })).text,
        /Required parameters are missing: remoteId/,
      );
      assert.match(
        (await send(f, { body: { ...body, shareWith: 'bob', token: 'x'.repeat(129) } })).text,
        /Token too long/,
      );
    }));
});
