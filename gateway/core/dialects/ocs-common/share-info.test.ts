import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  parseShareInfoRequest,
  parseShareInfoResponse,
  serialiseShareInfoResponse,
  SHARE_INFO_PATH,
  SHARE_INFO_STATUS,
} from './share-info.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

const fx = JSON.parse(readFileSync(join(FIXTURES, 'shareinfo.json'), 'utf8')) as {
  request: {
    url: string;
    path: string;
    query: Record<string, string>;
    body: Record<string, string>;
  };
  response: { status: number; body: { data: Record<string, unknown>; message: string } };
  alternateResponses: { status: number }[];
};

describe('shareinfo (shareinfo.json)', () => {
  test('request: token from ?t=, password from the form', () => {
    assert.equal(fx.request.path, SHARE_INFO_PATH);
    const parsed = parseShareInfoRequest({
      query: new URL(fx.request.url).search,
      body: new URLSearchParams(fx.request.body).toString(),
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, { token: 'Xy9zA1bC2dE3fG4', password: '' });
    const missing = parseShareInfoRequest({ query: {} });
    assert.ok(!missing.ok);
    assert.equal(missing.issues[0]?.field, 't');
  });

  test('response: the fixture body is parsed and produced again', () => {
    const parsed = parseShareInfoResponse(JSON.stringify(fx.response.body));
    assert.ok(parsed.ok);
    assert.equal(parsed.value.type, 'dir');
    assert.equal(parsed.value.permissions, 31);
    const out = serialiseShareInfoResponse(parsed.value, fx.response.body.message);
    assert.deepEqual(out, fx.response.body);
    assert.deepEqual(Object.keys(out.data as object), Object.keys(fx.response.body.data));
  });

  test('failure statuses that make receivers delete their share', () => {
    assert.deepEqual(
      fx.alternateResponses.map((a) => a.status),
      [
        SHARE_INFO_STATUS.unknownToken,
        SHARE_INFO_STATUS.wrongPassword,
        SHARE_INFO_STATUS.unknownToken,
      ],
    );
  });

  test('bad answers are refused; nothing throws', () => {
    assert.equal(parseShareInfoResponse('{"status":"error"}').ok, false);
    assert.equal(parseShareInfoResponse({ status: 'success', data: { id: 'x' } }).ok, false);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.anything()), (x) => {
        parseShareInfoResponse(x);
        parseShareInfoRequest({ query: x, body: x });
      }),
    );
  });
});
