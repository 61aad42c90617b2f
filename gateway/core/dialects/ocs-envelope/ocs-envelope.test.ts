import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { JsonValue } from '../../model/index.ts';
import { buildOcsResponse, parseOcsEnvelope, type OcsFormat } from './ocs-envelope.ts';
import { ocsHttpStatus, type OcsVersion } from './ocs-status.ts';

// CI clones the repo with shared/ beside it: <repoRoot>/../shared/reference/legacy-fixtures.
const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

interface FixtureResponse {
  when?: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
interface Fixture {
  request: { path: string };
  response: FixtureResponse;
  alternateResponses?: FixtureResponse[];
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
}

function versionOf(path: string, when: string | undefined): OcsVersion {
  if (when?.includes('v1') === true) return 1;
  return path.includes('/v1.php/') ? 1 : 2;
}

describe('OCS envelope against every legacy-*.json fixture', () => {
  const names = readdirSync(FIXTURES).filter((n) => n.startsWith('legacy-'));
  test('the fixture directory is found from the repo root', () => {
    assert.ok(names.length >= 9, `found ${names.length} legacy fixtures in ${FIXTURES}`);
  });
  for (const name of names) {
    const fx = fixture(name);
    for (const response of [fx.response, ...(fx.alternateResponses ?? [])]) {
      test(`${name}: ${response.when ?? 'main response'} is parsed and reproduced`, () => {
        const format: OcsFormat = typeof response.body === 'string' ? 'xml' : 'json';
        const parsed = parseOcsEnvelope(response.body, { mode: 'strict' });
        assert.ok(parsed.ok, JSON.stringify(parsed));
        const { meta, data } = parsed.value;
        const built = buildOcsResponse({
          version: versionOf(fx.request.path, response.when),
          format,
          statuscode: meta.statuscode,
          message: meta.message,
          data,
        });
        assert.ok(built.ok);
        assert.equal(built.value.status, response.status);
        assert.equal(built.value.contentType, response.headers['Content-Type']);
        if (format === 'xml') assert.equal(built.value.body, response.body);
        else assert.deepEqual(JSON.parse(built.value.body), response.body);
      });
    }
  }
});

describe('OCS envelope rules', () => {
  test('legacy-create-share-v1-xml.json: v1 default answer is byte-exact XML with <message/> and <data/>', () => {
    const fx = fixture('legacy-create-share-v1-xml.json');
    const built = buildOcsResponse({ version: 1, format: 'xml', statuscode: 100 });
    assert.ok(built.ok);
    assert.equal(built.value.body, fx.response.body);
    const parsed = parseOcsEnvelope(fx.response.body);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      meta: { status: 'ok', statuscode: 100, message: null },
      data: [],
    });
  });

  test('success codes are rendered per version; v2 default message is OK, v1 null', () => {
    const v1 = buildOcsResponse({ version: 1, format: 'json', statuscode: 200 });
    const v2 = buildOcsResponse({ version: 2, format: 'json', statuscode: 100 });
    assert.ok(v1.ok && v2.ok);
    assert.deepEqual(JSON.parse(v1.value.body), {
      ocs: { meta: { status: 'ok', statuscode: 100, message: null }, data: [] },
    });
    assert.deepEqual(JSON.parse(v2.value.body), {
      ocs: { meta: { status: 'ok', statuscode: 200, message: 'OK' }, data: [] },
    });
  });

  test('HTTP status: v1 always 200 (997 → 401); v2 uses statuscode, unknown → 400, 996/999 → 500, 998 → 404', () => {
    const table: [OcsVersion, number, number][] = [
      [1, 100, 200],
      [1, 404, 200],
      [1, 503, 200],
      [1, 997, 401],
      [2, 200, 200],
      [2, 100, 200],
      [2, 410, 410],
      [2, 503, 503],
      [2, 102, 400],
      [2, 996, 500],
      [2, 999, 500],
      [2, 998, 404],
      [2, 997, 401],
      [2, 42, 400],
      [2, 600, 400],
    ];
    for (const [version, code, http] of table) {
      assert.equal(ocsHttpStatus(version, code), http, `v${version} ${code}`);
    }
  });

  test('totalitems / itemsperpage are carried when set, in JSON and XML', () => {
    for (const format of ['json', 'xml'] as const) {
      const built = buildOcsResponse({
        version: 2,
        format,
        statuscode: 200,
        totalitems: 3,
        itemsperpage: 10,
      });
      assert.ok(built.ok);
      const parsed = parseOcsEnvelope(built.value.body);
      assert.ok(parsed.ok);
      assert.equal(String(parsed.value.meta.totalitems), '3');
      assert.equal(String(parsed.value.meta.itemsperpage), '10');
    }
  });

