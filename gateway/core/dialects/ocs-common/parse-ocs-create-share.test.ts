import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from '../ocs-v2/index.ts';
import { ocsFormatFromQuery } from '../ocs-envelope/index.ts';
import { ocsCreateShareErrorFor, OCS_ERRORS } from './ocs-error-messages.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

interface FixtureResponse {
  when?: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
interface Fixture {
  request: {
    url: string;
    path: string;
    query?: Record<string, string>;
    body: Record<string, string>;
  };
  response: FixtureResponse;
  alternateResponses?: FixtureResponse[];
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
}

function formOf(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

const RECEIVER = 'https://nc.example.org/nextcloud/';

function expectResponse(
  response: FixtureResponse,
  built: { status: number; contentType: string; body: string },
) {
  assert.equal(built.status, response.status);
  assert.equal(built.contentType, response.headers['Content-Type']);
  if (typeof response.body === 'string') assert.equal(built.body, response.body);
  else assert.deepEqual(JSON.parse(built.body), response.body);
}

describe('createShare form → canonical share', () => {
  test('legacy-create-share-v2.json: NC 14+ generation (federated ids + shareType), answered 200/OK', () => {
    const fx = fixture('legacy-create-share-v2.json');
    const parsed = ocsV2Codec.shareCreate.parse(formOf(fx.request.body), {
      mode: 'strict',
      receiver: RECEIVER,
    });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.warnings, []);
    assert.deepEqual(parsed.value, {
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
      legacy: {
        remoteId: 42,
        remote: 'https://oc1.example.com/',
        ownerUid: 'alice',
        sharedByUid: 'alice',
        shareTypeNumber: 6,
      },
    });
    const format = ocsFormatFromQuery(fx.request.query?.format);
    const answer = ocsV2Codec.shareCreated.serialise({}, { format });
    assert.ok(answer.ok);
    expectResponse(fx.response, answer.value);
  });

  test('legacy-create-share-v1-xml.json: base six fields (OC 8.2/9.0), no format → XML 100', () => {
    const fx = fixture('legacy-create-share-v1-xml.json');
    const parsed = ocsV1Codec.shareCreate.parse(fx.request.body, { mode: 'strict' });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const share = parsed.value;
    assert.equal(share.owner, 'alice@oc1.example.com', 'built as owner@<remote host>');
    assert.equal(share.sender, share.owner, 'no sharedBy: the owner sent it');
    assert.equal(share.shareWith, 'bob', 'no receiver given: the bare uid stays');
    assert.equal(share.legacy?.shareTypeNumber, undefined);
    const answer = ocsV1Codec.shareCreated.serialise({}, { format: ocsFormatFromQuery(undefined) });
    assert.ok(answer.ok);
    expectResponse(fx.response, answer.value);
    const json = ocsV1Codec.shareCreated.serialise({}, { format: 'json' });
    assert.ok(json.ok);
    const alternate = fx.alternateResponses?.[0];
    assert.ok(alternate);
    expectResponse(alternate, json.value);
  });

  test('OC 9.1 / NC 10–13 generation: federated ids without shareType; re-share by another local user', () => {
    const parsed = ocsV2Codec.shareCreate.parse(
      {
        shareWith: 'bob',
        token: 't0k3n',
        name: 'Docs',
        remoteId: '7',
        owner: 'alice',
        ownerFederatedId: 'alice@oc1.example.com',
        sharedBy: 'carol',
        sharedByFederatedId: 'carol@third.example.net',
        remote: 'https://oc1.example.com/',
      },
      { mode: 'strict' },
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.value.sender, 'carol@third.example.net');
    assert.equal(parsed.value.senderDisplayName, 'carol');
    assert.equal(parsed.value.shareType, 'user');
  });

  test('ownCloud 10.1 bug: bare-uid sharedByFederatedId is a lenient-only quirk', () => {
    const body = {
      ...fixture('legacy-create-share-v2.json').request.body,
      sharedByFederatedId: 'alice',
    };
    delete (body as Record<string, string>).shareType;
    const lenient = ocsV2Codec.shareCreate.parse(body);
    assert.ok(lenient.ok);
    assert.equal(lenient.value.sender, 'alice@oc1.example.com');
    assert.deepEqual(
      lenient.warnings.map((w) => w.field),
      ['sharedByFederatedId'],
    );
    const reshared = ocsV2Codec.shareCreate.parse({
      ...body,
      sharedBy: 'dave',
      sharedByFederatedId: 'dave',
    });
    assert.ok(reshared.ok);
    assert.equal(reshared.value.sender, 'dave@oc1.example.com');
    const strict = ocsV2Codec.shareCreate.parse(body, { mode: 'strict' });
    assert.ok(!strict.ok);
    assert.equal(strict.issues[0]?.field, 'sharedByFederatedId');
    assert.match(strict.issues[0].message, /bare uid/);
  });

  test('http:// remotes and sub-paths survive into owner; group share type 9', () => {
    const parsed = ocsV2Codec.shareCreate.parse({
      shareWith: 'bob',
      token: 'x',
      name: 'n',
      remoteId: '3',
      owner: 'Alice',
      remote: 'HTTP://Lab.Example:8080/owncloud/index.php',
      shareType: '9',
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.owner, 'Alice@http://lab.example:8080/owncloud');
    assert.equal(parsed.value.legacy?.remote, 'http://lab.example:8080/owncloud/');
    assert.equal(parsed.value.shareType, 'group');
  });

  test('legacy-create-share-error.json: each refusal names the field; the documented answer is produced', () => {
    const fx = fixture('legacy-create-share-error.json');
    const base = fx.request.body;
    const alt = (when: string) => {
      const found = fx.alternateResponses?.find((a) => a.when?.startsWith(when) === true);
      assert.ok(found, when);
      return found;
    };
    const cases: [Record<string, string>, string, FixtureResponse][] = [
      [{ ...base, remoteId: 'abc' }, 'remoteId', alt('remoteId non-numeric')],
      [{ ...base, token: '' }, 'token', alt('remoteId non-numeric')],
      [{ ...base, remoteId: '0' }, 'remoteId', alt('remoteId non-numeric')],
      [{ ...base, name: 'a/b' }, 'name', alt('name contains')],
    ];
    for (const [body, field, expected] of cases) {
      const parsed = ocsV2Codec.shareCreate.parse(body, { mode: 'strict' });
      assert.ok(!parsed.ok, field);
      assert.equal(parsed.issues[0]?.field, field);
      const answer = ocsCreateShareErrorFor(parsed.issues);
      const built = ocsV2Codec.error.serialise(
        { message: answer.message ?? '', validationErrors: [] },
        { format: 'json', statuscode: answer.statuscode },
      );
      assert.ok(built.ok);
      expectResponse(expected, built.value);
    }
    const unknownUser = ocsV2Codec.error.serialise(
      { message: OCS_ERRORS.userDoesNotExist.message, validationErrors: [] },
      { format: 'json', statuscode: OCS_ERRORS.userDoesNotExist.statuscode },
    );
    assert.ok(unknownUser.ok);
    expectResponse(fx.response, unknownUser.value);
    const v1 = ocsV1Codec.error.serialise(
      { message: OCS_ERRORS.userDoesNotExist.message, validationErrors: [] },
      { format: 'json', statuscode: 400 },
    );
    assert.ok(v1.ok);
    expectResponse(alt('same call on /ocs/v1.php'), v1.value);
  });

  test('legacy-create-share-error.json: the answers parse back into canonical errors with their status', () => {
    const fx = fixture('legacy-create-share-error.json');
    for (const response of [fx.response, ...(fx.alternateResponses ?? [])]) {
      const parsed = ocsV2Codec.error.parse({ status: response.status, body: response.body });
      assert.ok(parsed.ok, response.when);
      const body = response.body as { ocs: { meta: { statuscode: number; message: string } } };
      assert.equal(parsed.value.message, body.ocs.meta.message);
      assert.equal(parsed.value.legacy?.statuscode, body.ocs.meta.statuscode);
      assert.equal(parsed.value.legacy.httpStatus, response.status);
      assert.equal(
        ocsV2Codec.shareCreated.parse({ status: response.status, body: response.body }).ok,
        false,
      );
    }
  });

  test('non-numeric remoteId is accepted leniently as providerId without a numeric alias', () => {
    const body = { ...fixture('legacy-create-share-v2.json').request.body, remoteId: 'abc123' };
    const parsed = ocsV2Codec.shareCreate.parse(body);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.providerId, 'abc123');
    assert.equal(parsed.value.legacy?.remoteId, undefined);
  });

  test('pydio8-create-share.json: Pydio 8 receives the base six fields and answers data {id}', () => {
    const fx = fixture('pydio8-create-share.json');
    const parsed = ocsV2Pydio8Codec.shareCreate.parse(formOf(fx.request.body), { mode: 'strict' });
    assert.ok(parsed.ok);
    const out = ocsV2Pydio8Codec.shareCreate.serialise(parsed.value);
    assert.ok(out.ok);
    assert.equal(
      `${out.value.path}?${out.value.query}`,
      `${new URL(fx.request.url).pathname}?format=json`,
    );
    assert.deepEqual(Object.fromEntries(new URLSearchParams(out.value.body)), fx.request.body);
    const created = ocsV2Pydio8Codec.shareCreated.parse({ status: 200, body: fx.response.body });
    assert.ok(created.ok);
    assert.deepEqual(created.value, { extra: { id: 7 } });
    const failed = ocsV2Pydio8Codec.shareCreated.parse({
      status: 200,
      body: fx.alternateResponses?.[0]?.body,
    });
    assert.ok(!failed.ok);
    assert.match(failed.issues[0]?.message ?? '', /500/);
  });

  test('a 2xx answer without OCS envelope counts as created only in lenient mode (NC ≥ 14 rule)', () => {
    assert.equal(ocsV2Codec.shareCreated.parse({ status: 201, body: '' }).ok, true);
    assert.equal(
      ocsV2Codec.shareCreated.parse({ status: 201, body: '' }, { mode: 'strict' }).ok,
      false,
    );
    assert.equal(ocsV2Codec.shareCreated.parse({ status: 502, body: '<html/>' }).ok, false);
  });

  test('property: no input makes createShare parsing throw, in either mode', () => {
    const field = fc.constantFrom(
      'shareWith',
      'token',
      'name',
      'remoteId',
      'owner',
      'remote',
      'ownerFederatedId',
      'sharedBy',
      'sharedByFederatedId',
      'shareType',
      'format',
      '__proto__',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.dictionary(field, fc.string({ unit: 'binary' })),
          fc.anything(),
        ),
        fc.constantFrom('strict' as const, 'lenient' as const),
        (input, mode) => {
          for (const codec of [ocsV1Codec, ocsV2Codec, ocsV2Pydio8Codec]) {
            const r = codec.shareCreate.parse(input, { mode, receiver: RECEIVER });
            assert.ok(
              r.ok ||
                r.issues.every(
                  (i) => i.message !== 'could not be processed (internal codec fault)',
                ),
            );
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
