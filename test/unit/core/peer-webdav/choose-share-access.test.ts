import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseShareAccess,
  tokenCacheTtlMs,
  type ShareAccessInput,
} from '../../../../gateway/core/peer-webdav/choose-share-access.ts';

const input: ShareAccessInput = {
  style: 'uri',
  requirements: [],
  hasCode: false,
  recordTokenEndPoint: undefined,
  peerCapabilities: [],
  peerTokenEndPoint: undefined,
  peerEndPoint: 'https://p.example/ocm/',
  tryOptionalExchange: true,
};

describe('chooseShareAccess: the I-D-05 decision table and older forms', () => {
  test('legacy options share: Basic with the secret', () => {
    assert.deepEqual(chooseShareAccess({ ...input, style: 'legacy' }), { kind: 'basic' });
  });
  test('1.1+ share, nobody can exchange: Bearer secret', () => {
    assert.deepEqual(chooseShareAccess(input), { kind: 'bearer-secret' });
  });
  test('must-exchange-token: mandatory exchange, no fallback, even for a legacy-style share', () => {
    const access = chooseShareAccess({
      ...input,
      requirements: ['must-exchange-token'],
      peerTokenEndPoint: 'https://p.example/token',
    });
    assert.deepEqual(access, {
      kind: 'exchange',
      exchange: { form: 'form', url: 'https://p.example/token', code: 'secret' },
      fallback: 'none',
    });
  });
  test('must-exchange-token without a token endpoint is refused', () => {
    const access = chooseShareAccess({ ...input, requirements: ['must-exchange-token'] });
    assert.equal(access.kind, 'refuse');
  });
  test('offered but not required: exchange with the secret as fallback (unless switched off)', () => {
    const offered = {
      ...input,
      peerCapabilities: ['exchange-token'],
      peerTokenEndPoint: 'https://p.example/token',
    };
    assert.deepEqual(chooseShareAccess(offered), {
      kind: 'exchange',
      exchange: { form: 'form', url: 'https://p.example/token', code: 'secret' },
      fallback: 'bearer-secret',
    });
    assert.deepEqual(chooseShareAccess({ ...offered, tryOptionalExchange: false }), {
      kind: 'bearer-secret',
    });
    assert.deepEqual(chooseShareAccess({ ...offered, style: 'legacy' }), { kind: 'basic' });
  });
  test('a pre-1.2 code: JSON exchange at <endPoint>/token, no fallback', () => {
    assert.deepEqual(chooseShareAccess({ ...input, hasCode: true }), {
      kind: 'exchange',
      exchange: { form: 'json', url: 'https://p.example/ocm/token', code: 'share-code' },
      fallback: 'none',
    });
  });
  test('a recorded token endpoint wins over discovery', () => {
    const access = chooseShareAccess({
      ...input,
      requirements: ['must-exchange-token'],
      recordTokenEndPoint: 'https://p.example/other-token',
      peerTokenEndPoint: 'https://p.example/token',
    });
    assert.equal(
      access.kind === 'exchange' && access.exchange.url,
      'https://p.example/other-token',
    );
  });
});

test('tokenCacheTtlMs: shortly before expires_in, 5 minutes without it, never negative', () => {
  assert.equal(tokenCacheTtlMs(300), 270_000);
  assert.equal(tokenCacheTtlMs(3600), 3_570_000);
  assert.equal(tokenCacheTtlMs(5), 4_000);
  assert.equal(tokenCacheTtlMs(undefined), 270_000);
  assert.equal(tokenCacheTtlMs(0), 0);
  assert.equal(tokenCacheTtlMs(1), 0);
});