  test('XML data: objects, <element> lists, escaping, booleans', () => {
    const built = buildOcsResponse({
      version: 2,
      format: 'xml',
      statuscode: 200,
      data: { token: 'a&b<c>', remoteId: 43, list: ['x', 'y'], yes: true, no: false, none: null },
    });
    assert.ok(built.ok);
    assert.match(built.value.body, /<token>a&amp;b&lt;c&gt;<\/token>/);
    assert.match(
      built.value.body,
      /<list>\n {3}<element>x<\/element>\n {3}<element>y<\/element>\n {2}<\/list>/,
    );
    assert.match(built.value.body, /<yes>1<\/yes>/);
    assert.match(built.value.body, /<no><\/no>/);
    assert.match(built.value.body, /<none\/>/);
    const parsed = parseOcsEnvelope(built.value.body);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.data, {
      token: 'a&b<c>',
      remoteId: '43',
      list: ['x', 'y'],
      yes: '1',
      no: '',
      none: '',
    });
  });

  test('XML serialisation refuses keys and characters XML cannot carry, naming the field', () => {
    const badKey = buildOcsResponse({
      version: 1,
      format: 'xml',
      statuscode: 100,
      data: { 'a b': 1 },
    });
    assert.ok(!badKey.ok);
    assert.equal(badKey.issues[0]?.field, 'ocs.data.a b');
    const badChar = buildOcsResponse({
      version: 1,
      format: 'xml',
      statuscode: 100,
      data: { x: '\u0001' },
    });
    assert.ok(!badChar.ok);
    assert.equal(badChar.issues[0]?.field, 'ocs.data.x');
  });

  test('pydio8-create-share.json: "fail" status and string statuscode are lenient-only quirks', () => {
    const fx = fixture('pydio8-create-share.json');
    const ok = parseOcsEnvelope(fx.response.body, { mode: 'strict' });
    assert.ok(ok.ok);
    assert.deepEqual(ok.value.data, { id: 7 });
    const v1Error = fx.alternateResponses?.[1]?.body;
    const lenient = parseOcsEnvelope(v1Error);
    assert.ok(lenient.ok);
    assert.equal(lenient.value.meta.statuscode, 400);
    assert.equal(lenient.value.meta.status, 'fail');
    assert.deepEqual(
      lenient.warnings.map((w) => w.field),
      ['ocs.meta.statuscode', 'ocs.meta.status', 'ocs.data'],
    );
    const strict = parseOcsEnvelope(v1Error, { mode: 'strict' });
    assert.ok(!strict.ok);
    assert.equal(strict.issues.length, 3);
  });

  test('no DOCTYPE, no custom entities: XXE and entity expansion are impossible', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE ocs [<!ENTITY x SYSTEM "file:///etc/passwd">]><ocs><meta><status>&x;</status></meta></ocs>';
    const r = parseOcsEnvelope(xxe);
    assert.ok(!r.ok);
    assert.match(r.issues[0]?.message ?? '', /DOCTYPE/);
    const entity = parseOcsEnvelope('<ocs><meta><status>&x;</status></meta></ocs>');
    assert.ok(!entity.ok);
    assert.match(entity.issues[0]?.message ?? '', /entity/);
  });

  test('malformed bodies give field-named issues', () => {
    const cases: [unknown, string][] = [
      ['not json', 'body'],
      ['{"x":1}', 'ocs'],
      ['{"ocs":{}}', 'ocs.meta'],
      ['{"ocs":{"meta":{"status":"ok"},"data":[]}}', 'ocs.meta.statuscode'],
      ['<ocs><meta><statuscode>1x</statuscode></meta></ocs>', 'ocs.meta.statuscode'],
      ['<html><body>502</body></html>', 'ocs'],
      ['<ocs><meta>', 'body'],
      [null, 'ocs'],
    ];
    for (const [body, field] of cases) {
      const r = parseOcsEnvelope(body);
      assert.ok(!r.ok, String(body));
      assert.equal(r.issues[0]?.field, field, String(body));
    }
  });

  test('property: parsing never throws, whatever the input', () => {
    const xmlish = fc
      .array(
        fc.constantFrom(
          '<ocs>',
          '</ocs>',
          '<meta>',
          '</meta>',
          '<data/>',
          '<!--',
          '-->',
          '&amp;',
          '&#x110000;',
          '&#xD800;',
          '<![CDATA[',
          ']]>',
          '<?xml?>',
          'x',
          ' ',
          '<a b="1">',
          '</a>',
          '<',
          '>',
          '&',
        ),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), xmlish, fc.jsonValue(), fc.anything()),
        (input) => {
          parseOcsEnvelope(input);
          parseOcsEnvelope(input, { mode: 'strict' });
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('property: JSON responses round-trip any data; XML round-trips string data', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.option(fc.string(), { nil: null }),
        fc.integer({ min: 100, max: 999 }),
        (data, message, code) => {
          const built = buildOcsResponse({
            version: 2,
            format: 'json',
            statuscode: code,
            message,
            data: data as JsonValue,
          });
          assert.ok(built.ok);
          const parsed = parseOcsEnvelope(built.value.body, { mode: 'strict' });
          assert.ok(parsed.ok);
          assert.deepEqual(parsed.value.data, JSON.parse(JSON.stringify(data)));
          assert.equal(parsed.value.meta.message, message);
        },
      ),
    );
    const key = fc.stringMatching(/^[a-z_][a-zA-Z0-9_.-]{0,8}$/).filter((k) => k !== 'element');
    const text = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\r\n'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, text, tie('obj'), tie('arr')),
      obj: fc.dictionary(key, tie('tree'), { minKeys: 1, maxKeys: 4 }),
      arr: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), (data) => {
        const built = buildOcsResponse({
          version: 1,
          format: 'xml',
          statuscode: 100,
          data: data as JsonValue,
        });
        assert.ok(built.ok, JSON.stringify(built));
        const parsed = parseOcsEnvelope(built.value.body, { mode: 'strict' });
        assert.ok(parsed.ok, built.value.body);
        assert.deepEqual(parsed.value.data, JSON.parse(JSON.stringify(data)));
      }),
    );
  });
});
