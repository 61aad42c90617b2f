import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ocsV1Codec } from '../ocs-v1/index.ts';
import { ocsV2Codec } from '../ocs-v2/index.ts';
import { ocsMoveResultFor } from './ocs-move.ts';
import { OCS_ERRORS } from './ocs-error-messages.ts';

const FIXTURES = join(import.meta.dirname, '../../../../../shared/reference/legacy-fixtures');

interface FixtureResponse {
  status: number;
  headers: Record<string, string>;
  body: { ocs: { meta: { statuscode: number; message: string } } };
}
const fx = JSON.parse(readFileSync(join(FIXTURES, 'legacy-move.json'), 'utf8')) as {
  request: { url: string; body: Record<string, string> };
  response: FixtureResponse;
  alternateResponses: FixtureResponse[];
};

describe('Nextcloud move (legacy-move.json)', () => {
  const move = ocsV2Codec.move;
  const moveReply = ocsV2Codec.moveReply;
  assert.ok(move && moveReply);

  test('request parsed from path + form and written back identically', () => {
    const url = new URL(fx.request.url);
    const parsed = move.parse({ path: url.pathname, body: fx.request.body }, { mode: 'strict' });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      providerId: '42',
      sharedSecret: 'Xy9zA1bC2dE3fG4',
      newOwner: 'alice@new.example.com',
      newProviderId: '420',
    });
    const out = move.serialise(parsed.value);
    assert.ok(out.ok);
    assert.equal(`/nextcloud${out.value.path}`, url.pathname);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(out.value.body)), fx.request.body);
  });

  test('remote_id defaults to the path id', () => {
    const parsed = move.parse({
      id: '42',
      action: 'move',
      body: { token: 't', remote: 'alice@new.example.com' },
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.newProviderId, '42');
  });

  test('the answer {remote, owner} is produced from the new owner and parses back', () => {
    const parsed = move.parse({ id: '42', action: 'move', body: fx.request.body });
    assert.ok(parsed.ok);
    const result = ocsMoveResultFor(parsed.value);
    assert.ok(result.ok);
    const out = moveReply.serialise(result.value, { format: 'json' });
    assert.ok(out.ok);
    assert.equal(out.value.status, fx.response.status);
    assert.deepEqual(JSON.parse(out.value.body), fx.response.body);
    const back = moveReply.parse({ status: 200, body: fx.response.body });
    assert.ok(back.ok);
    assert.deepEqual(back.value, { remote: 'https://new.example.com', owner: 'alice' });
  });

  test('documented errors: 400 share not found, 503 federation disabled', () => {
    const [notFound, disabled] = fx.alternateResponses;
    for (const [response, error] of [
      [notFound, OCS_ERRORS.shareNotFoundOrTokenInvalid],
      [disabled, OCS_ERRORS.federationDisabled],
    ] as const) {
      assert.ok(response);
      const out = ocsV2Codec.error.serialise(
        { message: error.message, validationErrors: [] },
        { format: 'json', statuscode: error.statuscode },
      );
      assert.ok(out.ok);
      assert.equal(out.value.status, response.status);
      assert.deepEqual(JSON.parse(out.value.body), response.body);
      assert.equal(moveReply.parse({ status: response.status, body: response.body }).ok, false);
    }
  });

  test('refusals name the field; v1 serves move too', () => {
    const noRemote = move.parse({ id: '42', action: 'move', body: { token: 't' } });
    assert.ok(!noRemote.ok);
    assert.equal(noRemote.issues[0]?.field, 'remote');
    const badId = move.serialise({
      providerId: 'x',
      sharedSecret: 't',
      newOwner: 'a@b',
      newProviderId: '1',
    });
    assert.ok(!badId.ok);
    assert.equal(badId.issues[0]?.field, 'providerId');
    assert.ok(ocsV1Codec.move);
    fc.assert(fc.property(fc.anything(), (x) => void move.parse(x)));
  });
});
