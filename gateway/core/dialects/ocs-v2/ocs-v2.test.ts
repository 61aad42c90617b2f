import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGE_KINDS, type Codec } from '../../model/index.ts';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from './index.ts';

describe('ocs-v1 / ocs-v2 codecs as registry entries', () => {
  const codecs: [Codec, string, string | undefined][] = [
    [ocsV1Codec, 'ocs-v1', undefined],
    [ocsV2Codec, 'ocs-v2', undefined],
    [ocsV2Pydio8Codec, 'ocs-v2', 'pydio8'],
  ];

  test('ids, variants and the messages they implement', () => {
    for (const [codec, id, variant] of codecs) {
      assert.equal(codec.id, id);
      assert.equal(codec.variant, variant);
      const implemented = MESSAGE_KINDS.filter((kind) => codec[kind] !== undefined);
      assert.deepEqual(implemented, [
        'shareCreate',
        'shareCreated',
        'notification',
        'notificationReply',
        'discovery',
        'error',
      ]);
    }
  });

  test('describe() lists every implemented message, what is lossy and the sources', () => {
    for (const [codec, id] of codecs) {
      const description = codec.describe();
      assert.equal(description.id, id);
      assert.deepEqual(
        description.messages.map((m) => m.kind).sort(),
        MESSAGE_KINDS.filter((kind) => codec[kind] !== undefined).sort(),
      );
      assert.ok((description.cannotCarry ?? []).length > 0);
      assert.ok(description.sources.length > 0);
    }
    assert.match(ocsV1Codec.describe().messages[0]?.call ?? '', /\/ocs\/v1\.php\/cloud\/shares/);
    assert.match(ocsV2Pydio8Codec.describe().messages[1]?.call ?? '', /accept\|decline\|unshare\}/);
  });

  test('the same answer differs only by the version rules (v1: 100/HTTP 200, v2: 200 and HTTP errors)', () => {
    const error = { message: 'nope', validationErrors: [] };
    const v1 = ocsV1Codec.error.serialise(error, { format: 'json', statuscode: 404 });
    const v2 = ocsV2Codec.error.serialise(error, { format: 'json', statuscode: 404 });
    assert.ok(v1.ok && v2.ok);
    assert.equal(v1.value.status, 200);
    assert.equal(v2.value.status, 404);
    const ok1 = ocsV1Codec.shareCreated.serialise({});
    assert.ok(ok1.ok);
    assert.equal(ok1.value.contentType, 'text/xml; charset=UTF-8', 'no format → XML');
    assert.match(ok1.value.body, /<statuscode>100<\/statuscode>/);
    const success = ocsV2Codec.error.serialise(error, { statuscode: 200 });
    assert.ok(!success.ok);
  });
});
