import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseStatusPhp, serialiseStatusPhp, statusVersionAtLeast } from './status-php.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

const fx = JSON.parse(readFileSync(join(FIXTURES, 'discovery-status-php.json'), 'utf8')) as {
  response: { body: Record<string, unknown> };
  alternateResponses: { body: Record<string, unknown> }[];
};

describe('/status.php (discovery-status-php.json)', () => {
  test('ownCloud 10 document: ownCloud-like, re-serialised identically', () => {
    const parsed = parseStatusPhp(JSON.stringify(fx.response.body));
    assert.ok(parsed.ok);
    assert.equal(parsed.value.ownCloudLike, true);
    assert.equal(parsed.value.productName, 'ownCloud');
    const out = serialiseStatusPhp(parsed.value);
    assert.ok(out.ok);
    assert.deepEqual(out.value, fx.response.body);
    assert.deepEqual(Object.keys(out.value), Object.keys(fx.response.body));
  });

  test('ownCloud 9.0 document (no product fields) is ownCloud-like too', () => {
    const parsed = parseStatusPhp(fx.alternateResponses[0]?.body);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.ownCloudLike, true);
    assert.equal(parsed.value.versionString, '9.0.0');
  });

  test('an empty version (version.hide) or non-JSON is not ownCloud-like; the facade never serves one', () => {
    const hidden = parseStatusPhp({ ...fx.response.body, version: '' });
    assert.ok(hidden.ok);
    assert.equal(hidden.value.ownCloudLike, false);
    assert.equal(parseStatusPhp('<html>').ok, false);
    const refused = serialiseStatusPhp(hidden.value);
    assert.ok(!refused.ok);
    assert.equal(refused.issues[0]?.field, 'version');
  });

  test('version comparison for the ownCloud 10 add-by-link check (>= 7.0.0)', () => {
    assert.equal(statusVersionAtLeast('10.16.0.0', '7.0.0'), true);
    assert.equal(statusVersionAtLeast('6.9.9', '7.0.0'), false);
    assert.equal(statusVersionAtLeast('7', '7.0.0'), true);
  });

  test('property: parsing never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.jsonValue(), fc.anything()),
        (x) => void parseStatusPhp(x),
      ),
    );
  });
});
