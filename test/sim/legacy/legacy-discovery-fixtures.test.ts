/** Discovery, shareinfo and public WebDAV fixtures against every legacy flavour. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alternate, loadFixture } from './fixture-replay.ts';
import { assertResponse, NC, OC1, seedOwnerShare42, withFixtureSim } from './legacy-test-kit.ts';
import type { LegacyFlavour } from './legacy-flavours.ts';

const ALL: LegacyFlavour[] = ['owncloud9', 'nextcloud13', 'owncloud10', 'nextcloud-ocm'];

describe('discovery-status-php.json', () => {
  const f = loadFixture('discovery-status-php.json');
  test('owncloud10 answers the 10.16 status document', () =>
    withFixtureSim('owncloud10', OC1, async ({ send }) =>
      assertResponse(await send(f), f.response),
    ));
  test('owncloud9 answers the 9.0 status document', () =>
    withFixtureSim('owncloud9', OC1, async ({ send }) =>
      assertResponse(await send(f), alternate(f, 'ownCloud 9.0')),
    ));
  for (const flavour of ['nextcloud13', 'nextcloud-ocm'] as const) {
    test(`${flavour} reports a non-empty version and productname Nextcloud`, () =>
      withFixtureSim(flavour, OC1, async ({ send }) => {
        const doc = JSON.parse((await send(f)).text) as { version: string; productname: string };
        assert.ok(doc.version.length > 0);
        assert.equal(doc.productname, 'Nextcloud');
      }));
  }
});

describe('discovery-ocs-provider.json', () => {
  const f = loadFixture('discovery-ocs-provider.json');
  for (const flavour of ALL) {
    test(`${flavour} serves /ocs-provider/ (and /ocs-provider/index.php)`, () =>
      withFixtureSim(flavour, OC1, async ({ send }) => {
        assertResponse(await send(f), f.response);
        assertResponse(await send(f, { path: '/ocs-provider/index.php' }), f.response);
      }));
  }
});

describe('discovery-ocm-provider-nextcloud14.json', () => {
  const f = loadFixture('discovery-ocm-provider-nextcloud14.json');
  for (const v of [14, 27, 28, 30]) {
    test(`nextcloud-ocm ${v} serves the 1.0-proposal1 document with resourceTypes`, () =>
      withFixtureSim(
        'nextcloud-ocm',
        NC,
        async ({ send }) => {
          const res = await send(f);
          assertResponse(res, f.response);
          // NC 28+ serves it from a routed controller with an extra header.
          assert.equal(res.headers['x-nextcloud-ocm-providers'], v >= 28 ? 'true' : undefined);
          // PHP's json_encode escapes slashes; a byte-exact consumer must cope.
          assert.ok(
            res.text.includes('"https:\\/\\/nc.example.org\\/nextcloud\\/index.php\\/ocm"'),
          );
        },
        { nextcloudVersion: v },
      ));
  }
  test('cloud_federation_api disabled → 501', () =>
    withFixtureSim(
      'nextcloud-ocm',
      NC,
      async ({ send }) => assertResponse(await send(f), alternate(f, 'disabled')),
      {
        ocmEnabled: false,
      },
    ));
  test('ownCloud 9 and Nextcloud 13 have no /ocm-provider/', async () => {
    for (const flavour of ['owncloud9', 'nextcloud13'] as const) {
      await withFixtureSim(flavour, NC, async ({ send }) =>
        assert.equal((await send(f)).status, 404),
      );
    }
  });
});

describe('discovery-ocm-provider-owncloud10.json', () => {
  const f = loadFixture('discovery-ocm-provider-owncloud10.json');
  test('owncloud10 serves shareTypes (not resourceTypes)', () =>
    withFixtureSim('owncloud10', OC1, async ({ send }) =>
      assertResponse(await send(f), f.response),
    ));
  test('federatedfilesharing disabled → 501', () =>
    withFixtureSim(
      'owncloud10',
      OC1,
      async ({ send }) => assertResponse(await send(f), alternate(f, 'disabled')),
      {
        ocmEnabled: false,
      },
    ));
});

describe('shareinfo.json', () => {
  const f = loadFixture('shareinfo.json');
  for (const flavour of ALL) {
    test(`${flavour}: valid token → file info of the shared folder`, () =>
      withFixtureSim(flavour, OC1, async ({ sim, send }) => {
        const share = seedOwnerShare42(sim);
        const res = await send(f);
        const body = JSON.parse(res.text) as { data: Record<string, unknown>; message?: string };
        const expected = structuredClone(f.response.body) as {
          data: Record<string, unknown>;
          message?: string;
        };
        // id/parentId/mtime/size/etag are "indicative" in the fixture: take ours, check the rest.
        for (const k of ['id', 'parentId', 'mtime', 'size', 'etag']) {
          assert.equal(typeof body.data[k], typeof expected.data[k], k);
          expected.data[k] = body.data[k];
        }
        assert.equal(body.data.id, share.node.fileId);
        if (flavour !== 'owncloud10') delete expected.message; // older versions omit it
        assertResponse(res, { ...f.response, body: expected });
      }));
  }
  test('unknown token → 404; wrong password → 403; outgoing sharing disabled → 404', async () => {
    await withFixtureSim('owncloud10', OC1, async ({ send }) =>
      assertResponse(await send(f), alternate(f, 'token unknown')),
    );
    await withFixtureSim('owncloud10', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim, 31, { password: 'pw' });
      assertResponse(await send(f), alternate(f, 'wrong password'));
      assert.equal((await send(f, { body: { password: 'pw' } })).status, 200);
    });
    await withFixtureSim(
      'owncloud10',
      OC1,
      async ({ sim, send }) => {
        seedOwnerShare42(sim);
        assertResponse(await send(f), alternate(f, 'outgoing federation disabled'));
      },
      { outgoingEnabled: false },
    );
  });
});

describe('webdav-propfind.json', () => {
  const f = loadFixture('webdav-propfind.json');
  for (const flavour of ALL) {
    test(`${flavour}: PROPFIND Depth 1 with the token as Basic user`, () =>
      withFixtureSim(flavour, OC1, async ({ sim, send }) => {
        const share = seedOwnerShare42(sim);
        sim.addFile('alice', 'Project Docs/notes.txt', 'hello');
        const res = await send(f);
        assert.equal(res.status, 207);
        assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
        assert.ok(res.text.includes('<d:href>/public.php/webdav/</d:href>'));
        assert.ok(res.text.includes(`<d:getetag>&quot;${share.node.etag}&quot;</d:getetag>`));
        assert.ok(res.text.includes('<ocs:share-permissions>31</ocs:share-permissions>'));
        assert.ok(res.text.includes('<d:href>/public.php/webdav/notes.txt</d:href>'));
        assert.ok(res.text.includes('<d:getcontentlength>5</d:getcontentlength>'));
      }));
  }
  test('wrong token → 401 with a Basic challenge; Depth 0 lists only the root', () =>
    withFixtureSim('owncloud9', OC1, async ({ sim, send }) => {
      seedOwnerShare42(sim);
      sim.addFile('alice', 'Project Docs/notes.txt', 'hello');
      const bad = {
        ...f,
        request: {
          ...f.request,
          headers: { ...f.request.headers, Authorization: 'Basic d3Jvbmc6' },
        },
      };
      const denied = await send(bad);
      assert.equal(denied.status, 401);
      assert.match(denied.headers['www-authenticate'] ?? '', /^Basic /);
      const depth0 = {
        ...f,
        request: { ...f.request, headers: { ...f.request.headers, Depth: '0' } },
      };
      const res = await send(depth0);
      assert.equal(res.status, 207);
      assert.ok(!res.text.includes('notes.txt'));
    }));
});
