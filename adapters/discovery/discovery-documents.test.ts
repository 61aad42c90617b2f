import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseOcsProvider, parseStatusPhp } from '../../gateway/core/dialects/ocs-common/index.ts';
import type { JsonValue } from '../../gateway/core/model/json-value.ts';
import type { PeerReference } from '../../gateway/ports/peer-discovery.ts';
import { maxAgeSeconds } from './cache-control.ts';
import { discoverySchemes, schemePlan } from './discovery-plan.ts';
import { publicJwks } from './fetch-peer-jwks.ts';
import { normaliseLegacyEvidence } from './normalise-legacy-document.ts';
import { normaliseOcmDocument, ocmDialectOfApiVersion } from './normalise-ocm-document.ts';

interface Fixture {
  response: { body: JsonValue };
  alternateResponses?: { body: JsonValue }[];
}
function fixture(name: string): Fixture {
  const url = new URL(`../../test/sim/fixtures/legacy/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Fixture;
}

const root: PeerReference = {
  key: 'oc1.example.com',
  host: 'oc1.example.com',
  port: undefined,
  path: '',
  scheme: undefined,
};
const sub: PeerReference = {
  ...root,
  key: 'nc.example.org/nextcloud',
  host: 'nc.example.org',
  path: '/nextcloud',
};

describe('discovery plan', () => {
  test('order: root well-known, then below the base path ocm-provider, ocm-provider/, ocs-provider/, status.php', () => {
    assert.deepEqual(
      schemePlan(sub, 'https').steps.map((s) => s.url),
      [
        'https://nc.example.org/.well-known/ocm',
        'https://nc.example.org/nextcloud/ocm-provider',
        'https://nc.example.org/nextcloud/ocm-provider/',
        'https://nc.example.org/nextcloud/ocs-provider/',
        'https://nc.example.org/nextcloud/status.php',
      ],
    );
  });

  test('https first; http only when allowed; an explicit scheme is honoured when allowed', () => {
    assert.deepEqual(discoverySchemes(root, false), ['https']);
    assert.deepEqual(discoverySchemes(root, true), ['https', 'http']);
    assert.deepEqual(discoverySchemes({ ...root, scheme: 'http' }, false), ['https']);
    assert.deepEqual(discoverySchemes({ ...root, scheme: 'http' }, true), ['http']);
    assert.deepEqual(discoverySchemes({ ...root, scheme: 'https' }, true), ['https']);
  });
});

describe('Cache-Control', () => {
  test('max-age, the smallest of several, no-store / no-cache as 0, junk ignored', () => {
    assert.equal(maxAgeSeconds('public, max-age=300'), 300);
    assert.equal(maxAgeSeconds(['max-age=600', 'max-age=60']), 60);
    assert.equal(maxAgeSeconds('max-age="120"'), 120);
    assert.equal(maxAgeSeconds('no-store'), 0);
    assert.equal(maxAgeSeconds('private, no-cache'), 0);
    assert.equal(maxAgeSeconds('max-age=-5'), undefined);
    assert.equal(maxAgeSeconds('s-maxage=10'), undefined);
    assert.equal(maxAgeSeconds(undefined), undefined);
  });
});

describe('apiVersion → dialect', () => {
  test('every historical spelling', () => {
    assert.equal(ocmDialectOfApiVersion('1.0-proposal1'), 'ocm-proposal1');
    assert.equal(ocmDialectOfApiVersion('1.0.0'), 'ocm-1.0');
    assert.equal(ocmDialectOfApiVersion('1.1.0'), 'ocm-1.1');
    assert.equal(ocmDialectOfApiVersion('1.2.2'), 'ocm-1.2');
    assert.equal(ocmDialectOfApiVersion('1.3.0'), 'ocm-1.3');
    assert.equal(ocmDialectOfApiVersion('1.4.0'), 'ocm-1.3');
    assert.equal(ocmDialectOfApiVersion('2.0.0'), undefined);
    assert.equal(ocmDialectOfApiVersion(''), undefined);
  });
});

describe('OCM documents (legacy fixtures)', () => {
  test('ownCloud 10: the shareTypes array is read as resource types', () => {
    const url = 'https://oc1.example.com/ocm-provider/';
    const result = normaliseOcmDocument(
      fixture('discovery-ocm-provider-owncloud10').response.body,
      {
        peer: root,
        baseUrl: 'https://oc1.example.com',
        documentUrl: url,
        mustDescribeBase: false,
      },
    );
    assert.ok(result.kind === 'ok');
    const c = result.capabilities;
    assert.deepEqual(c.dialects, ['ocm-proposal1']);
    assert.equal(c.endPoint, 'https://oc1.example.com/index.php/apps/federatedfilesharing');
    assert.equal(c.webdavPath, '/public.php/webdav/');
    assert.equal(c.webdavUrl, 'https://oc1.example.com/public.php/webdav/');
    assert.equal(c.resourceTypes[0]?.name, 'file');
    assert.equal(c.sources.endPoint, url);
    assert.equal(c.sources.webdavPath, url);
  });

  test('Nextcloud 31: apiVersion 1.1.0, cavage publicKey, capability spellings normalised', () => {
    const url = 'https://nc.example.org/nextcloud/ocm-provider/';
    const result = normaliseOcmDocument(
      fixture('discovery-ocm-provider-nextcloud31').response.body,
      {
        peer: sub,
        baseUrl: 'https://nc.example.org/nextcloud',
        documentUrl: url,
        mustDescribeBase: false,
      },
    );
    const c = result.kind === 'ok' ? result.capabilities : assert.fail(JSON.stringify(result));
    assert.deepEqual(c.dialects, ['ocm-1.1']);
    assert.equal(c.provider, 'Nextcloud 31.0.0.18');
    assert.equal(c.keys.cavage?.keyId, 'https://nc.example.org/nextcloud/ocm#signature');
    assert.deepEqual(c.capabilitiesRaw, ['/invite-accepted', '/notifications', '/shares']);
    assert.deepEqual(c.capabilities, ['invites', 'notifications', 'shares']);
    assert.equal(c.webdavUrl, 'https://nc.example.org/nextcloud/public.php/webdav/');
    assert.equal(c.sources['keys.cavage'], url);
  });

  test('1.2-era spellings: criteria and pre-1.2 capabilities become I-D-05 names; publicKeys kept', () => {
    const result = normaliseOcmDocument(
      {
        enabled: true,
        apiVersion: '1.2.0',
        endPoint: '/ocm/',
        resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: 'dav/' } }],
        capabilities: ['/mfa-capable', 'receive-code', 'http-sig'],
        criteria: ['http-request-signatures', 'token-exchange', 'invite'],
        publicKeys: [
          { keyId: 'https://p.example/ocm#k1', publicKeyPem: 'PEM', algorithm: 'ed25519' },
        ],
        tokenEndPoint: 'https://p.example/ocm/token',
        inviteAcceptDialog: '/index.php/apps/contacts/ocm-invites',
      },
      {
        peer: root,
        baseUrl: 'https://p.example',
        documentUrl: 'https://p.example/.well-known/ocm',
        mustDescribeBase: false,
      },
    );
    const c = result.kind === 'ok' ? result.capabilities : assert.fail(JSON.stringify(result));
    assert.equal(c.endPoint, 'https://p.example/ocm', 'relative endPoint resolved, slash dropped');
    assert.deepEqual(c.capabilities, ['enforce-mfa', 'exchange-token', 'http-sig']);
    assert.deepEqual(c.criteria, ['must-use-http-sig', 'must-exchange-token', 'must-invite']);
    assert.equal(c.keys.publicKeys[0]?.algorithm, 'ed25519');
    assert.equal(c.tokenEndPoint, 'https://p.example/ocm/token');
    assert.equal(c.inviteAcceptDialog, '/index.php/apps/contacts/ocm-invites');
    assert.equal(c.webdavUrl, 'https://p.example/dav/');
  });

  test('enabled:false is "disabled", not invalid; junk is invalid; a root document of another installation is foreign', () => {
    const context = {
      peer: sub,
      baseUrl: 'https://nc.example.org/nextcloud',
      documentUrl: 'https://nc.example.org/.well-known/ocm',
      mustDescribeBase: true,
    };
    assert.equal(normaliseOcmDocument({ enabled: false }, context).kind, 'disabled');
    assert.equal(normaliseOcmDocument(['x'], context).kind, 'invalid');
    assert.equal(normaliseOcmDocument({ enabled: true }, context).kind, 'invalid');
    const other = normaliseOcmDocument(
      {
        enabled: true,
        apiVersion: '1.2.0',
        endPoint: 'https://nc.example.org/owncloud/ocm',
        resourceTypes: [],
      },
      context,
    );
    assert.equal(other.kind, 'foreign');
    const mine = normaliseOcmDocument(
      {
        enabled: true,
        apiVersion: '1.2.0',
        endPoint: 'https://nc.example.org/nextcloud/index.php/ocm',
        resourceTypes: [],
      },
      context,
    );
    assert.equal(mine.kind, 'ok');
  });
});

describe('legacy documents (legacy fixtures)', () => {
  test('/ocs-provider/ + status.php: v1 and v2, paths below the base, product from status', () => {
    const provider = parseOcsProvider(fixture('discovery-ocs-provider').response.body);
    const status = parseStatusPhp(fixture('discovery-status-php').response.body);
    assert.ok(provider.ok && status.ok);
    const c = normaliseLegacyEvidence({
      peer: sub,
      baseUrl: 'https://nc.example.org/nextcloud',
      provider: { url: 'https://nc.example.org/nextcloud/ocs-provider/', document: provider.value },
      status: { url: 'https://nc.example.org/nextcloud/status.php', document: status.value },
      warnings: [],
    });
    assert.deepEqual(c.dialects, ['ocs-v1', 'ocs-v2']);
    assert.equal(c.endPoint, 'https://nc.example.org/nextcloud/ocs/v2.php/cloud/shares');
    assert.equal(c.webdavUrl, 'https://nc.example.org/nextcloud/public.php/webdav/');
    assert.equal(c.provider, 'ownCloud 10.16.0');
    assert.equal(c.legacy?.version, '10.16.0.0');
    assert.equal(c.sources['legacy.sharePath'], 'https://nc.example.org/nextcloud/ocs-provider/');
    assert.equal(c.sources['legacy.version'], 'https://nc.example.org/nextcloud/status.php');
  });

  test('Pydio 8: /ocs/v2/shares is the pydio8 variant of ocs-v2', () => {
    const pydio = fixture('discovery-ocs-provider').alternateResponses?.[1]?.body;
    const provider = parseOcsProvider(pydio);
    assert.ok(provider.ok);
    const c = normaliseLegacyEvidence({
      peer: root,
      baseUrl: 'https://oc1.example.com',
      provider: { url: 'https://oc1.example.com/ocs-provider/', document: provider.value },
      warnings: [],
    });
    assert.deepEqual(c.dialects, ['ocs-v2']);
    assert.equal(c.legacy?.variant, 'pydio8');
    assert.equal(c.endPoint, 'https://oc1.example.com/ocs/v2/shares');
  });

  test('status.php alone: ownCloud 9.0 is v1 only, a Nextcloud or ownCloud ≥ 9.1 also v2', () => {
    const oc90 = parseStatusPhp(fixture('discovery-status-php').alternateResponses?.[0]?.body);
    const oc10 = parseStatusPhp(fixture('discovery-status-php').response.body);
    assert.ok(oc90.ok && oc10.ok);
    const base = { peer: root, baseUrl: 'https://oc1.example.com', warnings: [] };
    const url = 'https://oc1.example.com/status.php';
    const old = normaliseLegacyEvidence({ ...base, status: { url, document: oc90.value } });
    assert.deepEqual(old.dialects, ['ocs-v1']);
    assert.equal(old.legacy?.sharePath, '/ocs/v1.php/cloud/shares');
    assert.match(old.warnings.join(' '), /assumed/);
    const recent = normaliseLegacyEvidence({ ...base, status: { url, document: oc10.value } });
    assert.deepEqual(recent.dialects, ['ocs-v1', 'ocs-v2']);
  });
});

describe('JWKS', () => {
  test('public keys kept; private members, shared secrets and junk dropped', () => {
    const set = publicJwks({
      keys: [
        { kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1' },
        { kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'secret', kid: 'k2' },
        { kty: 'oct', k: 'secret', kid: 'k3' },
        'junk',
      ],
    });
    assert.deepEqual(
      set?.keys.map((k) => k.kid),
      ['k1'],
    );
    assert.equal(set.dropped, 3);
    assert.equal(publicJwks({ nokeys: true }), undefined);
  });
});
