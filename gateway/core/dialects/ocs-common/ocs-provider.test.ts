import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CanonicalDiscovery } from '../../model/index.ts';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from '../ocs-v2/index.ts';
import { parseOcsProvider, serialiseOcsProvider } from './ocs-provider.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

interface Fixture {
  response: { body: unknown };
  alternateResponses: { when: string; body: unknown }[];
}
const fx = JSON.parse(
  readFileSync(join(FIXTURES, 'discovery-ocs-provider.json'), 'utf8'),
) as Fixture;
const [nextcloudFederation, pydio] = fx.alternateResponses;

describe('/ocs-provider/ (discovery-ocs-provider.json)', () => {
  test('ownCloud/Nextcloud document: share and webdav endpoints, every service kept', () => {
    const parsed = parseOcsProvider(JSON.stringify(fx.response.body), 'strict');
    assert.ok(parsed.ok);
    assert.equal(parsed.value.version, 2);
    assert.deepEqual(parsed.value.federatedSharing, {
      version: 1,
      share: '/ocs/v2.php/cloud/shares',
      webdav: '/public.php/webdav/',
      endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' },
    });
    assert.deepEqual(Object.keys(parsed.value.services), [
      'PRIVATE_DATA',
      'SHARING',
      'FEDERATED_SHARING',
      'ACTIVITY',
      'PROVISIONING',
    ]);
  });

  test('Nextcloud federation app extras and Pydio 8 shape', () => {
    const nc = parseOcsProvider(nextcloudFederation?.body);
    assert.ok(nc.ok);
    assert.equal(
      nc.value.federatedSharing?.endpoints['shared-secret'],
      '/ocs/v2.php/cloud/shared-secret',
    );
    const py = ocsV2Pydio8Codec.discovery.parse(pydio?.body, { mode: 'strict' });
    assert.ok(py.ok);
    assert.equal(py.value.endPoint, '/ocs/v2/shares');
    assert.deepEqual(py.value.resourceTypes[0]?.protocols, { webdav: '/ocs/v2/dav' });
  });

  test('as canonical discovery: endPoint = share path, file/webdav = webdav path, enabled', () => {
    const parsed = ocsV2Codec.discovery.parse(fx.response.body, { mode: 'strict' });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      enabled: true,
      apiVersion: '',
      endPoint: '/ocs/v2.php/cloud/shares',
      resourceTypes: [
        { name: 'file', shareTypes: ['user'], protocols: { webdav: '/public.php/webdav/' } },
      ],
      capabilities: [],
      criteria: [],
      publicKeys: [],
    });
  });

  test('missing or unusable endpoints fall back to the consumer defaults, with warnings', () => {
    const none = ocsV1Codec.discovery.parse({ version: 2, services: {} });
    assert.ok(none.ok);
    assert.equal(none.value.enabled, false);
    const odd = ocsV1Codec.discovery.parse({
      version: 2,
      services: {
        FEDERATED_SHARING: { version: 1, endpoints: { share: 'https://evil/x', webdav: '/ok' } },
      },
    });
    assert.ok(odd.ok);
    assert.equal(odd.value.endPoint, '/ocs/v1.php/cloud/shares');
    assert.deepEqual(
      odd.warnings.map((w) => w.field),
      ['services.FEDERATED_SHARING.endpoints.share', 'services.FEDERATED_SHARING.endpoints.share'],
    );
    const strict = ocsV1Codec.discovery.parse(
      { version: 2, services: { FEDERATED_SHARING: { endpoints: { share: 'https://evil/x' } } } },
      { mode: 'strict' },
    );
    assert.ok(!strict.ok);
    for (const bad of ['{', '[]', { version: 2 }, null]) {
      const r = ocsV2Codec.discovery.parse(bad);
      assert.ok(!r.ok);
    }
  });

  test('the facade document: only FEDERATED_SHARING, paths relative to the facade base', () => {
    const peer: CanonicalDiscovery = {
      enabled: true,
      apiVersion: '1.2.2',
      endPoint: 'https://peer.example/ocm',
      resourceTypes: [
        {
          name: 'file',
          shareTypes: ['user'],
          protocols: { webdav: 'https://peer.example/dav/ocm' },
        },
      ],
      capabilities: ['notifications'],
      criteria: [],
      publicKeys: [],
    };
    const out = ocsV2Codec.discovery.serialise(peer);
    assert.ok(out.ok);
    assert.deepEqual(out.value, {
      version: 2,
      services: {
        FEDERATED_SHARING: {
          version: 1,
          endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' },
        },
      },
    });
    assert.deepEqual(
      out.warnings.map((w) => w.field),
      ['endPoint', 'resourceTypes.file.protocols.webdav', 'capabilities'],
    );
    const legacyPeer = ocsV2Codec.discovery.parse(fx.response.body);
    assert.ok(legacyPeer.ok);
    const again = ocsV2Codec.discovery.serialise(legacyPeer.value);
    assert.ok(again.ok);
    assert.deepEqual(again.warnings, []);
    const reparsed = ocsV2Codec.discovery.parse(again.value);
    assert.ok(reparsed.ok);
    assert.deepEqual(reparsed.value, legacyPeer.value);
    const py = ocsV2Pydio8Codec.discovery.serialise(legacyPeer.value);
    assert.ok(py.ok);
    assert.deepEqual(py.value, {
      version: 2,
      services: {
        FEDERATED_SHARING: {
          version: 1,
          endpoints: {
            share: '/ocs/v2.php/cloud/shares',
            webdav: '/public.php/webdav/',
            shares: '/ocs/v2.php/cloud/shares',
          },
        },
      },
    });
  });

  test('paths with "-" or "_" are refused for the facade (ownCloud would ignore them)', () => {
    const r = serialiseOcsProvider({ share: '/ocs/v2.php/cloud/shares', webdav: '/public_dav/' });
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'webdav');
  });

  test('property: parsing never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.anything()), (input) => {
        parseOcsProvider(input);
        ocsV2Codec.discovery.parse(input, { mode: 'strict' });
      }),
      { numRuns: 1000 },
    );
  });
});
