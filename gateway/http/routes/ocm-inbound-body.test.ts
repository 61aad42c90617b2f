import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import { parseInboundBody } from './ocm-inbound-body.ts';

const share = {
  shareWith: 'bob@gw.example',
  name: 'a.txt',
  providerId: 'p1',
  owner: 'carol@peer.example',
  sender: 'carol@peer.example',
  shareType: 'user',
  resourceType: 'file',
  protocol: { name: 'webdav', options: { sharedSecret: 'S3cretS3cret' } },
};

function refusal(body: unknown, kind: 'shareCreate' | 'notification' = 'shareCreate') {
  try {
    parseInboundBody(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), kind);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected a refusal');
}

test('a share in the early form parses', () => {
  const parsed = parseInboundBody(Buffer.from(JSON.stringify(share)), 'shareCreate');
  assert.equal(parsed.value.shareWith, 'bob@gw.example');
});

test('an unknown share type alone is 501; with other faults it is 400', () => {
  const alien = refusal({ ...share, shareType: 'spaceship' });
  assert.equal(alien.status, 501);
  assert.match(alien.message, /spaceship/);
  const both = refusal({ ...share, shareType: 'spaceship', shareWith: 42 });
  assert.equal(both.status, 400);
  assert.ok(both.issues.some((i) => i.field === 'shareWith'));
  assert.equal(refusal({ ...share, shareType: 7 }).status, 400);
});

test('bad JSON, non-objects and missing fields are 400 naming the fields', () => {
  assert.equal(refusal('{"a":').status, 400);
  assert.equal(refusal([share]).status, 400);
  const missing = refusal({}, 'notification');
  assert.equal(missing.status, 400);
  assert.ok(missing.issues.some((i) => i.field === 'notificationType'));
});
