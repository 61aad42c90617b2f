import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CanonicalShare } from '../../model/index.ts';
import { formatCloudId, formatServerUrl, type CloudId } from '../../address/index.ts';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from '../ocs-v2/index.ts';
import { OCS_CODEC_FAULT } from './ocs-codec.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');
const RECEIVER = 'https://nc.example.org/nextcloud/';

function fixtureBody(name: string): Record<string, string> {
  const fx = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as {
    request: { body: Record<string, string> };
  };
  return fx.request.body;
}

function fieldsOf(body: string): [string, string][] {
  return [...new URLSearchParams(body)];
}

const share: CanonicalShare = {
  providerId: '42',
  shareWith: 'bob@nc.example.org/nextcloud',
  name: 'Project Docs',
  owner: 'alice@oc1.example.com',
  ownerDisplayName: 'alice',
  sender: 'alice@oc1.example.com',
  senderDisplayName: 'alice',
  shareType: 'user',
  resourceType: 'file',
  protocols: {
    webdav: { sharedSecret: 'Xy9zA1bC2dE3fG4', permissions: [], requirements: [] },
    unknown: {},
  },
};

describe('canonical share → createShare form', () => {
  test('legacy-create-share-v2.json: the NC 14+ form, same fields in the same order', () => {
    const out = ocsV2Codec.shareCreate.serialise(share);
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(out.warnings, []);
    assert.equal(out.value.path, '/ocs/v2.php/cloud/shares');
    assert.equal(out.value.query, 'format=json');
    assert.equal(out.value.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual(
      fieldsOf(out.value.body),
      Object.entries(fixtureBody('legacy-create-share-v2.json')),
    );
  });

  test('legacy-create-share-v1-xml.json: v1 path; Pydio gets only the base six fields', () => {
    const v1 = ocsV1Codec.shareCreate.serialise(share);
    assert.ok(v1.ok);
    assert.equal(v1.value.path, '/ocs/v1.php/cloud/shares');
    const pydio = ocsV2Pydio8Codec.shareCreate.serialise(share);
    assert.ok(pydio.ok);
    assert.deepEqual(
      Object.fromEntries(fieldsOf(pydio.value.body)),
      fixtureBody('legacy-create-share-v1-xml.json'),
    );
  });

  test('fixture form → canonical → form is the identity (legacy-create-share-v2.json)', () => {
    const body = fixtureBody('legacy-create-share-v2.json');
    const parsed = ocsV2Codec.shareCreate.parse(body, { receiver: RECEIVER });
    assert.ok(parsed.ok);
    const out = ocsV2Codec.shareCreate.serialise(parsed.value);
    assert.ok(out.ok);
    assert.deepEqual(fieldsOf(out.value.body), Object.entries(body));
  });

  test('legacy.remote (the facade URL of a peer) wins over the owner host', () => {
    const out = ocsV2Codec.shareCreate.serialise({
      ...share,
      owner: 'alice@https://peer.example:8443/sub',
      sender: 'alice@peer.example:8443/sub',
      legacy: { remote: 'http://gateway.internal:9300/peers/peer.example/' },
    });
    assert.ok(out.ok);
    const fields = Object.fromEntries(fieldsOf(out.value.body));
    assert.equal(fields.remote, 'http://gateway.internal:9300/peers/peer.example/');
    assert.equal(fields.owner, 'alice');
    const derived = ocsV2Codec.shareCreate.serialise({
      ...share,
      owner: 'alice@https://peer.example:8443/sub',
    });
    assert.ok(derived.ok);
    assert.equal(
      new URLSearchParams(derived.value.body).get('remote'),
      'https://peer.example:8443/sub/',
    );
  });

  test('what OCS cannot carry is named in warnings', () => {
    const out = ocsV2Codec.shareCreate.serialise({
      ...share,
      description: 'd',
      expiration: 1,
      ownerDisplayName: 'Alice Smith',
      resourceType: 'folder',
      protocols: {
        webdav: {
          sharedSecret: 's',
          uri: 'abc',
          permissions: ['read'],
          requirements: ['must-exchange-token'],
        },
        webapp: { uri: 'https://x', permissions: ['view'] },
        unknown: { datatx: {} },
      },
      extra: { vendor: 1 },
    });
    assert.ok(out.ok);
    assert.deepEqual(
      out.warnings.map((w) => w.field),
      [
        'description',
        'expiration',
        'ownerDisplayName',
        'protocols.webdav.uri',
        'protocols.webdav.permissions',
        'protocols.webdav.requirements',
        'protocols.webapp',
        'protocols.datatx',
        'extra.vendor',
      ],
    );
  });

  test('what OCS needs and lacks is refused, naming the field', () => {
    const cases: [Partial<CanonicalShare>, string][] = [
      [{ providerId: '7f1c-uuid' }, 'providerId'],
      [{ providerId: '0' }, 'providerId'],
      [{ name: 'a/b' }, 'name'],
      [{ name: '0' }, 'name'],
      [{ shareType: 'federation' }, 'shareType'],
      [{ resourceType: 'calendar' }, 'resourceType'],
      [{ protocols: { unknown: {} } }, 'protocols.webdav'],
      [
        { protocols: { webdav: { permissions: [], requirements: [] }, unknown: {} } },
        'protocols.webdav.sharedSecret',
      ],
      [{ owner: 'alice' }, 'legacy.remote'],
      [{ shareWith: 'bob@ftp://x' }, 'shareWith'],
    ];
    for (const [patch, field] of cases) {
      const out = ocsV2Codec.shareCreate.serialise({ ...share, ...patch });
      assert.ok(!out.ok, field);
      assert.ok(
        out.issues.some((i) => i.field === field),
        `${field}: ${JSON.stringify(out.issues)}`,
      );
    }
    const pydio = ocsV2Pydio8Codec.shareCreate.serialise({
      ...share,
      protocols: {
        webdav: { sharedSecret: 'with-dash', permissions: [], requirements: [] },
        unknown: {},
      },
    });
    assert.ok(!pydio.ok);
    assert.equal(pydio.issues[0]?.field, 'protocols.webdav.sharedSecret');
  });

  test('group shares go out as 9 with a warning; long tokens warn about ownCloud 10.1', () => {
    const group = ocsV2Codec.shareCreate.serialise({ ...share, shareType: 'group' });
    assert.ok(group.ok);
    assert.equal(new URLSearchParams(group.value.body).get('shareType'), '9');
    assert.deepEqual(
      group.warnings.map((w) => w.field),
      ['shareType'],
    );
    const long = ocsV2Codec.shareCreate.serialise({
      ...share,
      protocols: {
        webdav: { sharedSecret: 'x'.repeat(129), permissions: [], requirements: [] },
        unknown: {},
      },
    });
    assert.ok(long.ok);
    assert.deepEqual(
      long.warnings.map((w) => w.field),
      ['protocols.webdav.sharedSecret'],
    );
  });

  const uid = fc
    .stringMatching(/^[A-Za-z0-9._@' -]{1,16}$/)
    .filter((s) => s.trim() === s && s !== '0');
  const host = fc.oneof(
    fc.domain().map((d) => d.toLowerCase()),
    fc.ipV6().map((ip) => `[${ip}]`),
  );
  const server = fc.record({
    scheme: fc.constantFrom('https' as const, 'http' as const),
    host,
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc
      .stringMatching(/^(\/[A-Za-z0-9_-]{1,8}){0,2}$/)
      .filter((p) => !p.includes('/index.php')),
  });
  const cloudId = fc.record({
    user: uid,
    server: server.map((s) => ({ ...s, schemeExplicit: s.scheme === 'http' })),
  });
  const legacyShare = fc
    .record({
      id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      recipient: uid,
      name: fc
        .string({ minLength: 1 })
        .filter(
          (n) => n.trim() !== '' && !['0', '.', '..'].includes(n.trim()) && !/[/\\\p{Cc}]/u.test(n),
        ),
      owner: cloudId,
      sender: fc.option(cloudId, { nil: undefined }),
      token: fc.string({ minLength: 1, maxLength: 128 }).filter((t) => t !== '0'),
      shareType: fc.constantFrom('user' as const, 'group' as const),
    })
    .map(({ id, recipient, name, owner, sender, token, shareType }): CanonicalShare => {
      const by: CloudId = sender ?? owner;
      return {
        providerId: String(id),
        shareWith: `${recipient}@nc.example.org/nextcloud`,
        name,
        owner: formatCloudId(owner),
        ownerDisplayName: owner.user,
        sender: formatCloudId(by),
        senderDisplayName: by.user,
        shareType,
        resourceType: 'file',
        protocols: {
          webdav: { sharedSecret: token, permissions: [], requirements: [] },
          unknown: {},
        },
        legacy: {
          remoteId: id,
          remote: formatServerUrl(owner.server),
          ownerUid: owner.user,
          sharedByUid: by.user,
          shareTypeNumber: shareType === 'user' ? 6 : 9,
        },
      };
    });

  test('property: canonical → form → canonical keeps every field the legacy form carries', () => {
    fc.assert(
      fc.property(legacyShare, fc.constantFrom(ocsV1Codec, ocsV2Codec), (original, codec) => {
        const out = codec.shareCreate.serialise(original);
        assert.ok(out.ok, JSON.stringify(out));
        const back = codec.shareCreate.parse(out.value.body, {
          mode: 'strict',
          receiver: RECEIVER,
        });
        assert.ok(back.ok, JSON.stringify(back));
        assert.deepEqual(back.value, original);
      }),
      { numRuns: 500 },
    );
  });

  test('property: serialising any well-typed share never hits a codec fault', () => {
    const anyShare = fc.record({
      providerId: fc.string(),
      shareWith: fc.string(),
      name: fc.string(),
      owner: fc.string(),
      sender: fc.string(),
      shareType: fc.constantFrom('user' as const, 'group' as const, 'federation' as const),
      resourceType: fc.string(),
      protocols: fc.record({
        webdav: fc.option(
          fc.record({
            sharedSecret: fc.option(fc.string(), { nil: undefined }),
            permissions: fc.array(
              fc.constantFrom('read' as const, 'write' as const, 'share' as const),
            ),
            requirements: fc.array(fc.string()),
          }),
          { nil: undefined },
        ),
        unknown: fc.constant({}),
      }),
      legacy: fc.option(
        fc.record(
          { remoteId: fc.integer(), remote: fc.string(), ownerUid: fc.string() },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(anyShare, (s) => {
        for (const codec of [ocsV1Codec, ocsV2Codec, ocsV2Pydio8Codec]) {
          const out = codec.shareCreate.serialise(s);
          if (!out.ok)
            assert.ok(out.issues.every((i) => i.message !== OCS_CODEC_FAULT && i.field !== ''));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
